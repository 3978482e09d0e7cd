import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

from gonghui.orgs.scope import ScopedQuerySet

PATH_SEGMENT_WIDTH = 7  # base-36 digits of the org id: 78 billion orgs before the width must grow
COMMITTEE_THRESHOLD = 25  # 工会法 art. 10 / 章程: 25 members or more form a committee


def path_segment(org_id: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while org_id:
        org_id, rem = divmod(org_id, 36)
        out = digits[rem] + out
    return out.rjust(PATH_SEGMENT_WIDTH, "0") + "."


class Region(models.Model):
    """行政区划 — a division of GB/T 2260 (province, city, county) or a township (统计用区划代码)."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, "省级"
        CITY = 2, "地级"
        COUNTY = 3, "县级"
        TOWNSHIP = 4, "乡级"

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=64)
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def names(self) -> list[str]:
        """The names from the province down to this region, without the placeholder levels (市辖区, 县…)."""
        names, region = [], self
        while region is not None:
            if region.name not in {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}:
                names.append(region.name)
            region = region.parent
        return list(reversed(names))

    def full_name(self) -> str:
        return "".join(self.names())

    def path_label(self) -> str:
        """省 › 市 › 区 › 街道, as a union picker shows it."""
        return " › ".join(self.names())


class OrgType(models.TextChoices):
    NATIONAL = "national", "全国总工会"
    PROVINCE = "province", "省级总工会"
    CITY = "city", "市级总工会"
    COUNTY = "county", "县（区）总工会"
    TOWNSHIP = "township", "乡镇（街道）工会"
    INDUSTRY = "industry", "产业工会"
    REGIONAL_FEDERATION = "regional_federation", "区域性工会联合会"
    SECTOR_FEDERATION = "sector_federation", "行业性工会联合会"
    GRASSROOTS = "grassroots", "基层工会"
    JOINT_GRASSROOTS = "joint_grassroots", "联合基层工会"
    BRANCH = "branch", "分工会"
    GROUP = "group", "工会小组"


# Which types may sit under which (工会章程: organisation by industry and by region).
FEDERATION_TYPES = {OrgType.NATIONAL, OrgType.PROVINCE, OrgType.CITY, OrgType.COUNTY, OrgType.TOWNSHIP}
MEMBER_HOLDING_TYPES = {
    OrgType.GRASSROOTS, OrgType.JOINT_GRASSROOTS, OrgType.BRANCH, OrgType.GROUP,
    OrgType.TOWNSHIP, OrgType.REGIONAL_FEDERATION, OrgType.SECTOR_FEDERATION,
}  # fmt: skip
ALLOWED_CHILDREN: dict[str, set[str]] = {
    OrgType.NATIONAL: {OrgType.PROVINCE, OrgType.INDUSTRY},
    OrgType.PROVINCE: {OrgType.CITY, OrgType.COUNTY, OrgType.INDUSTRY, OrgType.GRASSROOTS,
                       OrgType.SECTOR_FEDERATION},
    OrgType.CITY: {OrgType.COUNTY, OrgType.INDUSTRY, OrgType.GRASSROOTS, OrgType.SECTOR_FEDERATION,
                   OrgType.REGIONAL_FEDERATION},
    OrgType.COUNTY: {OrgType.TOWNSHIP, OrgType.INDUSTRY, OrgType.GRASSROOTS, OrgType.JOINT_GRASSROOTS,
                     OrgType.REGIONAL_FEDERATION, OrgType.SECTOR_FEDERATION},
    OrgType.TOWNSHIP: {OrgType.GRASSROOTS, OrgType.JOINT_GRASSROOTS, OrgType.REGIONAL_FEDERATION,
                       OrgType.SECTOR_FEDERATION},
    OrgType.INDUSTRY: {OrgType.INDUSTRY, OrgType.GRASSROOTS},
    OrgType.REGIONAL_FEDERATION: {OrgType.GRASSROOTS, OrgType.JOINT_GRASSROOTS},
    OrgType.SECTOR_FEDERATION: {OrgType.GRASSROOTS, OrgType.JOINT_GRASSROOTS},
    OrgType.GRASSROOTS: {OrgType.BRANCH, OrgType.GROUP},
    OrgType.JOINT_GRASSROOTS: {OrgType.BRANCH, OrgType.GROUP},
    OrgType.BRANCH: {OrgType.GROUP},
    OrgType.GROUP: set(),
}  # fmt: skip


class Org(models.Model):
    """工会组织 — one node of the union tree, from 全总 down to a 工会小组.

    ``path`` is the materialized path of base-36 id segments ("000000a.00001b3."), so a subtree is one
    indexed prefix scan and a move rewrites the paths of the subtree in one statement."""

    class Status(models.TextChoices):
        PREPARING = "preparing", "筹建"
        ACTIVE = "active", "正常"
        REVOKED = "revoked", "撤销"

    class Leadership(models.TextChoices):
        COMMITTEE = "committee", "工会委员会"
        ORGANISER = "organiser", "组织员"

    name = models.CharField("名称", max_length=100)
    # The union pickers' search keys (orgs.selectors.named): 西湖区总工会 -> xihuquzonggonghui, xhqzgh.
    name_pinyin = models.CharField("名称全拼", max_length=400, blank=True, db_index=True)
    name_initials = models.CharField("名称首字母", max_length=100, blank=True, db_index=True)
    org_type = models.CharField("组织类型", max_length=32, choices=OrgType.choices)
    region = models.ForeignKey(Region, verbose_name="所在地区", on_delete=models.PROTECT)
    parent = models.ForeignKey(
        "self", verbose_name="上级工会", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=255, unique=True)
    depth = models.PositiveSmallIntegerField("层级", default=0)
    employer = models.ForeignKey(
        "members.Employer",
        verbose_name="所在单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unions",
    )
    uscc = models.CharField("工会统一社会信用代码", max_length=18, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    leadership = models.CharField("领导机构", max_length=16, choices=Leadership.choices, default=Leadership.COMMITTEE)
    term_years = models.PositiveSmallIntegerField("委员会任期（年）", choices=[(3, "3 年"), (5, "5 年")], default=5)
    term_started_on = models.DateField("本届任期开始", null=True, blank=True)
    member_count = models.PositiveIntegerField("直属会员数", default=0)
    # Kept by the services with member_count (orgs.counts.member_counts_add): the org page reads its children's
    # totals from their rows instead of summing the subtree (decision 0030).
    subtree_member_count = models.PositiveIntegerField("含下级会员数", default=0)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_paths = ("path",)
    scope_related = ("region", "parent", "employer")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "工会组织"
        verbose_name_plural = "工会组织"
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="org_path_prefix_idx", opclasses=["varchar_pattern_ops"],
                         include=["member_count"]),
            models.Index(fields=["region", "org_type"], name="org_region_type_idx"),
            models.Index(fields=["parent", "name"], name="org_parent_name_idx"),
        ]  # fmt: skip
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=~Q(uscc=""),
                name="org_uscc_unique",
                violation_error_message="该统一社会信用代码已被另一个工会组织使用。",
            ),
            models.CheckConstraint(
                condition=Q(term_years__in=[3, 5]),
                name="org_term_3_or_5",
                violation_error_message="委员会任期只能是 3 年或 5 年。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def term_ends_on(self) -> dt.date | None:
        if self.term_started_on is None:
            return None
        start = self.term_started_on
        try:
            return start.replace(year=start.year + self.term_years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + self.term_years, day=28)

    @property
    def term_overdue(self) -> bool:
        """本届任期已届满 (工会法 art. 16: elections are due when the term ends)."""
        ends = self.term_ends_on
        return ends is not None and ends <= timezone.localdate()

    def ancestor_paths(self) -> list[str]:
        width = PATH_SEGMENT_WIDTH + 1
        return [self.path[: i + width] for i in range(0, len(self.path) - width, width)]
