"""职工诉求与法律援助."""

from django.urls import path

from gonghui.rights import views

app_name = "rights"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("hotline/", views.hotline, name="hotline"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("clusters/", views.cluster_list, name="clusters"),
    path("groups/<int:pk>/", views.group, name="group"),
    path("signals/", views.signals, name="signals"),
    path("mine/", views.mine, name="mine"),
    path("mine/new/", views.file, name="file"),
    path("mine/<int:pk>/", views.mine_detail, name="mine_detail"),
    path("mine/<int:pk>/act/", views.mine_act, name="mine_act"),
    path("legal/", views.legal_list, name="legal_list"),
    path("legal/new/", views.legal_new, name="legal_new"),
    path("legal/<int:pk>/", views.legal_detail, name="legal_detail"),
    path("legal/<int:pk>/act/", views.legal_act, name="legal_act"),
]
