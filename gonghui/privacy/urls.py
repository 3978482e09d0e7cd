from django.urls import path

from gonghui.privacy import views

app_name = "privacy"
urlpatterns = [
    path("me/", views.my_privacy, name="mine"),
    path("me/consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("me/requests/", views.request_create, name="request_create"),
    path("me/requests/<int:pk>/download/", views.export_download, name="export_download"),
    path("requests/", views.queue, name="queue"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/start/", views.request_start, name="request_start"),
    path("requests/<int:pk>/complete/", views.request_complete, name="request_complete"),
    path("requests/<int:pk>/refuse/", views.request_refuse, name="request_refuse"),
]
