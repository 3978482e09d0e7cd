"""Forms of the privacy pages: each asks only what its purpose needs (docs/security.md §13)."""

from django import forms

from gonghui.privacy.models import DataSubjectRequest


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


class RequestCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label="请求类型",
        choices=DataSubjectRequest.Kind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": "请选择请求类型。", "invalid_choice": "请选择请求类型。"},
    )
    details = forms.CharField(
        label="具体内容",
        required=False,
        max_length=2000,
        widget=_textarea(3),
        help_text="更正请说明哪项信息有误、应更正为什么；其他请求可不填。",
        error_messages={"max_length": "具体内容请不要超过 2000 字。"},
    )


class RequestCompleteForm(forms.Form):
    note = forms.CharField(
        label="办理说明",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"max_length": "办理说明请不要超过 500 字。"},
    )


class RequestRefuseForm(forms.Form):
    reason = forms.CharField(
        label="不予办理理由",
        max_length=500,
        widget=_textarea(2),
        error_messages={"required": "请填写不予办理的理由。", "max_length": "理由请不要超过 500 字。"},
    )
