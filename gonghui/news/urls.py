"""资讯通知."""

from django.urls import path

from gonghui.news import contest_views as contests
from gonghui.news import talk_views as talks
from gonghui.news import views

app_name = "news"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("new/", views.article_new, name="new"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/edit/", views.article_edit, name="edit"),
    path("<int:pk>/step/", views.article_step, name="step"),
    path("<int:pk>/pin/", views.article_pin, name="pin"),
    path("<int:pk>/receipts/", views.receipts, name="receipts"),
    path("<int:pk>/images/", views.image_add, name="image_add"),
    path("images/<int:pk>/", views.image, name="image"),
    path("feed/", views.feed, name="feed"),
    path("feed/<int:pk>/", views.read, name="read"),
    path("feed/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("feed/<int:pk>/comment/", views.comment, name="comment"),
    path("feed/<int:pk>/like/", views.like, name="like"),
    path("comments/", views.comments_queue, name="comments"),
    path("comments/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("moderation/", views.moderation, name="moderation"),
    path("words/", views.words, name="words"),
    path("words/<int:pk>/remove/", views.word_remove, name="word_remove"),
    path("public/", views.public, name="public"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
    path("contests/", contests.contests, name="contests"),
    path("contests/new/", contests.contest_new, name="contest_new"),
    path("contests/<int:pk>/", contests.contest_detail, name="contest_detail"),
    path("contests/<int:pk>/edit/", contests.contest_edit, name="contest_edit"),
    path("bank/<int:pk>/edit/", contests.question_edit, name="question_edit"),
    path("bank/", contests.bank, name="bank"),
    path("bank/new/", contests.question_new, name="question_new"),
    path("bank/import/", contests.question_import, name="question_import"),
    path("bank/template/", contests.question_template, name="question_template"),
    path("talks/", talks.talks, name="talks"),
    path("talks/new/", talks.talk_new, name="talk_new"),
    path("talks/speakers/", talks.speaker_options, name="speaker_options"),
    path("talks/<int:pk>/", talks.talk_detail, name="talk_detail"),
    path("talks/<int:pk>/materials/", talks.material_add, name="talk_material_add"),
    path("talks/materials/<int:pk>/", talks.material_download, name="talk_material"),
    path("my-talks/", talks.my_talks, name="my_talks"),
    path("my-talks/<int:pk>/checkin/", talks.checkin, name="talk_checkin"),
    path("quizzes/", contests.quizzes, name="quizzes"),
    path("quizzes/<int:pk>/", contests.quiz, name="quiz"),
    path("quizzes/<int:pk>/start/", contests.quiz_start, name="quiz_start"),
    path("attempts/<int:pk>/", contests.attempt, name="attempt"),
    path("attempts/<int:pk>/submit/", contests.attempt_submit, name="attempt_submit"),
]
