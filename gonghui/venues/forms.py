"""Forms of the venues pages: validate what was typed; the services apply the rules."""

from django import forms

from gonghui.accounts.models import User
from gonghui.core.web import BootstrapForm
from gonghui.venues.models import Facility, Kind, LibraryGrade, Recognition
from gonghui.venues.standards import MANUAL_ITEMS

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DAYS = [(str(i), f"周{name}") for i, name in enumerate("一二三四五六日", start=1)]
MANUAL_CHOICES = [(code, label) for items in MANUAL_ITEMS.values() for code, label in items.items()]


class _Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes that the templates lay out one by one (venues/_checks.html), Bootstrap-styled."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-check-input", **(attrs or {})}, choices)


class VenueForm(BootstrapForm):
    org = forms.ModelChoiceField(label="主办工会", queryset=None)
    kind = forms.ChoiceField(label="类型", choices=Kind.choices)
    name = forms.CharField(label="名称", max_length=100)
    address = forms.CharField(label="地址", max_length=200)
    lat = forms.FloatField(label="纬度", required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label="经度", required=False, min_value=-180, max_value=180)
    wgs84 = forms.BooleanField(label="这是手机 GPS 坐标（WGS-84），请转换为国内地图坐标（GCJ-02）", required=False)
    phone = forms.CharField(label="服务电话", max_length=20, required=False)
    all_day = forms.BooleanField(label="24 小时开放", required=False)
    opens_at = forms.TimeField(label="开放时间", required=False, widget=TIME_INPUT)
    closes_at = forms.TimeField(label="关闭时间", required=False, widget=TIME_INPUT)
    open_days = forms.MultipleChoiceField(label="开放日", choices=DAYS, widget=_Checkboxes,
                                          initial=[d for d, _ in DAYS])  # fmt: skip
    facilities = forms.TypedMultipleChoiceField(label="设施", choices=Facility.choices, coerce=int, required=False,
                                                widget=_Checkboxes)  # fmt: skip
    keeper_username = forms.CharField(label="管理员账号（用户名，可不填）", max_length=150, required=False)
    keeper_name = forms.CharField(label="管理员姓名", max_length=50, required=False)
    area_m2 = forms.DecimalField(label="面积（平方米）", required=False, min_value=0, max_digits=8, decimal_places=1)
    books = forms.IntegerField(label="藏书（册）", required=False, min_value=0)
    digital_platform = forms.BooleanField(label="有数字阅读平台", required=False)
    library_grade = forms.ChoiceField(label="书屋级别", choices=LibraryGrade.choices, required=False)
    checked = forms.MultipleChoiceField(label="现场核验（按阵地类型适用）", choices=MANUAL_CHOICES, required=False,
                                        widget=_Checkboxes)  # fmt: skip

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        for field in self.fields.values():
            if isinstance(field.widget, _Checkboxes):
                field.widget.attrs["class"] = "form-check-input"

    def clean_keeper_username(self):
        username = self.cleaned_data["keeper_username"].strip()
        if not username:
            return None
        keeper = User.objects.filter(username=username, is_active=True).first()
        if keeper is None:
            raise forms.ValidationError("没有这个账号。")
        return keeper

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("org", None)
        data["keeper"] = data.pop("keeper_username")
        data["open_days"] = "".join(data["open_days"])
        return data


class VenueEditForm(VenueForm):
    is_active = forms.BooleanField(label="在用", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["org"]


class RecognitionForm(BootstrapForm):
    title = forms.ChoiceField(label="荣誉", choices=Recognition.Title.choices)
    year = forms.IntegerField(label="年度", min_value=1949, max_value=2100)
    conferred_by = forms.CharField(label="授予单位", max_length=100)


class NearbyForm(forms.Form):
    """附近的阵地: a position (from the phone's GPS, WGS-84, or typed as GCJ-02) and the filters."""

    lat = forms.FloatField(
        label="纬度",
        min_value=-90,
        max_value=90,
        error_messages={"invalid": "纬度应为数字，如 30.2590。", "required": "请先定位，或输入纬度和经度。"},
    )
    lng = forms.FloatField(
        label="经度",
        min_value=-180,
        max_value=180,
        error_messages={"invalid": "经度应为数字，如 120.1300。", "required": "请先定位，或输入纬度和经度。"},
    )
    gps = forms.BooleanField(required=False)
    kind = forms.ChoiceField(label="类型", choices=[("", "全部类型"), *Kind.choices], required=False)
    facilities = forms.TypedMultipleChoiceField(label="需要的设施", coerce=int, required=False, widget=_Checkboxes,
                                                choices=[(f.value, f.label) for f in Facility][:9])  # fmt: skip
    open_now = forms.BooleanField(
        label="只看正在开放",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input", "role": "switch"}),
    )
