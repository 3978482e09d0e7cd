"""花名册: import (upload, preview, commit, errors) and export."""

from django.urls import path

from gonghui.rosters import views

app_name = "rosters"
urlpatterns = [
    path("", views.import_list, name="imports"),
    path("upload/", views.upload, name="upload"),
    path("template/", views.template, name="template"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/commit/", views.import_commit, name="commit"),
    path("imports/<int:pk>/resume/", views.import_resume, name="resume"),
    path("imports/<int:pk>/columns/", views.import_remap, name="remap"),
    path("imports/<int:pk>/errors/", views.import_errors, name="errors"),
    path("exports/", views.exports, name="exports"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
