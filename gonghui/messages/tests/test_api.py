"""The message centre through the API (a phone app's inbox): only the caller's own messages, opening one marks it
read, all read, the text-message preference; a bad preference is refused in Chinese and changes nothing."""

from gonghui.messages import services
from gonghui.messages.models import Preference
from gonghui.testing.api import ApiClient

STEP = {"kind": "困难帮扶申请", "status": "已受理", "org": "西溪街道工会", "note": "请致电13912345678"}


def test_the_inbox_read_and_read_all_are_the_callers_own(cast):
    api = ApiClient()
    worker = cast.users.worker
    first = services.notify(user=worker, event="cases.step", context=STEP, link="/me/")
    second = services.notify(user=worker, event="cases.step", context=STEP)
    services.notify(user=cast.users.grassroots_admin, event="cases.step", context=STEP)  # somebody else's

    items = api.get("/api/v1/messages/", worker).json()["items"]
    assert [i["id"] for i in items] == [second.pk, first.pk] and all(i["unread"] for i in items)
    assert items[0]["event_label"] and items[0]["title"]

    opened = api.get(f"/api/v1/messages/{first.pk}", worker).json()
    assert opened["read_at"] and not opened["unread"] and opened["link"] == "/me/"
    assert "139****5678" in opened["body"] and "13912345678" not in opened["body"]
    assert [i["id"] for i in api.get("/api/v1/messages/?unread=true", worker).json()["items"]] == [second.pk]
    assert api.get(f"/api/v1/messages/{first.pk}", cast.users.grassroots_admin).status_code == 404

    assert api.post("/api/v1/messages/read-all", worker, {}).json() == {"read": 1}
    assert api.get("/api/v1/messages/?unread=true", worker).json()["items"] == []
    assert api.post("/api/v1/messages/read-all", worker, {}).json() == {"read": 0}


def test_the_text_message_preference(cast):
    api = ApiClient()
    worker = cast.users.worker
    assert api.get("/api/v1/messages/preferences", worker).json()["sms_optional"] is True
    changed = api.call("PUT", "/api/v1/messages/preferences", worker, {"sms_optional": False}).json()
    assert changed["sms_optional"] is False and changed["essential_sms"]
    assert Preference.objects.get(user=worker).sms_optional is False
    refused = api.call("PUT", "/api/v1/messages/preferences", worker, {"sms_optional": "也许"})
    assert refused.status_code == 400 and "非必要的通知也发短信" in refused.json()["detail"]
    assert Preference.objects.get(user=worker).sms_optional is False
