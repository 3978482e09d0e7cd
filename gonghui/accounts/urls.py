from django.contrib.auth import views as auth_views
from django.urls import path

from gonghui.accounts import two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/2fa/", two_factor_views.setup, name="2fa_setup"),
    path("account/2fa/verify/", two_factor_views.verify, name="2fa_verify"),
    path("account/2fa/recovery/", two_factor_views.recovery_regenerate, name="2fa_recovery"),
    path("account/2fa/disable/", two_factor_views.disable, name="2fa_disable"),
]
