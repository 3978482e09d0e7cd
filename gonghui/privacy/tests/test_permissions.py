"""Every privacy page × every member of the cast (see gonghui.testing.matrix): the worker's own pages, and the
cadres' queue of personal-data requests."""

from gonghui.privacy.tests.support import add_privacy_data
from gonghui.testing.matrix import Page, expect


def own(status):
    """Worker-only pages: the worker gets ``status``, every account without a person record 403."""
    return expect(403, 403, 403, 403, 403, worker=status)


def _privacy(name):
    return lambda cast: [getattr(cast.privacy, name).pk]


PAGES = [
    Page("privacy:mine", own(200), setup=add_privacy_data),
    Page("privacy:consent_withdraw", own(302), method="post", setup=add_privacy_data, args=_privacy("consent")),
    Page("privacy:request_create", own(302), method="post", setup=add_privacy_data, data=lambda c: {"kind": "delete"}),
    Page("privacy:export_download", own(200), setup=add_privacy_data, args=_privacy("export_request"), own_data=True),
    Page("privacy:queue", expect(200, 200, 200, 200, 200), setup=add_privacy_data),
    Page("privacy:request_detail", expect(200, 200, 404, 200, 200), setup=add_privacy_data,
         args=_privacy("open_request")),
    Page("privacy:request_start", expect(302, 302, 404, 302, 403), method="post", setup=add_privacy_data,
         args=_privacy("open_request")),
    Page("privacy:request_complete", expect(302, 302, 404, 302, 403), method="post", setup=add_privacy_data,
         args=_privacy("open_request"), data=lambda c: {"note": "已告知"}),
    Page("privacy:request_refuse", expect(302, 302, 404, 302, 403), method="post", setup=add_privacy_data,
         args=_privacy("open_request"), data=lambda c: {"reason": "重复申请"}),
]  # fmt: skip


# Responses that may carry full values (gonghui.testing.pii_guard): a person's own copy of their data.
UNMASKED = {r"^/privacy/me/requests/\d+/download/$": "本人下载自己的个人信息副本（个人信息保护法第四十五条），审计"}
