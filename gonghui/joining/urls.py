from django.urls import path  # noqa: F401

from gonghui.joining import views  # noqa: F401

app_name = "joining"
urlpatterns = []
