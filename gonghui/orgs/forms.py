"""Forms of the union tree pages. They validate input; the services decide and write."""

from django import forms
from django.core.exceptions import ValidationError

from gonghui.core.identifiers import parse_uscc
from gonghui.core.web import DATE_INPUT, BootstrapForm
from gonghui.orgs.models import ALLOWED_CHILDREN, Org, OrgType, Region


def clean_uscc_field(value: str) -> str:
    return parse_uscc(value) if value.strip() else ""


class OrgFieldsForm(BootstrapForm):
    """The org's own fields, shared by create and edit."""

    name = forms.CharField(label="组织名称", max_length=100)
    region = forms.ModelChoiceField(label="所在地区", queryset=Region.objects.all(), widget=forms.HiddenInput,
                                    error_messages={"required": "请选择所在地区。"})  # fmt: skip
    employer_name = forms.CharField(label="所在单位", max_length=200, required=False,
                                    help_text="基层工会所在的用人单位；区域、行业工会可不填。")  # fmt: skip
    employer_uscc = forms.CharField(label="单位统一社会信用代码", max_length=30, required=False)
    uscc = forms.CharField(label="工会统一社会信用代码", max_length=30, required=False)
    founded_on = forms.DateField(label="成立日期", required=False, widget=DATE_INPUT)
    status = forms.ChoiceField(label="状态", choices=Org.Status.choices, initial=Org.Status.ACTIVE)
    leadership = forms.ChoiceField(label="领导机构", choices=Org.Leadership.choices, initial=Org.Leadership.COMMITTEE)
    term_years = forms.TypedChoiceField(label="委员会任期", choices=[(5, "5 年"), (3, "3 年")], coerce=int, initial=5)
    term_started_on = forms.DateField(label="本届任期开始", required=False, widget=DATE_INPUT)

    org_pk: int | None = None  # the org being edited, which may keep its own code

    def clean_uscc(self) -> str:
        code = clean_uscc_field(self.cleaned_data["uscc"])
        holder = Org.objects.filter(uscc=code).exclude(pk=self.org_pk).first() if code else None
        if holder is not None:
            raise ValidationError(f"统一社会信用代码 {code} 已登记为“{holder.name}”的代码。")
        return code

    def clean_employer_uscc(self) -> str:
        return clean_uscc_field(self.cleaned_data["employer_uscc"])

    def service_fields(self, employer) -> dict:
        data = self.cleaned_data
        names = ("name", "region", "uscc", "founded_on", "status", "leadership", "term_years", "term_started_on")
        return {name: data[name] for name in names} | {"employer": employer}


class OrgCreateForm(OrgFieldsForm):
    org_type = forms.ChoiceField(label="组织类型")

    field_order = ["name", "org_type"]

    def __init__(self, *args, parent: Org, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_CHILDREN[parent.org_type]
        self.fields["org_type"].choices = [(t.value, t.label) for t in OrgType if t in allowed]


class OrgEditForm(OrgFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, org: Org, **kwargs):
        super().__init__(*args, **kwargs)
        self.org_pk = org.pk

    @staticmethod
    def initial_for(org: Org) -> dict:
        employer = org.employer
        return {
            "name": org.name, "region": org.region_id, "uscc": org.uscc, "founded_on": org.founded_on,
            "status": org.status, "leadership": org.leadership, "term_years": org.term_years,
            "term_started_on": org.term_started_on, "version": org.version,
            "employer_name": employer.name if employer else "",
            "employer_uscc": (employer.uscc or "") if employer else "",
        }  # fmt: skip


class OrgMoveForm(BootstrapForm):
    new_parent = forms.IntegerField(label="新的上级工会", error_messages={"required": "请选择新的上级工会。"})
