from django.urls import path

from gonghui.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.me, name="me"),
    path("card/", views.card, name="card"),
    path("transfer/", views.transfer, name="transfer"),
]
