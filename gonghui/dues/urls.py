"""会费."""

from django.urls import path

from gonghui.dues import views

app_name = "dues"
urlpatterns = [
    path("", views.org_dues, name="org"),
    path("orgs/<int:org_id>/batch/", views.batch, name="batch"),
    path("orgs/<int:org_id>/bases/", views.bases, name="bases"),
    path("members/<int:pk>/", views.member, name="member"),
    path("members/<int:pk>/base/", views.base_set, name="base_set"),
    path("members/<int:pk>/pay/", views.pay, name="pay"),
    path("payments/<int:pk>/reverse/", views.reverse_payment, name="reverse"),
    path("policy/", views.policy, name="policy"),
    path("mine/", views.mine, name="mine"),
]
