from django.urls import path  # noqa: F401

from gonghui.rosters import views  # noqa: F401

app_name = "rosters"
urlpatterns = []
