from django.urls import path

from gonghui.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.courses, name="courses"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<int:pk>/", views.course, name="course"),
    path("courses/<int:pk>/completions/new/", views.completion_new, name="completion_new"),
    path("courses/<int:pk>/completions/import/", views.completion_import, name="completion_import"),
    path("import-template/", views.import_template, name="import_template"),
    path("checkins/", views.checkins, name="checkins"),
    path("report/", views.report, name="report"),
    path("me/", views.me, name="me"),
    path("me/checkin/", views.checkin, name="checkin"),
    path("certificates/<int:pk>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
