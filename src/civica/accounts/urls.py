from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from civica.accounts import views
from civica.accounts.access import SIGNED_IN, public, requires

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        public(
            auth_views.LoginView.as_view(
                template_name="accounts/login.html", redirect_authenticated_user=True
            ),
            write=True,
        ),
        name="login",
    ),
    path("logout/", public(auth_views.LogoutView.as_view(), read=False, write=True), name="logout"),
    path(
        "password/",
        requires(SIGNED_IN, write=SIGNED_IN)(
            auth_views.PasswordChangeView.as_view(
                template_name="accounts/password_change.html",
                success_url=reverse_lazy("accounts:password-done"),
            )
        ),
        name="password-change",
    ),
    path(
        "password/done/",
        requires(SIGNED_IN)(
            auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html")
        ),
        name="password-done",
    ),
    path("profile/", views.profile, name="profile"),
]
