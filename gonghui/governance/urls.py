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
    path("opinion/", views.opinion, name="opinion"),
    path("opinion/words/", views.opinion_words, name="opinion_words"),
]
