"""普惠: offers (vouchers or discounts) a union issues to the members of its subtree, with a budget, a count, a
limit per member and a validity window; the vouchers members claim (a random code, shown as a QR code); and the
merchants (or service venues) that redeem them offline, each with an account of its own
(docs/decisions/0036-benefits-vouchers.md)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from gonghui.core.crypto import EncryptedTextField
from gonghui.orgs.scope import ScopedQuerySet


class Merchant(models.Model):
    """合作商户 — a shop, pharmacy, gym… or a union service venue, enrolled by a union (its scope), that redeems
    vouchers. ``account`` is its own sign-in: no grant, no member record; it sees only its own redemptions. The
    invite (a one-time link to set the password) is kept as a digest until it is used or expires."""

    org = models.ForeignKey("orgs.Org", verbose_name="签约工会", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("商户名称", max_length=100)
    address = models.CharField("地址", max_length=200)
    venue = models.ForeignKey("venues.Venue", verbose_name="所属服务阵地", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")  # fmt: skip
    account = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="商户账号", on_delete=models.PROTECT,
                                   related_name="merchant")  # fmt: skip
    invite_digest = models.CharField("邀请链接摘要", max_length=64, blank=True, db_index=True)
    invite_expires_at = models.DateTimeField("邀请链接有效期", null=True, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("签约时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "account")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "合作商户"
        verbose_name_plural = "合作商户"
        indexes = [models.Index(fields=["org", "name"], name="merchant_org_name_idx")]

    def __str__(self) -> str:
        return self.name


class Offer(models.Model):
    """普惠券 — an offer of a union: a voucher of a face value (代金券) or a discount (折扣券, ``discount_percent``
    of the price, at most ``value_fen`` off); ``budget_fen`` and ``total_count`` bound what may be claimed, each
    member may claim ``per_member_limit``; valid from ``valid_from`` to ``valid_until``; for the members of the
    union's subtree, optionally only some employment forms. The counters are kept under the row lock of a claim
    (claimed) and by the redemption's conditional update (redeemed): the reports read them, not the vouchers."""

    class Kind(models.TextChoices):
        VOUCHER = "voucher", "代金券"
        DISCOUNT = "discount", "折扣券"

    org = models.ForeignKey("orgs.Org", verbose_name="发放工会", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    description = models.TextField("使用说明", blank=True)
    value_fen = models.BigIntegerField("面值或最高优惠（分）")
    discount_percent = models.PositiveSmallIntegerField("折扣（付原价的百分之几）", null=True, blank=True)
    budget_fen = models.BigIntegerField("预算（分）")
    total_count = models.PositiveIntegerField("发放张数")
    per_member_limit = models.PositiveSmallIntegerField("每人限领", default=1)
    valid_from = models.DateTimeField("有效期起")
    valid_until = models.DateTimeField("有效期止")
    employment_forms = models.JSONField("限定就业形态", default=list, blank=True)
    merchants = models.ManyToManyField(Merchant, verbose_name="适用商户", related_name="offers")
    claimed_count = models.PositiveIntegerField("已领张数", default=0)
    claimed_fen = models.BigIntegerField("已领金额（分）", default=0)
    redeemed_count = models.PositiveIntegerField("已核销张数", default=0)
    redeemed_fen = models.BigIntegerField("已核销金额（分）", default=0)
    closed_at = models.DateTimeField("停止发放时间", null=True, blank=True)
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    # activities' eligibility check reads this: an offer is for every member of the union's subtree (of the listed
    # employment forms), never limited to a group of people
    groups = ()

    class Meta:
        verbose_name = "普惠券"
        verbose_name_plural = "普惠券"
        indexes = [models.Index(fields=["org", "valid_until"], name="offer_org_until_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(claimed_count__lte=F("total_count")), name="offer_count_never_exceeded"),
            models.CheckConstraint(condition=Q(claimed_fen__lte=F("budget_fen")), name="offer_budget_never_exceeded"),
            models.CheckConstraint(condition=Q(redeemed_count__lte=F("claimed_count")),
                                   name="offer_redeemed_within_claimed"),
            models.CheckConstraint(condition=Q(value_fen__gt=0), name="offer_value_positive"),
            models.CheckConstraint(condition=Q(valid_until__gt=F("valid_from")), name="offer_valid_window"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    @property
    def discount_label(self) -> str:
        """85 -> "8.5折", 80 -> "8折" (as shops write it)."""
        return f"{self.discount_percent / 10:g}折" if self.discount_percent else ""

    @property
    def employment_form_labels(self) -> str:
        from gonghui.members.models import EmploymentForm

        return "、".join(EmploymentForm(f).label for f in self.employment_forms)

    @property
    def left(self) -> int:
        """How many may still be claimed: the count left, and what the budget left pays for."""
        return max(
            0, min(self.total_count - self.claimed_count, (self.budget_fen - self.claimed_fen) // self.value_fen)
        )


class Voucher(models.Model):
    """券 — one claim of an offer by a member: a random code (encrypted; found by its blind index) that a merchant
    of the offer redeems once. ``seq`` numbers the member's claims of the offer (1, 2, … up to the limit): a unique
    constraint, so that two claims racing past the lock could not both take the same place."""

    offer = models.ForeignKey(Offer, verbose_name="普惠券", on_delete=models.PROTECT, related_name="vouchers")
    person = models.ForeignKey("members.Person", verbose_name="领取人", on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveSmallIntegerField("第几张")
    value_fen = models.BigIntegerField("金额（分）")
    code_enc = EncryptedTextField("券码（密文）")
    code_bidx = models.CharField("券码索引", max_length=64, unique=True)
    claimed_at = models.DateTimeField("领取时间")
    redeemed_at = models.DateTimeField("核销时间", null=True, blank=True)
    redeemed_fen = models.BigIntegerField("核销优惠金额（分）", null=True, blank=True)
    merchant = models.ForeignKey(Merchant, verbose_name="核销商户", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="redemptions")  # fmt: skip

    class Meta:
        verbose_name = "领取的普惠券"
        verbose_name_plural = "领取的普惠券"
        constraints = [
            models.UniqueConstraint(fields=["offer", "person", "seq"], name="voucher_one_per_place"),
            models.CheckConstraint(condition=Q(redeemed_at__isnull=True) | Q(merchant__isnull=False),
                                   name="voucher_redeemed_by_a_merchant"),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["claimed_at"], name="voucher_claimed_idx"),
            models.Index(fields=["redeemed_at"], name="voucher_redeemed_idx"),
            models.Index(fields=["merchant", "redeemed_at"], name="voucher_merchant_idx"),
            models.Index(fields=["person", "claimed_at"], name="voucher_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} {self.person_id} #{self.seq}"
