"""The worker's home (一网通办, issue 9): the card one tap away, only the tiles this worker may use, their open
cases with status and deadline, unread messages, and the 公示 of their own unions (not of others)."""

import pytest
from django.urls import reverse

from gonghui.assistance.tests.test_services import apply
from gonghui.cases.services import case_open, notice_publish
from gonghui.cases.tests.support import REVIEW
from gonghui.joining.tests.conftest import submit
from gonghui.messages.services import notify

pytestmark = pytest.mark.django_db


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("portal:me"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_sees_the_card_tiles_cases_messages_and_their_unions_notices(client, cast):
    apply(cast)  # the worker's own hardship application, under review
    step = {"kind": "个人信息权利请求", "status": "处理中", "org": "杭州示例科技有限公司工会", "note": ""}
    notify(user=cast.users.worker, event="cases.step", context=step)
    ours = case_open(actor=cast.users.province_admin, kind=REVIEW.code, org=cast.orgs.xihu, subject="评选")
    notice_publish(actor=cast.users.province_admin, case=ours, audience="subtree", person_name="李娜",
                   unit="杭州示例科技有限公司", decision="拟推荐为区级优秀会员")  # fmt: skip
    theirs = case_open(actor=cast.users.sibling_admin, kind=REVIEW.code, org=cast.orgs.logistics, subject="评选")
    notice_publish(actor=cast.users.sibling_admin, case=theirs, audience="subtree", person_name="王芳",
                   unit="南京示例物流有限公司", decision="拟推荐为市级优秀会员")  # fmt: skip
    body = home(client, cast.users.worker)
    assert f'href="{reverse("portal:card")}"' in body and "出示电子会员证" in body
    assert "困难职工建档" in body and "待上级审核" in body and reverse("assistance:mine") in body
    assert "个人信息权利请求：处理中" in body and "1 条未读" in body
    assert "拟推荐为区级优秀会员" in body and "拟推荐为市级优秀会员" not in body
    assert reverse("joining:again") not in body and reverse("joining:mine") not in body


def test_an_applicant_not_yet_a_member_lands_on_the_home_with_what_they_can_do(client, cast):
    account = submit().account
    client.force_login(account)
    assert client.get(reverse("accounts:home"))["Location"] == reverse("portal:me")
    body = home(client, account)
    assert "您还不是工会会员" in body and reverse("joining:mine") in body and "待受理" in body
    for name in ("portal:card", "portal:transfer", "dues:mine", "privacy:mine", "assistance:mine"):
        assert f'href="{reverse(name)}"' not in body  # never a tile for something that would refuse them


def test_platform_admins_have_no_worker_home(client, cast):
    client.force_login(cast.users.security_admin)
    assert client.get(reverse("portal:me")).status_code == 403
