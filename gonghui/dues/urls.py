from django.urls import path  # noqa: F401

from gonghui.dues import views  # noqa: F401

app_name = "dues"
urlpatterns = []
