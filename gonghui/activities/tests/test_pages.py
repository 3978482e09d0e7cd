"""The activity pages as people use them: a cadre publishes an event; members sign up from the phone, the
last one waits, and moves up when someone cancels; the person's copy holds their sign-ups."""

from django.urls import reverse

from gonghui.accounts.services import user_create
from gonghui.activities.models import Activity
from gonghui.activities.tests.conftest import make_activity
from gonghui.activities.tests.test_permissions import _form
from gonghui.privacy.services import personal_data_of
from gonghui.testing import pii_guard


def test_cadre_publishes_an_event(cast, client):
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("activities:new"), _form(cast))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "金秋助学说明会" in page and "已报名 0/30 人" in page
    bad = client.post(reverse("activities:new"), _form(cast) | {"capacity": 0})
    assert bad.status_code == 400 and Activity.objects.count() == 1
    bad = client.post(reverse("activities:new"), _form(cast) | {"groups": ["nobody"]})
    assert bad.status_code == 400 and Activity.objects.count() == 1
    response = client.post(reverse("activities:new"), _form(cast) | {"groups": ["model_workers", "hardship_deep"]})
    page = client.get(response["Location"]).content.decode()
    assert "报名对象" in page and "劳模、深度困难职工" in page


def test_members_sign_up_wait_and_move_up(cast, client):
    activity = make_activity(cast, capacity=1)
    li = user_create(actor=None, username="lina", password="Gonghui-test-2021", person=cast.members.li.person,
                     check_password=False)  # fmt: skip
    client.force_login(cast.users.worker)
    assert "夏送清凉慰问" in client.get(reverse("activities:mine")).content.decode()
    page = client.post(reverse("activities:signup", args=[activity.pk]), follow=True).content.decode()
    assert "报名成功" in page and "取消报名" in page
    client.force_login(li)
    assert "名额已满，登记候补" in client.get(reverse("activities:mine")).content.decode()
    page = client.post(reverse("activities:signup", args=[activity.pk]), follow=True).content.decode()
    assert "已为您登记候补" in page
    client.force_login(cast.users.worker)
    mine = activity.signups.get(person=cast.members.zhang.person)
    assert "已取消报名" in client.post(reverse("activities:cancel", args=[mine.pk]), follow=True).content.decode()
    client.force_login(li)
    assert "data-signup-status>报名成功" in client.get(reverse("activities:mine")).content.decode()
    client.force_login(cast.users.grassroots_admin)
    detail = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "李娜" in detail and "已取消" in detail
    with pii_guard.paused():
        copy = personal_data_of(cast.members.li.person)["活动报名"]
    assert copy[0]["活动"] == "夏送清凉慰问" and copy[0]["状态"] == "报名成功"
