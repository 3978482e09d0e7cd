"""Which union handles a joining application (or a transfer whose new employer has no union).

In order: the org of a scanned join code (if it may hold members); the employer's own grassroots union;
for new forms of employment (GIG_FORMS) a sector federation of the worker's trade, else a regional
federation, covering the worker's region (the nearest region up wins); the township/street union of the
region, walking up from the worker's region; failing all, the nearest local federation, which reassigns."""

from gonghui.joining.models import RoutingRule
from gonghui.members.models import GIG_FORMS, EmploymentForm
from gonghui.orgs.models import MEMBER_HOLDING_TYPES, Org, OrgType, Region

# Words a sector federation's name carries for each trade (e.g. "西湖区快递行业工会联合会").
TRADE_WORDS = {
    EmploymentForm.COURIER: ("快递",),
    EmploymentForm.FOOD_DELIVERY: ("外卖", "配送"),
    EmploymentForm.RIDE_HAILING: ("网约车", "出租"),
    EmploymentForm.TRUCK_DRIVER: ("货车", "货运", "物流"),
    EmploymentForm.DOMESTIC: ("家政",),
    EmploymentForm.DESIGNATED_DRIVER: ("代驾",),
    EmploymentForm.ONLINE_PLATFORM: ("平台", "互联网"),
}
LOCAL_FEDERATIONS = (OrgType.COUNTY, OrgType.CITY, OrgType.PROVINCE)


def _region_chain(region: Region | None) -> list[str]:
    codes = []
    while region is not None:
        codes.append(region.code)
        region = region.parent
    return codes


def _nearest(orgs: list[Org], chain: list[str]) -> Org | None:
    ranked = sorted(orgs, key=lambda o: (chain.index(o.region_id), o.pk))
    return ranked[0] if ranked else None


def _active(**lookup) -> list[Org]:
    return list(Org.objects.filter(status=Org.Status.ACTIVE, **lookup))


def _federation(chain: list[str], employment_form: str) -> Org | None:
    feds = _active(region_id__in=chain, org_type__in=[OrgType.SECTOR_FEDERATION, OrgType.REGIONAL_FEDERATION])
    words = TRADE_WORDS.get(employment_form, ())
    trade = [o for o in feds if o.org_type == OrgType.SECTOR_FEDERATION and any(w in o.name for w in words)]
    regional = [o for o in feds if o.org_type == OrgType.REGIONAL_FEDERATION]
    return _nearest(trade, chain) or _nearest(regional, chain)


def responsible_union(*, employer, region: Region | None, employment_form: str,
                      join_code_org: Org | None = None) -> tuple[Org | None, str]:  # fmt: skip
    """(the union, the RoutingRule that chose it); (None, "") only if nothing at all covers the region."""
    if join_code_org is not None and join_code_org.status == Org.Status.ACTIVE \
            and join_code_org.org_type in MEMBER_HOLDING_TYPES:  # fmt: skip
        return join_code_org, RoutingRule.JOIN_CODE
    if employer is not None:
        unions = _active(employer=employer, org_type__in=[OrgType.GRASSROOTS, OrgType.JOINT_GRASSROOTS])
        if unions:
            return min(unions, key=lambda o: o.pk), RoutingRule.EMPLOYER_UNION
    chain = _region_chain(region)
    if employment_form in GIG_FORMS and (federation := _federation(chain, employment_form)):
        return federation, RoutingRule.FEDERATION
    if township := _nearest(_active(region_id__in=chain, org_type=OrgType.TOWNSHIP), chain):
        return township, RoutingRule.TOWNSHIP
    if upper := _nearest(_active(region_id__in=chain, org_type__in=LOCAL_FEDERATIONS), chain):
        return upper, RoutingRule.UPPER
    return None, ""
