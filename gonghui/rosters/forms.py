"""Forms of the roster pages. They check what people send; the services decide and write."""

from django import forms

from gonghui.core.web import BootstrapForm


class ImportUploadForm(BootstrapForm):
    """上传花名册: the union to import into and the file (.xlsx, .xls or .csv, checked by its content)."""

    org = forms.IntegerField(label="导入到工会", widget=forms.Select)
    file = forms.FileField(label="花名册文件", help_text="Excel（.xlsx、.xls）或 CSV；表头可在前几行，支持多个工作表。")


class ExportForm(BootstrapForm):
    """导出花名册: an org (its whole subtree) and whether to include full ID numbers and phones."""

    org = forms.IntegerField(label="导出范围（含下级）", widget=forms.Select)
    unmasked = forms.BooleanField(
        label="含完整身份证号码和手机号码（需有查看完整信息权限，将记入审计）", required=False
    )
