"""Every page of this app × every member of the cast (see gonghui.testing.matrix)."""

import datetime as dt

from gonghui.testing.cast import valid_id
from gonghui.testing.matrix import Page, expect


def member_edit_data(cast):
    return {"name": "张伟", "ethnicity": "汉族", "employment_form": "standard", "version": 1}


def member_create_data(cast):
    return {"org": cast.orgs.company.pk, "name": "赵敏", "id_number": valid_id("33010619950101002"),
            "ethnicity": "汉族", "employment_form": "standard"}  # fmt: skip


def _zhang(cast):
    return [cast.members.zhang.person_id]


def _transfer(*, released: bool):
    """张伟 (杭州示例科技) → 南京示例物流: the sending side is in Zhejiang, the receiving side in Jiangsu."""

    def args(cast):
        from gonghui.members.services import transfer_release, transfer_start

        transfer = transfer_start(actor=cast.users.grassroots_admin, membership=cast.members.zhang,
                                  to_org=cast.orgs.logistics, reason="工作调动")  # fmt: skip
        if released:
            transfer = transfer_release(actor=cast.users.grassroots_admin, transfer=transfer)
        return [transfer.pk]

    return args


def _warning(*, counselled: bool):
    """An open lapse warning for 张伟, counselled if asked."""

    def args(cast):
        from gonghui.members.models import LapseWarning, Membership
        from gonghui.members.services import lapse_counsel, lapse_warnings_raise

        Membership.objects.filter(pk=cast.members.zhang.pk).update(last_active_on=dt.date(2020, 1, 1))
        lapse_warnings_raise(today=dt.date.today())
        warning = LapseWarning.objects.get(membership=cast.members.zhang)
        if counselled:
            warning = lapse_counsel(actor=cast.users.grassroots_admin, warning=warning, note="已谈话")
        return [warning.pk]

    return args


PAGES = [
    Page("members:list", expect(200, 200, 200, 200, 200)),
    Page("members:list", expect(303, 303, 303, 303, 303), method="post", data=lambda c: {"q": "zw"}),  # search
    Page("members:org_options", expect(200, 200, 200, 200, 200), query="?purpose=write"),
    Page("members:detail", expect(200, 200, 404, 200, 200), args=_zhang),
    Page("members:create", expect(200, 200, 200, 200, 403)),
    Page("members:create", expect(302, 302, 404, 302, 403), method="post", data=member_create_data),
    Page("members:edit", expect(200, 200, 404, 200, 403), args=_zhang),
    Page("members:edit", expect(302, 302, 404, 302, 403), method="post", args=_zhang, data=member_edit_data),
    Page("members:unmask", expect(200, 403, 404, 200, 403), method="post", args=_zhang),
    Page("members:transfer_start", expect(302, 302, 404, 302, 403), method="post", args=_zhang,
         data=lambda c: {"to_org": c.orgs.logistics.pk, "reason": "工作调动"}),
    Page("members:retire", expect(302, 302, 404, 302, 403), method="post", args=_zhang),
    Page("members:card_revoke", expect(302, 302, 404, 302, 403), method="post", args=_zhang,
         data=lambda c: {"reason": "手机遗失"}),
    Page("members:transfers", expect(200, 200, 200, 200, 200)),
    # A member chooses their own new union.
    Page("members:transfer_targets", expect(200, 200, 200, 200, 200, worker=200), query="?to_org_q=物流"),
    # The step of the other side is refused (403); someone who sees neither side reads 404.
    Page("members:transfer_release", expect(302, 302, 403, 302, 403), method="post", args=_transfer(released=False)),
    Page("members:transfer_accept", expect(302, 403, 302, 403, 403), method="post", args=_transfer(released=True)),
    Page("members:transfer_reject", expect(302, 403, 302, 403, 403), method="post", args=_transfer(released=True),
         data=lambda c: {"reason": "岗位未落实"}),
    # The sending union withdraws (the member does so from their own page, portal:transfer).
    Page("members:transfer_cancel", expect(302, 302, 403, 302, 403), method="post", args=_transfer(released=True),
         data=lambda c: {"reason": "员工留任"}),
    Page("members:lapse", expect(200, 200, 200, 200, 200)),
    Page("members:lapse_counsel", expect(302, 302, 404, 302, 403), method="post", args=_warning(counselled=False),
         data=lambda c: {"note": "电话联系"}),
    Page("members:lapse_end", expect(302, 302, 404, 302, 403), method="post", args=_warning(counselled=True)),
]  # fmt: skip


# Responses that may carry full values (gonghui.testing.pii_guard): the audited unmasking of one member.
UNMASKED = {
    r"^/members/\d+/unmask/$": "查看一名会员的完整身份证号码和手机号码：需有权限，逐次审计",
    r"^/api/v1/members/\d+/unmask$": "同上（API）",
}


def probe_targets(cast) -> dict:
    """浙江's objects for the scope probe (gonghui/core/tests/test_scope_probe.py). Transfers and lapse
    warnings: an id only (the probe's sibling sees none of 浙江's either way)."""
    return {"person_id": cast.members.zhang.person_id, "transfer_id": 1, "warning_id": 1}
