"""困难职工帮扶."""

from django.urls import path

from gonghui.assistance import views

app_name = "assistance"
urlpatterns = [
    path("", views.file_list, name="list"),
    path("new/", views.file_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/attachments/", views.attach, name="attach"),
    path("<int:pk>/step/", views.step, name="step"),
    path("<int:pk>/pay/", views.pay, name="pay"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/unmask/", views.unmask, name="unmask"),
    path("report/", views.report, name="report"),
    path("report/export/", views.report_export, name="report_export"),
    path("allowances/", views.allowances, name="allowances"),
    path("mine/", views.mine, name="mine"),
    path("mine/apply/", views.apply, name="apply"),
    path("self-check/", views.self_check, name="self_check"),
]
