"""网上入会."""

from django.urls import path

from gonghui.joining import recovery_views, views

app_name = "joining"
urlpatterns = [
    path("", views.apply, name="apply"),
    path("c/<str:token>/", views.code_scan, name="code"),
    path("verify/", views.verify, name="verify"),
    path("verify/resend/", views.resend, name="resend"),
    path("notice/", views.notice, name="notice"),
    path("form/", views.apply_form, name="form"),
    path("regions/", views.region_picker, name="regions"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("again/", views.again, name="again"),
    path("todo/", views.todo, name="todo"),
    path("todo/<int:pk>/", views.detail, name="detail"),
    path("todo/<int:pk>/accept/", views.accept, name="accept"),
    path("todo/<int:pk>/reject/", views.reject, name="reject"),
    path("todo/<int:pk>/reassign/", views.reassign, name="reassign"),
    path("todo/<int:pk>/targets/", views.reassign_targets, name="reassign_targets"),
    path("todo/<int:pk>/phone/", views.applicant_phone, name="applicant_phone"),
    path("codes/", views.codes, name="codes"),
    path("codes/<int:pk>/poster/", views.poster, name="poster"),
    path("codes/<int:pk>/deactivate/", views.code_deactivate, name="code_deactivate"),
    path("account/reset/", recovery_views.reset, name="reset"),
    path("account/reset/verify/", recovery_views.reset_verify, name="reset_verify"),
    path("account/sms-login/", recovery_views.sms_login, name="sms_login"),
    path("account/sms-login/verify/", recovery_views.sms_login_verify, name="sms_login_verify"),
]
