"""集体合同."""

from django.urls import path

from gonghui.contracts import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new/", views.contract_new, name="new"),
    path("coverage/", views.coverage, name="coverage"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/step/<slug:step>/", views.contract_step, name="step"),
    path("<int:pk>/text/", views.text_upload, name="text"),
    path("<int:pk>/text/download/", views.text_download, name="text_download"),
]
