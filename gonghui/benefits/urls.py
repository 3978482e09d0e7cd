"""普惠."""

from django.urls import path

from gonghui.benefits import views

app_name = "benefits"
urlpatterns = [
    path("", views.offer_list, name="list"),
    path("new/", views.offer_new, name="new"),
    path("<int:pk>/", views.offer_detail, name="detail"),
    path("<int:pk>/close/", views.offer_close, name="close"),
    path("merchants/", views.merchant_list, name="merchants"),
    path("merchants/new/", views.merchant_new, name="merchant_new"),
    path("merchants/<int:pk>/", views.merchant_detail, name="merchant_detail"),
    path("merchants/<int:pk>/invite/", views.merchant_invite, name="merchant_invite"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("vouchers/<int:pk>/", views.voucher, name="voucher"),
    path("redeem/", views.redeem, name="redeem"),
    path("r/", views.scan, name="scan"),
    path("redemptions/", views.redemptions, name="redemptions"),
    path("invite/<str:token>/", views.invite, name="invite"),
]
