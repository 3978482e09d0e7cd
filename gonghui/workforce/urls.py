"""产业工人队伍建设."""

from django.urls import path

from gonghui.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.competition_list, name="competitions"),
    path("competitions/<int:pk>/", views.competition_detail, name="competition"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/end/", views.event_end, name="event_end"),
    path("events/<int:pk>/appeal/", views.appeal_lodge, name="appeal_lodge"),
    path("events/<int:pk>/certificates/", views.certificates_issue, name="certificates_issue"),
    path("certificates/<int:pk>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("judging/", views.judging, name="judging"),
    path("judging/<int:pk>/", views.sheet, name="sheet"),
    path("judging/<int:pk>/sign/", views.sign, name="sign"),
    path("judging/<int:pk>/recuse/", views.recuse, name="recuse"),
    path("judging/<int:pk>/appeals/<int:appeal_pk>/", views.appeal_rule, name="appeal_rule"),
    path("model-workers/", views.model_worker_list, name="model_workers"),
    path("care/", views.care_list, name="care"),
    path("care/open/", views.care_open, name="care_open"),
    path("care/<int:pk>/done/", views.care_done, name="care_done"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/submit/", views.round_submit, name="round_submit"),
    path("nominations/<int:pk>/step/", views.nomination_step, name="nomination_step"),
    path("studios/", views.studio_list, name="studios"),
]
