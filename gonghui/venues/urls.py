"""服务阵地."""

from django.urls import path

from gonghui.venues import views

app_name = "venues"
urlpatterns = [
    path("", views.venue_list, name="list"),
    path("new/", views.venue_new, name="new"),
    path("<int:pk>/", views.venue_detail, name="detail"),
    path("<int:pk>/edit/", views.venue_edit, name="edit"),
    path("<int:pk>/recognise/", views.recognise, name="recognise"),
    path("<int:pk>/qr-renew/", views.qr_renew, name="qr_renew"),
    path("report/", views.report, name="report"),
    path("nearby/", views.nearby, name="nearby"),
    path("c/<str:token>/", views.checkin, name="checkin"),
    path("keeper/", views.keeper, name="keeper"),
    path("<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("s/<int:pk>/", views.station, name="station"),
]
