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
]
