from django.urls import path, register_converter

from civica.participants import case_views, views


class PidConverter:
    regex = r"P-[0-9A-Za-z]{6}"

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return value


register_converter(PidConverter, "pid")

app_name = "participants"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("new/", views.register, name="register"),
    path("referrals/", views.referrals, name="referrals"),
    path("import/<uuid:job_id>/", views.import_result, name="import-result"),
    path("<pid:pid>/refer/", views.refer, name="refer"),
    path("<pid:pid>/merge/", views.merge, name="merge"),
    path("<pid:pid>/", views.person_detail, name="person"),
    path("<pid:pid>/edit/", views.edit, name="edit"),
    path("<pid:pid>/consent/", views.consent, name="consent"),
    path("<pid:pid>/consent/withdraw/", views.withdraw, name="withdraw"),
    path("<pid:pid>/enroll/", views.enroll, name="enroll"),
    path("<pid:pid>/service/", views.service, name="service"),
    path("<pid:pid>/contact/", views.contact, name="contact"),
    path("<pid:pid>/outcome/", views.outcome, name="outcome"),
    path("<pid:pid>/goal/", case_views.goal, name="goal"),
    path("<pid:pid>/goal/<int:goal_id>/", case_views.goal_edit, name="goal_edit"),
    path("<pid:pid>/network/", case_views.network, name="network"),
    path("<pid:pid>/close/<int:enrollment_id>/", case_views.close, name="close"),
    path("<pid:pid>/screening/<int:instrument_id>/", views.screening, name="screening"),
]
