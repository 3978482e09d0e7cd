"""Rights tests: requests filed by the cast's worker 张伟 against his employer (杭州示例科技有限公司, whose union is
the cast's company union), and legal cases of that union."""

import datetime as dt

from gonghui.accounts.models import Grant
from gonghui.rights import services
from gonghui.rights.models import RequestGroup, RightsRequest
from gonghui.testing.cast import add_user

TECH_USCC = "91330106MA2A0000X3"


def make_request(cast, *, category="wages", anonymous=False, actor=None, **extra) -> RightsRequest:
    fields = {"description": "单位已拖欠三个月工资，约两万元。", "employer_name": "杭州示例科技有限公司",
              "employer_uscc": TECH_USCC} | extra  # fmt: skip
    return services.request_file(actor=actor or cast.users.worker, category=category, anonymous=anonymous, **fields)


def make_group(cast, size: int = 3) -> RequestGroup:
    """A group of ``size`` named requests of the worker (made directly: the threshold is tested elsewhere)."""
    rows = [make_request(cast) for _ in range(size)]
    group = RequestGroup.objects.create(org=rows[0].org, employer=rows[0].employer, category="wages")
    RightsRequest.objects.filter(pk__in=[r.pk for r in rows]).update(group=group)
    return group


def lawyer(cast):
    """A lawyer of the county union (a read-only grant there): may be assigned, handles their own cases."""
    if not hasattr(cast, "lawyer"):
        cast.lawyer = add_user("lawyer", org=cast.orgs.xihu, role=Grant.Role.READONLY, display_name="王律师")
    return cast.lawyer


def make_legal(cast, *, handler=None, request=None, **extra):
    fields = {"kind": "arbitration", "parties": "申请人：张伟；被申请人：杭州示例科技有限公司",
              "claims": "支付拖欠工资 20000 元", "narrative": "2026 年 8 月起单位停发工资。",
              "employer_name": "杭州示例科技有限公司", "employer_uscc": TECH_USCC, "amount_claimed": "20000",
              "wage_arrears": True, "known_on": dt.date(2026, 8, 31)} | extra  # fmt: skip
    return services.legal_open(actor=cast.users.grassroots_admin, org=cast.orgs.company,
                               handler=handler or cast.users.grassroots_admin, request=request, **fields)  # fmt: skip
