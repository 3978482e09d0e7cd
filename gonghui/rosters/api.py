"""/api/v1/rosters: roster import (upload and dry run, status, commit, error rows) and export. The dry run,
the commit and the export run as tasks: poll the status until it is done. Rows in responses are masked."""

import datetime as dt
from typing import Literal

from django.http import FileResponse, HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from gonghui.core import exports, files
from gonghui.core.api import ERRORS
from gonghui.core.models import ExportJob
from gonghui.orgs.models import Org
from gonghui.rosters import selectors, services
from gonghui.rosters.models import ImportJob
from gonghui.rosters.selectors import columns_of
from gonghui.rosters.views import XLSX

router = Router(tags=["花名册"])

# Inline enums: a named one would take the schema component "Status" that other apps' enums use too.
ImportStatus = Literal[tuple(ImportJob.Status.values)]  # type: ignore[valid-type]
ExportStatus = Literal[tuple(ExportJob.Status.values)]  # type: ignore[valid-type]


class PreviewRowOut(Schema):
    sheet: str = Field(description="工作表")
    row: int = Field(description="行号")
    name: str = Field(description="姓名")
    id_masked: str = Field(description="身份证号码（脱敏）")
    detail: str = Field(description="原因或变化的列")


class CountsOut(Schema):
    create: int = Field(0, description="新增")
    update: int = Field(0, description="更新")
    unchanged: int = Field(0, description="无变化")
    other_union: int = Field(0, description="属其他工会（转会候选，不会被转走）")
    duplicate: int = Field(0, description="文件内重复")
    invalid: int = Field(0, description="无效")


class ColumnOut(Schema):
    heading: str = Field(description="文件中的列名")
    key: str = Field(description="对应的项目（如 name、id_number、status；空表示不导入）")
    how: Literal["auto", "remembered", "ignored", "unmatched", "repeated"] = Field(
        description="auto 按列名识别；remembered 按本工会的设置；ignored 序号列不导入；unmatched 未识别（不导入，"
        "可指定）；repeated 与前面的列重复，不导入"
    )


class ColumnIn(Schema):
    model_config = ConfigDict(extra="forbid")
    heading: str = Field(max_length=100, description="文件中的列名，与预检结果 columns 中的一致")
    key: str = Field(
        max_length=32, description="对应的项目（columns 的 key 取值之一）；空字符串表示不导入；? 表示暂不指定"
    )


class ColumnsIn(Schema):
    model_config = ConfigDict(extra="forbid")
    columns: list[ColumnIn] = Field(max_length=200, description="要设置的列")


class ImportOut(Schema):
    id: int = Field(description="导入 ID")
    org_id: int = Field(description="导入到的工会 ID")
    file_name: str = Field(description="文件名")
    status: ImportStatus = Field(description="状态")
    status_label: str = Field(alias="get_status_display", description="状态名称")
    rows_total: int = Field(description="数据行数（预检完成后）")
    rows_checked: int = Field(description="已预检行数")
    cursor: int = Field(description="已导入行数")
    percent: int = Field(description="进度百分比")
    counts: CountsOut = Field(description="预检结果")
    committed: CountsOut = Field(description="导入结果")
    preview: dict[str, list[PreviewRowOut]] = Field(description="各类结果的前若干行（脱敏）")
    skipped_sheets: list[str] = Field(description="未找到表头而跳过的工作表")
    columns: list[ColumnOut] = Field(description="列对应：文件中的每一列及其对应的项目（各工作表中同名的列只列一次）")
    error: str = Field(description="失败原因")
    created_at: dt.datetime = Field(description="上传时间")

    @staticmethod
    def resolve_preview(job: ImportJob) -> dict:
        return job.preview.get("rows", {})

    @staticmethod
    def resolve_skipped_sheets(job: ImportJob) -> list:
        return job.preview.get("skipped", [])

    @staticmethod
    def resolve_columns(job: ImportJob) -> list:
        return columns_of(job)


class ExportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    org_id: int = Field(description="导出此组织及其下级的会员")
    unmasked: bool = Field(False, description="含完整身份证号码和手机号码（须有查看完整信息授权，记入审计）")


class ExportOut(Schema):
    id: int = Field(description="导出 ID")
    org_id: int = Field(description="导出范围")
    unmasked: bool = Field(description="是否含完整个人信息")
    status: ExportStatus = Field(description="状态")
    status_label: str = Field(alias="get_status_display", description="状态名称")
    rows: int = Field(description="行数")
    created_at: dt.datetime = Field(description="申请时间")


def _xlsx(content, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@router.post("/imports", response={202: ImportOut, **ERRORS}, summary="上传花名册并预检")
def upload_roster(request, org_id: Form[int], file: File[UploadedFile]):
    """multipart/form-data：`org_id` 与 `file`（.xlsx、.xls 或 .csv，按内容检查）。预检在后台进行，轮询状态接口。"""
    user = request.auth
    org = Org.objects.get_for_read(user, org_id)
    job = services.import_upload(actor=user, org=org, file=file, file_name=file.name or "roster")
    return Status(202, job)


@router.get("/imports/{int:job_id}", response={200: ImportOut, **ERRORS}, summary="导入状态与预检结果")
def get_import(request, job_id: int):
    return ImportJob.objects.get_for_read(request.auth, job_id)


@router.post("/imports/{int:job_id}/commit", response={202: ImportOut, **ERRORS}, summary="确认导入")
def commit_import(request, job_id: int):
    """在后台分批写入；中断后再次调用从上次完成的批次继续。同一文件重复导入不产生任何变化。"""
    job = ImportJob.objects.get_for_write(request.auth, job_id)
    return Status(202, services.import_commit(actor=request.auth, job=job))


@router.post("/imports/{int:job_id}/columns", response={202: ImportOut, **ERRORS}, summary="设置列对应并重新预检")
def remap_import(request, job_id: int, payload: ColumnsIn):
    """为预检结果中的列指定对应项目（或不导入）；本工会以后上传时沿用。确认导入之前可以设置，设置后重新预检。"""
    job = ImportJob.objects.get_for_write(request.auth, job_id)
    assignments = {c.heading: c.key for c in payload.columns}
    return Status(202, services.import_remap(actor=request.auth, job=job, assignments=assignments))


@router.get("/imports/{int:job_id}/errors", response={200: None, **ERRORS}, summary="下载错误行")
def import_errors(request, job_id: int):
    """xlsx：原有各列加“错误原因”列；改正后可直接重新上传。含个人信息，记入审计。"""
    job = ImportJob.objects.get_for_write(request.auth, job_id)
    return _xlsx(services.import_errors_file(actor=request.auth, job=job), f"errors-{job.pk}.xlsx")


@router.post("/exports", response={202: ExportOut, **ERRORS}, summary="导出花名册")
def start_export(request, payload: ExportIn):
    """在后台生成 xlsx；默认脱敏。完成后仅申请人本人可下载。"""
    user = request.auth
    org = Org.objects.get_for_read(user, payload.org_id)
    return Status(202, services.export_start(actor=user, org=org, unmasked=payload.unmasked))


@router.get("/exports/{int:job_id}", response={200: ExportOut, **ERRORS}, summary="导出状态")
def get_export(request, job_id: int):
    return selectors.export_for_owner(request.auth, job_id)


@router.get("/exports/{int:job_id}/download", response={200: None, **ERRORS}, summary="下载导出文件")
def download_export(request, job_id: int):
    job = selectors.export_for_owner(request.auth, job_id)
    relative = exports.export_download(actor=request.auth, job=job)
    response = FileResponse(files.open_private(relative), content_type=XLSX, as_attachment=True,
                            filename=f"roster-{job.pk}.xlsx")  # fmt: skip
    response["Cache-Control"] = "no-store"
    return response
