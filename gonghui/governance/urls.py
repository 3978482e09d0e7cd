"""一屏总览 and 规划目标."""

from django.urls import path

from gonghui.governance import views

app_name = "governance"
urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/<int:pk>/", views.org_overview, name="org"),
    path("orgs/<int:pk>/targets/new/", views.target_new, name="target_new"),
    path("targets/<int:pk>/split/", views.target_split, name="target_split"),
    path("risk/weights/", views.risk_weights, name="risk_weights"),
    path("orgs/<int:pk>/employers/", views.employer_scores, name="employer_scores"),
    path("risk/alerts/", views.risk_alerts, name="risk_alerts"),
    path("opinion/", views.opinion, name="opinion"),
    path("opinion/words/", views.opinion_words, name="opinion_words"),
    path("opinion/import/", views.opinion_import, name="opinion_import"),
    path("opinion/import/template/", views.opinion_template, name="opinion_template"),
    path("orgs/<int:pk>/reports/", views.year_reports, name="year_reports"),
    path("reports/jobs/<int:pk>/", views.year_report_job, name="year_report_job"),
    path("reports/<int:pk>/", views.year_report, name="year_report"),
    path("reports/<int:pk>/<str:kind>/", views.year_report_file, name="year_report_file"),
]
