"""产业工人队伍建设."""

from django.urls import path

from gonghui.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.competition_list, name="competitions"),
    path("competitions/new/", views.competition_new, name="competition_new"),
    path("competitions/<int:pk>/", views.competition_detail, name="competition"),
    path("competitions/<int:pk>/edit/", views.competition_edit, name="competition_edit"),
    path("competitions/<int:pk>/events/new/", views.event_new, name="event_new"),
    path("events/<int:pk>/entries/new/", views.entry_new, name="entry_new"),
    path("events/<int:pk>/judges/new/", views.judge_new, name="judge_new"),
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
    path("model-workers/new/", views.model_worker_new, name="model_worker_new"),
    path("model-workers/<int:pk>/honours/new/", views.honour_new, name="honour_new"),
    path("care/", views.care_list, name="care"),
    path("care/open/", views.care_open, name="care_open"),
    path("care/<int:pk>/done/", views.care_done, name="care_done"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/submit/", views.round_submit, name="round_submit"),
    path("nominations/<int:pk>/step/", views.nomination_step, name="nomination_step"),
    path("studios/", views.studio_list, name="studios"),
    path("studios/new/", views.studio_new, name="studio_new"),
    path("studios/<int:pk>/edit/", views.studio_edit, name="studio_edit"),
    path("studios/<int:pk>/achievements/", views.achievement_new, name="achievement_new"),
    path("innovations/", views.innovation_list, name="innovations"),
    path("innovations/new/", views.innovation_new, name="innovation_new"),
    path("innovations/<int:pk>/", views.innovation_detail, name="innovation"),
    path("innovations/<int:pk>/step/", views.innovation_step, name="innovation_step"),
    path("my/innovations/", views.my_innovations, name="my_innovations"),
    path("my/innovations/new/", views.my_innovation_new, name="my_innovation_new"),
    path("my/innovations/<int:pk>/", views.my_innovation, name="my_innovation"),
]
