"""服务阵地: the places workers can go — outdoor workers' rest stations (工会驿站), worker service centres,
workers' cultural palaces, worker libraries and nursing rooms — with their position (GCJ-02), opening hours,
facilities, host union, keeper and the standard of their kind; their recognitions; check-ins by QR code and
the footfall per venue and day."""

from django.db import models

from gonghui.core.files import PrivateFileField
from gonghui.orgs.scope import ScopedQuerySet


class Kind(models.TextChoices):
    """阵地类型."""

    STATION = "station", "工会驿站（户外劳动者服务站点）"
    CENTRE = "centre", "职工服务中心"
    PALACE = "palace", "工人文化宫"
    LIBRARY = "library", "职工书屋"
    NURSING = "nursing", "女职工休息哺乳室"


class Facility(models.IntegerChoices):
    """设施: one bit each of ``Venue.facilities`` (a filter is one bitwise test on the row)."""

    REST = 1, "休息座椅"
    WATER = 2, "饮水"
    HEATING = 4, "取暖"
    CHARGING = 8, "充电"
    TOILET = 16, "如厕"
    FIRST_AID = 32, "急救药箱"
    MICROWAVE = 64, "微波炉"
    COOLING = 128, "空调纳凉"
    WIFI = 256, "无线网络"
    FRIDGE = 512, "冰箱"
    SINK = 1024, "洗手池"
    NURSING_CHAIR = 2048, "哺乳椅"
    CURTAIN = 4096, "遮挡帘"
    CHANGING_TABLE = 8192, "婴儿护理台"
    COMPUTER = 16384, "电脑"


class LibraryGrade(models.TextChoices):
    """职工书屋的级别."""

    NONE = "", "—"
    NATIONAL = "national", "全国职工书屋示范点"
    LOCAL = "local", "地方示范点"
    SELF_BUILT = "self_built", "自建书屋"


