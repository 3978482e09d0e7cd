from django.db import models
from django.db.models import Q

from gonghui.core.crypto import EncryptedTextField
from gonghui.orgs import access
from gonghui.orgs.scope import ScopedQuerySet

ETHNICITIES = (  # noqa: SIM905 — the 56 ethnic groups read best as one line of text
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族"
    " 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族"
    " 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族"
    " 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族 其他"
).split()


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Education(models.TextChoices):
    PRIMARY = "primary", "小学及以下"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中/中专/技校"
    COLLEGE = "college", "大专"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士"
    DOCTOR = "doctor", "博士"


class EmploymentForm(models.TextChoices):
    STANDARD = "standard", "全日制用工"
    DISPATCHED = "dispatched", "劳务派遣"
    PART_TIME = "part_time", "非全日制用工"
    COURIER = "courier", "快递员"
    FOOD_DELIVERY = "food_delivery", "外卖配送员"
    RIDE_HAILING = "ride_hailing", "网约车司机"
    TRUCK_DRIVER = "truck_driver", "货车司机"
    DOMESTIC = "domestic", "家政服务员"
    ONLINE_PLATFORM = "online_platform", "互联网平台从业人员"
    DESIGNATED_DRIVER = "designated_driver", "代驾司机"
    FLEXIBLE = "flexible", "其他灵活就业"


GIG_FORMS = {
    EmploymentForm.COURIER, EmploymentForm.FOOD_DELIVERY, EmploymentForm.RIDE_HAILING,
    EmploymentForm.TRUCK_DRIVER, EmploymentForm.DOMESTIC, EmploymentForm.ONLINE_PLATFORM,
    EmploymentForm.DESIGNATED_DRIVER, EmploymentForm.FLEXIBLE,
}  # fmt: skip


class Employer(models.Model):
    """用人单位 — the employer a member works for and a grassroots union may serve."""

    name = models.CharField("单位名称", max_length=200, db_index=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True, unique=True)
    region = models.ForeignKey("orgs.Region", verbose_name="所在地区", null=True, blank=True,
                               on_delete=models.PROTECT)  # fmt: skip
    is_platform = models.BooleanField("平台企业", default=False)

    class Meta:
        verbose_name = "用人单位"
        verbose_name_plural = "用人单位"

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(ScopedQuerySet):
    """People are scoped through their memberships: the current union's, or with none active any former
    union's (members.access.people_visible_q); a write needs the home union (members.access.home_org)."""

    def scope_filter(self, user, roles=None) -> Q:
        from gonghui.members.access import people_visible_q

        return people_visible_q(user, roles=roles)

    def get_for_read(self, user, pk: int):
        """The person with their employer and membership history, read in one query and decided on that
        history (members.access.sees_person, the list filter's rule for one person). Person.objects only: a
        filtered queryset's conditions would not apply, so it is refused."""
        from gonghui.members.access import sees_person
        from gonghui.members.selectors import history_with_person

        if self.query.has_filters():
            raise TypeError("Person.objects.get_for_read reads one person by key; call it on Person.objects")
        access.require_cadre(user)
        history = history_with_person(pk)
        if not history or not sees_person(user, history):
            raise self.not_found()
        return history[0].person

    def scope_orgs(self, obj) -> list:
        from gonghui.members.access import home_org
        from gonghui.members.selectors import memberships_of

        return [home_org(obj)] if memberships_of(obj) else []


class ThroughPersonQuerySet(ScopedQuerySet):
    """Rows about one person (their ``person`` link), in scope exactly when that person is."""

    def scope_filter(self, user, roles=None) -> Q:
        return Q(person__in=Person.objects.filter(Person.objects.scope_filter(user, roles)).values("pk"))

    def scope_orgs(self, obj) -> list:
        return Person.objects.scope_orgs(obj.person)


