from django.urls import path

from civica.participants import urls as _participants  # noqa: F401  (registers <pid:…>)
from civica.reinsertion import community_views, views

app_name = "reinsertion"
urlpatterns = [
    path("", views.home, name="home"),
    path("facilities/", views.facilities, name="facilities"),
    path("community/", community_views.community, name="community"),
    path("community/<pid:pid>/", community_views.community_case, name="community_case"),
    path(
        "community/<pid:pid>/session/",
        community_views.community_session,
        name="community_session",
    ),
    path("cohorts/new/", views.cohort_new, name="cohort_new"),
    path("cohorts/<int:cohort_id>/", views.cohort, name="cohort"),
    path("lotteries/", views.lotteries, name="lotteries"),
    path("lotteries/<int:lottery_id>/", views.lottery_detail, name="lottery"),
    path("lotteries/<int:lottery_id>/screen/", views.lottery_screen, name="lottery_screen"),
    path(
        "lotteries/<int:lottery_id>/evaluation/",
        views.lottery_evaluation,
        name="lottery_evaluation",
    ),
    path("<pid:pid>/", views.path, name="path"),
    path("<pid:pid>/admit/", views.admit, name="admit"),
    path("<pid:pid>/release/", views.release, name="release"),
    path("<pid:pid>/plan/", views.plan, name="plan"),
    path("<pid:pid>/task/", views.task, name="task"),
    path("<pid:pid>/task/<int:task_id>/done/", views.task_done, name="task_done"),
    path("<pid:pid>/work/", views.work, name="work"),
    path("<pid:pid>/follow-up/", views.follow_up, name="follow_up"),
]
