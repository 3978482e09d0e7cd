"""经费审查."""

from django.urls import path

from gonghui.fundreview import views

app_name = "fundreview"
urlpatterns = [
    path("", views.home, name="home"),
    path("committee/new/", views.committee_new, name="committee_new"),
    path("members/new/", views.member_add, name="member_add"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("officers/new/", views.officer_new, name="officer_new"),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/complete/", views.plan_complete, name="plan_complete"),
    path("plans/<int:pk>/findings/new/", views.finding_new, name="finding_new"),
    path("findings/", views.findings, name="findings"),
    path("findings/<int:pk>/", views.finding, name="finding"),
    path("findings/<int:pk>/respond/", views.finding_respond, name="finding_respond"),
    path("findings/<int:pk>/close/", views.finding_close, name="finding_close"),
    path("reports/new/", views.report_issue, name="report_issue"),
    path("reports/<int:pk>/<str:kind>/", views.report_file, name="report_file"),
]