class Person(models.Model):
    """职工个人 — a real-name person; ID number and phone are kept encrypted with blind indexes."""

    name = models.CharField("姓名", max_length=50)
    name_pinyin = models.CharField("姓名全拼", max_length=120)
    name_initials = models.CharField("姓名首字母", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=16, choices=[(e, e) for e in ETHNICITIES], default="汉族")
    birth_date = models.DateField("出生日期")
    id_number_enc = EncryptedTextField("身份证号码（密文）")
    id_number_bidx = models.CharField("身份证号码索引", max_length=64)
    id_number_masked = models.CharField("身份证号码（脱敏）", max_length=18)
    phone_enc = EncryptedTextField("手机号码（密文）", blank=True)
    phone_bidx = models.CharField("手机号码索引", max_length=64, blank=True)
    phone_masked = models.CharField("手机号码（脱敏）", max_length=11, blank=True)
    education = models.CharField("学历", max_length=16, choices=Education.choices, blank=True)
    employment_form = models.CharField("就业形态", max_length=32, choices=EmploymentForm.choices,
                                       default=EmploymentForm.STANDARD)  # fmt: skip
    is_migrant = models.BooleanField("农民工", default=False)
    employer = models.ForeignKey(Employer, verbose_name="工作单位", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="people")  # fmt: skip
    job_title = models.CharField("岗位", max_length=50, blank=True)
    # The province of the current membership's union (of the latest one with none active): orgs.provinces;
    # 0 national-level. Kept by Membership.save, the bulk writers and the org move; the partition key when the
    # member tables are partitioned by province (members.partitioning, decision 0052).
    province = models.PositiveSmallIntegerField("省份代码", default=0)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_paths = ("memberships__org__path",)  # refined by PersonQuerySet: the current union decides
    scope_related = ("employer",)
    objects = PersonQuerySet.as_manager()

    # The masked forms are stored beside the ciphertext so that lists never decrypt.
    class Meta:
        verbose_name = "职工"
        verbose_name_plural = "职工"
        # Prefix search walks these in order (key >= p AND key < p+1 ORDER BY key, id LIMIT n), which is exact
        # under code-point order: on PostgreSQL a C / C.UTF-8 database (docs/deploy.md; core.checks).
        # The blind indexes are looked up by equality only: a constraint and a plain index, without the
        # varchar_pattern_ops twin PostgreSQL gets for unique=True / db_index=True (docs/bench.md lists what
        # each index of this table serves).
        indexes = [
            models.Index(fields=["name", "id"], name="person_name_idx"),
            models.Index(fields=["name_pinyin", "id"], name="person_pinyin_idx"),
            models.Index(fields=["name_initials", "id"], name="person_initials_idx"),
            models.Index(fields=["phone_bidx"], name="person_phone_bidx_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["id_number_bidx"], name="person_id_number_bidx_unique")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """会籍 — a person's membership of one union; the person's earlier memberships are its history."""

    class Status(models.TextChoices):
        ACTIVE = "active", "正常"
        TRANSFERRED = "transferred", "已转出"
        WITHDRAWN = "withdrawn", "已退会"
        LAPSED = "lapsed", "已除名"
        DECEASED = "deceased", "已故"

    person = models.ForeignKey(Person, verbose_name="职工", on_delete=models.PROTECT, related_name="memberships")
    # No index of its own: membership_org_status_idx leads with org (decision 0053).
    org = models.ForeignKey("orgs.Org", verbose_name="所在工会", on_delete=models.PROTECT,
                            related_name="memberships", db_index=False)  # fmt: skip
    card_number = models.CharField("会员证号", max_length=32)  # unique: membership_card_number_unique
    joined_on = models.DateField("入会日期")
    status = models.CharField("会籍状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    is_retired = models.BooleanField("退休会员", default=False)
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=200, blank=True)
    # The last month dues were paid or the member took part in union life; six months without either
    # raises a lapse warning (章程). Empty: nothing recorded since joining.
    last_active_on = models.DateField("最近缴费或参加活动日期", null=True, blank=True)
    # 电子会员证: the random key in the card's QR code (signed, see members.ecard). It travels with the card
    # on a transfer; revoking the card draws a new one, so every earlier code stops verifying.
    card_key = models.CharField("电子会员证密钥", max_length=24, null=True, blank=True)  # membership_card_key_unique
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # The roster row that last created or updated this member through an import (rosters.importer.row_digest:
    # HMAC-SM3 of its cells, no personal data readable from it) and the person's version it left: a later
    # import of the same row, with the person untouched since, is skipped without reading or decrypting
    # anything (decision 0047).
    roster_digest = models.CharField("花名册行摘要", max_length=64, blank=True, default="")
    roster_version = models.PositiveIntegerField("花名册行写入后的版本", null=True, blank=True)
    # The province of the union (orgs.provinces), set on every save; the bulk writers and the org move set it
    # themselves. The partition key when the member tables are partitioned (decision 0052).
    province = models.PositiveSmallIntegerField("省份代码", default=0)

    scope_paths = ("org__path",)
    scope_province = "province"  # the column orgs.access.scope_q narrows a one-province grant by
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "会籍"
        verbose_name_plural = "会籍"
        # Card number and card key are looked up by equality only: constraints, without the varchar_pattern_ops
        # twins unique=True makes on PostgreSQL; docs/bench.md lists what each index of this table serves.
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="active"), name="membership_one_active_per_person"
            ),
            models.UniqueConstraint(fields=["card_number"], name="membership_card_number_unique"),
            models.UniqueConstraint(fields=["card_key"], name="membership_card_key_unique"),
        ]
        indexes = [
            models.Index(fields=["org", "status", "-id"], name="membership_org_status_idx"),
            models.Index(fields=["status", "last_active_on"], name="membership_activity_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.card_number}"

    def save(self, *args, **kwargs):
        """The union's province onto the row, and onto the person while the membership is active."""
        from gonghui.orgs.provinces import province_of

        self.province = province_of(self.org)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "org" in update_fields:
            kwargs["update_fields"] = {*update_fields, "province"}
        super().save(*args, **kwargs)
        if self.status == self.Status.ACTIVE:
            Person.objects.filter(pk=self.person_id).exclude(province=self.province).update(province=self.province)


class TransferRequest(models.Model):
    """会员关系接转 — a member's move between unions.

    申请中 (requested, by the member or the sending union) → 已转出 (released by the sending union) →
    已接收 (accepted by the receiving union) or 已拒绝 (rejected); 已撤回 (cancelled) when the sending union
    is dissolved while the transfer is open. At most one open transfer per membership.

    The member card travels with the member (一次入会、动态接转): on acceptance the new membership at
    ``to_org`` takes over the card number and the joining date (seniority carries over), and the old,
    now 已转出 row gives the number up — it becomes "<number>@<old membership id>", unique because the id
    is, so the unique card column keeps naming exactly one row while the history still shows which card
    it was. ``card_number`` here keeps the number as it travelled."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "申请中"
        RELEASED = "released", "已转出"
        ACCEPTED = "accepted", "已接收"
        REJECTED = "rejected", "已拒绝"
        CANCELLED = "cancelled", "已撤回"

    class Initiator(models.TextChoices):
        MEMBER = "member", "会员本人申请"
        UNION = "union", "转出工会发起"

    OPEN = (Status.REQUESTED, Status.RELEASED)

    membership = models.ForeignKey(Membership, verbose_name="转出会籍", on_delete=models.PROTECT,
                                   related_name="transfers")  # fmt: skip
    new_membership = models.ForeignKey(Membership, verbose_name="转入会籍", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")  # fmt: skip
    from_org = models.ForeignKey("orgs.Org", verbose_name="转出工会", on_delete=models.PROTECT,
                                 related_name="transfers_out")  # fmt: skip
    to_org = models.ForeignKey("orgs.Org", verbose_name="转入工会", on_delete=models.PROTECT,
                               related_name="transfers_in")  # fmt: skip
    card_number = models.CharField("会员证号", max_length=32)
    initiated_by = models.CharField("发起方", max_length=16, choices=Initiator.choices)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.REQUESTED)
    reason = models.CharField("转会原因", max_length=200)
    reject_reason = models.CharField("拒绝原因", max_length=200, blank=True)
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    requested_by = models.ForeignKey("accounts.User", verbose_name="申请人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")  # fmt: skip
    released_at = models.DateTimeField("转出时间", null=True, blank=True)
    released_by = models.ForeignKey("accounts.User", verbose_name="转出经办人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", verbose_name="办结经办人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip

    scope_paths = ("from_org__path", "to_org__path")  # both unions see it
    scope_related = ("membership__person", "from_org", "to_org")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "会员关系接转"
        verbose_name_plural = "会员关系接转"
        constraints = [
            models.UniqueConstraint(
                fields=["membership"], condition=Q(status__in=["requested", "released"]),
                name="transfer_one_open_per_membership",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["from_org", "status", "-id"], name="transfer_from_idx"),
            models.Index(fields=["to_org", "status", "-id"], name="transfer_to_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.card_number}: {self.from_org_id} → {self.to_org_id}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class LapseWarning(models.Model):
    """会籍预警 — six months in a row without dues or activity (章程).

    预警 (raised by the daily job) → 已谈话 (the union records the counselling talk and its outcome) →
    已除名 (the union ends the membership as lapsed: only after a recorded talk, and only if nothing was
    paid or attended since) or 已解除 (a good reason was given, or dues or activity resumed)."""

    class Status(models.TextChoices):
        OPEN = "open", "预警中"
        COUNSELLED = "counselled", "已谈话"
        RESOLVED = "resolved", "已解除"
        LAPSED = "lapsed", "已除名"

    OPEN_STATUSES = (Status.OPEN, Status.COUNSELLED)

    membership = models.ForeignKey(Membership, verbose_name="会籍", on_delete=models.PROTECT,
                                   related_name="lapse_warnings")  # fmt: skip
    org = models.ForeignKey("orgs.Org", verbose_name="所在工会", on_delete=models.PROTECT, related_name="+")
    inactive_since = models.DateField("最近缴费或活动日期")
    raised_on = models.DateField("预警日期")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    counselled_on = models.DateField("谈话日期", null=True, blank=True)
    counselled_by = models.ForeignKey("accounts.User", verbose_name="谈话经办人", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")  # fmt: skip
    counsel_note = models.CharField("谈话情况", max_length=500, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey("accounts.User", verbose_name="办结经办人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")  # fmt: skip
    close_reason = models.CharField("办结说明", max_length=200, blank=True)
    case = models.OneToOneField("cases.Case", verbose_name="事项", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="lapse_warning")  # fmt: skip

    scope_paths = ("org__path",)
    scope_related = ("membership", "org")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "会籍预警"
        verbose_name_plural = "会籍预警"
        constraints = [
            models.UniqueConstraint(
                fields=["membership"], condition=Q(status__in=["open", "counselled"]),
                name="lapse_one_open_per_membership",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["org", "status", "-id"], name="lapse_org_status_idx")]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
