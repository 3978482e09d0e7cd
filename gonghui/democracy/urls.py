"""民主管理."""

from django.urls import path

from gonghui.democracy import views

app_name = "democracy"
urlpatterns = [
    path("", views.congress_list, name="list"),
    path("new/", views.congress_new, name="new"),
    path("<int:pk>/", views.congress_detail, name="congress"),
    path("<int:pk>/add/", views.congress_add, name="congress_add"),
    path("sittings/<int:pk>/", views.sitting_detail, name="sitting"),
    path("sittings/<int:pk>/quorum/", views.sitting_quorum, name="quorum"),
    path("sittings/<int:pk>/act/", views.sitting_act, name="sitting_act"),
    path("ballots/<int:pk>/", views.ballot_detail, name="ballot"),
    path("ballots/<int:pk>/act/", views.ballot_act, name="ballot_act"),
    path("ballots/<int:pk>/papers/", views.papers, name="papers"),
    path("ballots/<int:pk>/vote/", views.vote, name="vote"),
    path("mine/", views.mine, name="mine"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/act/", views.proposal_act, name="proposal_act"),
    path("proposals/mine/", views.my_proposals, name="my_proposals"),
    path("proposals/mine/<int:pk>/", views.proposal_mine, name="proposal_mine"),
    path("sittings/<int:pk>/propose/", views.propose, name="propose"),
    path("open-affairs/", views.boards, name="boards"),
    path("open-affairs/<int:pk>/", views.board_detail, name="board"),
    path("open-affairs/<int:pk>/act/", views.board_act, name="board_act"),
    path("open-affairs/mine/", views.open_affairs, name="open_affairs"),
    path("elections/", views.elections, name="elections"),
    path("elections/new/", views.election_new, name="election_new"),
    path("elections/<int:pk>/", views.election_detail, name="election"),
    path("elections/<int:pk>/act/", views.election_act, name="election_act"),
    path("elections/<int:pk>/vote/", views.election_vote, name="election_vote"),
]