class Venue(models.Model):
    """服务阵地 — one place: its kind, host union (its scope), address and GCJ-02 position, hours, facilities
    (bits of ``Facility``), keeper, and what its kind's standard asks (area, books, the items checked by hand)."""

    org = models.ForeignKey("orgs.Org", verbose_name="主办工会", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    name = models.CharField("名称", max_length=100)
    address = models.CharField("地址", max_length=200)
    lat = models.FloatField("纬度（GCJ-02）", null=True, blank=True)
    lng = models.FloatField("经度（GCJ-02）", null=True, blank=True)
    phone = models.CharField("服务电话", max_length=20, blank=True)
    all_day = models.BooleanField("24 小时开放", default=False)
    opens_at = models.TimeField("开放时间", null=True, blank=True)
    closes_at = models.TimeField("关闭时间", null=True, blank=True)
    open_days = models.CharField("开放日（1-7 为周一至周日）", max_length=7, default="1234567")
    facilities = models.PositiveIntegerField("设施", default=0)
    keeper = models.ForeignKey("accounts.User", verbose_name="管理员", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="kept_venues")  # fmt: skip
    keeper_name = models.CharField("管理员姓名", max_length=50, blank=True)
    area_m2 = models.DecimalField("面积（平方米）", max_digits=8, decimal_places=1, null=True, blank=True)
    books = models.PositiveIntegerField("藏书（册）", null=True, blank=True)
    digital_platform = models.BooleanField("数字阅读平台", default=False)
    library_grade = models.CharField("书屋级别", max_length=16, choices=LibraryGrade.choices, blank=True)
    checked = models.JSONField("人工核验的标准项", default=list, blank=True)
    qr_version = models.PositiveIntegerField("二维码版本", default=1)  # a new version voids printed codes
    is_active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("org__path",)
    scope_related = ("org", "keeper")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "服务阵地"
        verbose_name_plural = "服务阵地"
        indexes = [
            # the nearest-station search: a latitude band, then the longitude within it, from the index alone
            models.Index(fields=["lat", "lng"], name="venue_position_idx"),
            models.Index(fields=["org", "kind"], name="venue_org_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(lat__isnull=True) | models.Q(lat__gte=-90, lat__lte=90),
                                   name="venue_lat_range"),
            models.CheckConstraint(condition=models.Q(lng__isnull=True) | models.Q(lng__gte=-180, lng__lte=180),
                                   name="venue_lng_range"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name

    def facility_labels(self) -> list[str]:
        return [f.label for f in Facility if self.facilities & f.value]


class Recognition(models.Model):
    """荣誉 — a title a venue was given in a year (最美工会驿站, 全国职工书屋示范点 …) and by whom."""

    class Title(models.TextChoices):
        BEST_STATION = "best_station", "最美工会驿站"
        DEMO_LIBRARY = "demo_library", "示范职工书屋"
        MODEL_NURSING = "model_nursing", "示范女职工休息哺乳室"
        OTHER = "other", "其他荣誉"

    venue = models.ForeignKey(Venue, verbose_name="服务阵地", on_delete=models.CASCADE, related_name="recognitions")
    title = models.CharField("荣誉", max_length=16, choices=Title.choices)
    year = models.PositiveSmallIntegerField("年度")
    conferred_by = models.CharField("授予单位", max_length=100)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "阵地荣誉"
        verbose_name_plural = "阵地荣誉"
        constraints = [models.UniqueConstraint(fields=["venue", "title", "year"], name="recognition_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_title_display()}"


class CheckIn(models.Model):
    """扫码签到 — a signed-in person scanned a venue's QR code on a day (Asia/Shanghai): once a day per venue.
    Personal data (who was where): deleted after ``checkin_keep_days``; the footfall stays."""

    venue = models.ForeignKey(Venue, verbose_name="服务阵地", on_delete=models.CASCADE, related_name="checkins")
    user = models.ForeignKey("accounts.User", verbose_name="签到人", on_delete=models.CASCADE, related_name="+")
    day = models.DateField("日期")
    at = models.DateTimeField("签到时间")

    class Meta:
        verbose_name = "扫码签到"
        verbose_name_plural = "扫码签到"
        constraints = [models.UniqueConstraint(fields=["venue", "user", "day"], name="checkin_once_a_day")]
        indexes = [models.Index(fields=["day"], name="checkin_day_idx")]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.day}"


class Footfall(models.Model):
    """客流 — check-ins per venue and day (a rollup kept by the check-in service, docs/architecture.md rule 7)."""

    venue = models.ForeignKey(Venue, verbose_name="服务阵地", on_delete=models.CASCADE, related_name="footfall")
    day = models.DateField("日期")
    visits = models.PositiveIntegerField("人次", default=0)

    class Meta:
        verbose_name = "阵地客流"
        verbose_name_plural = "阵地客流"
        constraints = [models.UniqueConstraint(fields=["venue", "day"], name="footfall_once_a_day")]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.day} {self.visits}"


class VenuePhoto(models.Model):
    """照片 — a photo of the venue, checked by its content, re-encoded without its metadata (a phone's photo
    carries where and when it was taken) and stored encrypted at rest (core.files). Who uploaded it is in the
    audit log, not here."""

    venue = models.ForeignKey(Venue, verbose_name="服务阵地", on_delete=models.CASCADE, related_name="photos")
    file_path = PrivateFileField("文件", max_length=200)
    kind = models.CharField("格式", max_length=4)  # "jpg" or "png", as stored
    width = models.PositiveIntegerField("宽（像素）")
    height = models.PositiveIntegerField("高（像素）")
    size = models.PositiveIntegerField("大小（字节）")
    caption = models.CharField("说明", max_length=50, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "阵地照片"
        verbose_name_plural = "阵地照片"
        indexes = [models.Index(fields=["venue", "created_at"], name="venue_photo_idx")]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.pk}"
