"""The member lists a cadre sees (core.lists): the member search, transfers and 会籍预警; their export columns."""

from gonghui.core import crypto
from gonghui.core.lists import CadreList, Column, local_time
from gonghui.members import selectors
from gonghui.members.forms import MemberSearchForm
from gonghui.members.models import Membership
from gonghui.orgs.models import Org


def _employer(m: Membership, attribute: str) -> str:
    employer = m.person.employer
    return (getattr(employer, attribute) or "") if employer else ""


# 花名册 columns: what the roster export has always written, in its order; ID number and phone masked unless
# the export is unmasked.
ROSTER_COLUMNS = (
    Column("所在工会", lambda m: m.org.name),
    Column("姓名", lambda m: m.person.name),
    Column("身份证号", lambda m: m.person.id_number_masked, full=lambda m: crypto.decrypt(m.person.id_number_enc)),
    Column(
        "手机号",
        lambda m: m.person.phone_masked,
        full=lambda m: crypto.decrypt(m.person.phone_enc) if m.person.phone_enc else "",
    ),  # fmt: skip
    Column("民族", lambda m: m.person.ethnicity),
    Column("学历", lambda m: m.person.get_education_display() if m.person.education else ""),
    Column("就业形态", lambda m: m.person.get_employment_form_display()),
    Column("是否农民工", lambda m: "是" if m.person.is_migrant else "否"),
    Column("工作单位", lambda m: _employer(m, "name")),
    Column("单位统一社会信用代码", lambda m: _employer(m, "uscc")),
    Column("职务", lambda m: m.person.job_title),
    Column("入会日期", lambda m: m.joined_on),
    Column("会员证号", lambda m: m.card_number),
    Column("性别", lambda m: m.person.get_gender_display()),
    Column("出生日期", lambda m: m.person.birth_date),
)


def org_filter(user, filters: dict) -> Org | None:
    """The org a list is narrowed to by its ``org`` filter (an id: 404 outside the user's scope), if any."""
    org = filters.get("org")
    return Org.objects.get_for_read(user, org) if org and not isinstance(org, Org) else org or None


def _member_rows(user, filters: dict):
    migrant = {"1": True, "0": False}.get(filters.get("migrant", ""))
    return selectors.member_search(
        user, org=org_filter(user, filters), q=filters.get("q", ""), employment_form=filters.get("employment_form", ""),
        gender=filters.get("gender", ""), is_migrant=migrant,
    )  # fmt: skip


MEMBERS = CadreList(
    name="members.members", title="会员名单", rows=_member_rows, columns=ROSTER_COLUMNS, filters=MemberSearchForm,
    org_of=org_filter, audit_action="member.list.export",
    counter=lambda rows, filters: selectors.search_count(rows, filters.get("q", "")),
)  # fmt: skip


TRANSFERS = CadreList(
    name="members.transfers", title="会员关系接转",
    rows=lambda user, filters: selectors.transfers_visible_to(user),
    columns=(
        Column("会员", lambda t: t.membership.person.name),
        Column("转出工会", lambda t: t.from_org.name),
        Column("转入工会", lambda t: t.to_org.name),
        Column("原因", lambda t: t.reason),
        Column("申请时间", lambda t: local_time(t.requested_at)),
        Column("状态", lambda t: t.get_status_display()),
    ),
    audit_action="member.transfers.export",
)  # fmt: skip


LAPSE_WARNINGS = CadreList(
    name="members.lapse", title="会籍预警",
    rows=lambda user, filters: selectors.lapse_warnings_visible_to(user),
    columns=(
        Column("会员", lambda w: w.membership.person.name),
        Column("所在工会", lambda w: w.org.name),
        Column("最近缴费或活动", lambda w: w.inactive_since),
        Column("预警日期", lambda w: w.raised_on),
        Column("谈话日期", lambda w: w.counselled_on),
        Column("谈话情况", lambda w: w.counsel_note),
        Column("状态", lambda w: w.get_status_display()),
    ),
    audit_action="member.lapse.export",
)  # fmt: skip
