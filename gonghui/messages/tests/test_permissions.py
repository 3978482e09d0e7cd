"""Every page of the message centre × every member of the cast (see gonghui.testing.matrix): workers and
cadres have an inbox; a platform admin has none; the anonymous are sent to sign in. A message is only ever
its addressee's (anyone else's reads as not found)."""

from gonghui.testing.matrix import USERS, Page

INBOX = dict.fromkeys(USERS, 200) | {"security_admin": 403, "anonymous": 302}
POSTED = dict.fromkeys(USERS, 302) | {"security_admin": 403, "anonymous": 302}


def _zhang_message(cast):
    from gonghui.messages.services import notify

    context = {"kind": "困难帮扶申请", "status": "已受理", "org": "西溪街道工会", "note": ""}
    message = notify(user=cast.users.worker, event="cases.step", context=context)
    return [message.pk]


PAGES = [
    Page("messages:inbox", INBOX),
    Page("messages:detail", INBOX | dict.fromkeys(USERS[:5], 404), args=_zhang_message),
    Page("messages:read_all", POSTED, method="post"),
    Page("messages:preferences", INBOX),
    Page("messages:preferences", POSTED, method="post", data=lambda c: {"sms_optional": "on"}),
]
