"""事项办理: the cadre's to-do list across every kind, a case's page, and the public 公示 page."""

from django.urls import path

from gonghui.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.todo, name="todo"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/notice/", views.notice_publish, name="notice_publish"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("n/<str:token>/", views.public_notice, name="notice"),
]
