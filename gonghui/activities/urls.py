"""活动."""

from django.urls import path

from gonghui.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_new, name="new"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/signup/", views.signup, name="signup"),
    path("signups/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/qr/", views.activity_qr, name="qr"),
    path("c/<str:token>/", views.checkin, name="checkin"),
    path("signups/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("report/", views.report, name="report"),
]
