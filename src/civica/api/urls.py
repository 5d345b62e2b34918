from django.urls import include, path
from rest_framework.routers import DefaultRouter

from civica.api import monitoring, statistics, views
from civica.interventions.api import EvaluationResultView
from civica.justice.api import CaseViewSet, OffenceViewSet
from civica.justice.api_analysis import IndicatorsView as JusticeIndicatorsView
from civica.justice.api_analysis import ReincidenceView as JusticeReincidenceView
from civica.participants.api import PersonViewSet
from civica.police.api import OfficialProfileView
from civica.problems import api as problems_api
from civica.reinsertion import api as reinsertion_api
from civica.reinsertion.api import LotteryEvaluationView


class Router(DefaultRouter):
    APIRootView = views.RootView


router = Router()
router.register("states", views.StateViewSet, basename="state")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("persons", PersonViewSet, basename="person")
router.register("justice/cases", CaseViewSet, basename="justice-case")
router.register("justice/offences", OffenceViewSet, basename="justice-offence")
router.register(
    "reinsertion/facilities", reinsertion_api.FacilityViewSet, basename="reinsertion-facility"
)
router.register("reinsertion/stays", reinsertion_api.StayViewSet, basename="reinsertion-stay")
router.register("reinsertion/cohorts", reinsertion_api.CohortViewSet, basename="reinsertion-cohort")
router.register(
    "reinsertion/lotteries", reinsertion_api.LotteryViewSet, basename="reinsertion-lottery"
)
router.register(
    "reinsertion/follow-ups", reinsertion_api.FollowUpViewSet, basename="reinsertion-follow-up"
)

app_name = "api"
urlpatterns = [
    path("", include(router.urls)),
    path("me/", views.MeView.as_view(), name="me"),
    path("statistics/series/", statistics.SeriesView.as_view(), name="statistics-series"),
    path("statistics/ranking/", statistics.RankingView.as_view(), name="statistics-ranking"),
    path("statistics/vintages/", statistics.VintagesView.as_view(), name="statistics-vintages"),
    path(
        "monitoring/indicators/",
        monitoring.IndicatorTableView.as_view(),
        name="monitoring-indicators",
    ),
    path("police/profiles/<str:code>/", OfficialProfileView.as_view(), name="police-profile"),
    path("evaluations/<int:pk>/", EvaluationResultView.as_view(), name="evaluation-result"),
    path("justice/indicators/", JusticeIndicatorsView.as_view(), name="justice-indicators"),
    path("justice/reincidence/", JusticeReincidenceView.as_view(), name="justice-reincidence"),
    path("problems/", problems_api.ProblemListView.as_view(), name="problem-list"),
    path("problems/scan/", problems_api.ScanView.as_view(), name="problem-scan"),
    path(
        "problems/temporal-profile/",
        problems_api.TemporalProfileView.as_view(),
        name="problem-temporal-profile",
    ),
    path("problems/<int:pk>/", problems_api.ProblemDetailView.as_view(), name="problem-detail"),
    path(
        "lotteries/<int:pk>/evaluation/",
        LotteryEvaluationView.as_view(),
        name="lottery-evaluation",
    ),
    path("token/", views.TokenView.as_view(), name="token"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
]
