from django.urls import path

from gonghui.members import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.create, name="create"),
    path("orgs/", views.org_options, name="org_options"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/unmask/", views.unmask, name="unmask"),
    path("<int:pk>/transfer/", views.transfer_start, name="transfer_start"),
    path("<int:pk>/retire/", views.retire, name="retire"),
    path("<int:pk>/card/revoke/", views.card_revoke, name="card_revoke"),
    path("lapse/", views.lapse_list, name="lapse"),
    path("lapse/<int:pk>/counsel/", views.lapse_act, {"action": "counsel"}, name="lapse_counsel"),
    path("lapse/<int:pk>/lapse/", views.lapse_act, {"action": "lapse"}, name="lapse_end"),
    path("transfers/", views.transfer_list, name="transfers"),
    path("transfers/targets/", views.transfer_targets, name="transfer_targets"),
    path("transfers/<int:pk>/release/", views.transfer_act, {"action": "release"}, name="transfer_release"),
    path("transfers/<int:pk>/accept/", views.transfer_act, {"action": "accept"}, name="transfer_accept"),
    path("transfers/<int:pk>/reject/", views.transfer_act, {"action": "reject"}, name="transfer_reject"),
    path("transfers/<int:pk>/cancel/", views.transfer_act, {"action": "cancel"}, name="transfer_cancel"),
]
