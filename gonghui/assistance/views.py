"""困难职工帮扶 pages: the cadres' file list, file page (means test, household, aid, history), new file, steps,
payments and reviews; the worker's own files and the phone self-check. Views validate and call services."""

import io
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.assistance import cases as kinds
from gonghui.assistance import selectors, services
from gonghui.assistance.forms import (
    AllowanceForm,
    ApplyForm,
    EditForm,
    EditHouseholdFormSet,
    FileForm,
    HouseholdFormSet,
    OthersFormSet,
    PayForm,
    ReviewForm,
    SelfCheckForm,
    StepForm,
)
from gonghui.assistance.lists import FILES
from gonghui.assistance.means import CATEGORIES
from gonghui.assistance.models import AidKind, Relation
from gonghui.cases.forms import AttachmentForm
from gonghui.cases.selectors import checklist, moves
from gonghui.cases.services import attachment_add
from gonghui.core import crypto
from gonghui.core.audit import audit_record
from gonghui.core.errors import ConflictError
from gonghui.core.identifiers import parse_id_number
from gonghui.core.lists import list_rows, render_list
from gonghui.core.sealed import id_number_index
from gonghui.core.spreadsheets import write_xlsx
from gonghui.core.views import XLSX
from gonghui.core.web import error_text, flashed, form_errors, int_param
from gonghui.members.models import Person
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org, Region


@login_required
def file_list(request):
    """困难职工档案 in scope, filtered by status and category, exportable."""
    access.require_cadre(request.user)
    listing = list_rows(request, FILES)
    context = {**listing.context(), "filter_form": FILES.filter_form(request.GET), "nav": "assistance"}
    return render_list(request, "assistance/list.html", "assistance/_rows.html", context)


def _person(user, number: str) -> Person:
    identity = parse_id_number(number)
    person = Person.objects.in_scope(user).filter(id_number_bidx=id_number_index(identity.number)).first()
    if person is None:
        raise ValidationError({"member_id_number": ValidationError("在您管理的工会中没有这位会员。")})
    return person


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError({"region_code": ValidationError("区划代码不存在。")})
    return region


def _members(formset) -> list[dict]:
    return [m for m in (f.member() for f in formset) if m is not None]


def _create(request, form, household):
    data = form.cleaned_data
    return services.file_create(
        actor=request.user, org=data["org"], person=_person(request.user, data["member_id_number"]),
        region=_region(data["region_code"]), year=data["year"], consent=data["consent"], household=_members(household),
        long_term=data["long_term"], **form.details(),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def file_new(request):
    """建档申请 by a grassroots (or any writing) union."""
    access.require_cadre(request.user)
    orgs = org_selectors.writable_orgs(request.user)
    form = FileForm(request.POST or None, orgs=orgs)
    household = HouseholdFormSet(request.POST or None, prefix="m")
    if request.method == "POST" and form.is_valid() and household.is_valid():
        try:
            file = _create(request, form, household)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "已提交建档申请，等待上一级工会审核。")
            return redirect("assistance:detail", pk=file.pk)
    context = {"form": form, "household": household, "nav": "assistance"}
    return render(request, "assistance/form.html", context, status=400 if form.errors else 200)


def _saved(enc: str) -> Decimal | None:
    return Decimal(crypto.decrypt(enc)) if enc else None


def _edit_initial(file) -> tuple[dict, list[dict]]:
    """The saved file as the edit form shows it, decrypted (opening the form is audited as an unmasking)."""
    lines = {f"income_{line.kind}": _saved(line.annual_enc) for line in file.incomes.all()}
    lines |= {f"expense_{line.kind}": _saved(line.annual_enc) for line in file.expenses.all()}
    details = {
        "version": file.version, "region_code": file.region_id, "year": file.year, "main_cause": file.main_cause,
        "secondary_causes": file.secondary_causes, "accident": file.accident, "losses": _saved(file.losses_enc),
        "is_migrant": file.is_migrant, "city_work_since": file.city_work_since, "long_term": file.long_term,
        "bank_name": file.bank_name, "bank_account": crypto.decrypt(file.bank_account_enc) if file.bank_account_enc
        else "", **lines,
    }  # fmt: skip
    members = [
        {"pk": m.pk, "masked": m.id_number_masked, "relation": m.relation, "name": m.name, "schooling": m.schooling,
         "work": m.work, "health": crypto.decrypt(m.health_enc) if m.health_enc else "",
         "monthly_income": _saved(m.monthly_income_enc)}
        for m in file.household.order_by("pk")
    ]  # fmt: skip
    return details, members


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    """修改档案: the household, incomes, expenses, causes and account; the means test is computed again on save.
    The form shows the saved data in full, so it takes a writer who may unmask, and opening it is audited."""
    file = _file(request, pk)
    user = request.user
    if not (access.can_write(user, file.org) and access.can_unmask(user, file.org)):
        raise access.deny(user, "修改困难职工档案须有办理和查看完整个人信息的权限。", file.org)
    if file.status not in services.EDITABLE:
        messages.error(request, "公示中、不予建档或已解困脱困的档案不能修改。")
        return redirect("assistance:detail", pk=pk)
    details, members = _edit_initial(file)
    form = EditForm(request.POST or None, initial=details)
    household = EditHouseholdFormSet(request.POST or None, prefix="m", initial=members)
    status = 200
    if request.method == "GET":
        audit_record(actor=user, action="assistance.file_unmask", obj=file, org=file.org, detail={"for": "edit"})
    elif form.is_valid() and household.is_valid():
        data = form.cleaned_data
        try:
            services.file_update(actor=user, file=file, version=data["version"], region=_region(data["region_code"]),
                                 year=data["year"], long_term=data["long_term"], household=_members(household),
                                 **form.details())  # fmt: skip
        except ConflictError as error:
            form.add_error(None, error.message)
            status = 409
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "已保存，家庭经济状况已重新核算。")
            return redirect("assistance:detail", pk=pk)
    status = 400 if status == 200 and form.errors else status
    context = {"form": form, "household": household, "f": file, "nav": "assistance"}
    return render(request, "assistance/form.html", context, status=status)


def _attachments(file) -> list:
    rows = list(file.case.attachments.select_related("uploaded_by").order_by("uploaded_at", "pk"))
    for row in rows:
        row.label = kinds.DOCUMENTS.get(row.document, "其他材料")
    return rows


def _detail_context(request, file, *, unmasked=False) -> dict:
    user = request.user
    try:
        means, means_error = (None, "收入信息已按保存期限清除。") if file.erased_on else (services.file_means(file), "")
    except ValidationError as error:
        means, means_error = None, error_text(error)
    household = list(file.household.all())
    if unmasked:
        for m in household:
            m.id_number_full = crypto.decrypt(m.id_number_enc)
            m.health_full = crypto.decrypt(m.health_enc) if m.health_enc else ""
            m.income_full = crypto.decrypt(m.monthly_income_enc) if m.monthly_income_enc else ""
        file.bank_account_full = crypto.decrypt(file.bank_account_enc) if file.bank_account_enc else ""
    review = selectors.open_review(file)
    return {
        "f": file, "means": means, "means_error": means_error, "household": household, "unmasked": unmasked,
        "status_label": file.status_label, "elsewhere": selectors.elsewhere(file),
        "moves": moves(file.case, user), "payments": selectors.payments_of(file),
        "history": selectors.history_of(file),
        "notices": file.case.notices.all(), "can_write": access.can_write(user, file.org),
        "can_unmask": access.can_unmask(user, file.org), "review": review,
        "pay_form": PayForm(children=file.household.filter(relation=Relation.CHILD)),
        "review_form": ReviewForm(initial={"version": review.case.version}) if review else None,
        "attachments": _attachments(file), "checklist": checklist(file.case),
        "attachment_form": AttachmentForm(documents=kinds.DOCUMENTS), "editable": file.status in services.EDITABLE,
        "nav": "assistance",
    }  # fmt: skip


@login_required
def detail(request, pk: int):
    """The file's page: the means test with its rule, the household (masked), the aid paid, the history."""
    file = _file(request, pk)
    return render(request, "assistance/detail.html", _detail_context(request, file))


@login_required
@require_POST
def unmask(request, pk: int):
    """查看完整信息: the household's full ID numbers, health, incomes and the account, audited."""
    file = _file(request, pk)
    if not access.can_unmask(request.user, file.org):
        raise access.deny(request.user, "您没有查看完整个人信息的权限。", file.org)
    audit_record(actor=request.user, action="assistance.file_unmask", obj=file, org=file.org)
    return render(request, "assistance/detail.html", _detail_context(request, file, unmasked=True))


def _file(request, pk: int):
    access.require_cadre(request.user)
    return selectors.file_for_read(request.user, pk)


def _back(request, pk: int, call, done: str):
    with flashed(request, done):
        call()
    return redirect("assistance:detail", pk=pk)


@login_required
@require_POST
def step(request, pk: int):
    file = _file(request, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求无效，请刷新后重试。")
        return redirect("assistance:detail", pk=pk)
    data = form.cleaned_data
    return _back(request, pk, lambda: services.file_step(actor=request.user, file=file, to=data["to"],
                 version=data["version"], note=data["note"], on=data["on"]), "已办理。")  # fmt: skip


@login_required
@require_POST
def pay(request, pk: int):
    file = _file(request, pk)
    form = PayForm(request.POST, children=file.household.filter(relation=Relation.CHILD))
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("assistance:detail", pk=pk)
    return _back(request, pk, lambda: services.aid_pay(actor=request.user, file=file, **form.cleaned_data),
                 "已登记发放。")  # fmt: skip


@login_required
@require_POST
def review(request, pk: int):
    file = _file(request, pk)
    current = selectors.open_review(file)
    form = ReviewForm(request.POST)
    if current is None or not form.is_valid():
        raise Http404("没有待办的复核")
    data = form.cleaned_data
    return _back(request, pk, lambda: services.review_decide(actor=request.user, review=current, keep=data["keep"],
                 version=data["version"], note=data["note"]), "已复核。")  # fmt: skip


@login_required
@require_POST
def attach(request, pk: int):
    """上传材料 of the checklist to the file's case (checked by content, stored privately; cases.attachment_add)."""
    file = _file(request, pk)
    form = AttachmentForm(request.POST, request.FILES, documents=kinds.DOCUMENTS)
    if not form.is_valid():
        messages.error(request, "请选择材料类别和文件。")
        return redirect("assistance:detail", pk=pk)
    upload = form.cleaned_data["file"]
    return _back(request, pk, lambda: attachment_add(actor=request.user, case=file.case, file=upload,
                 document=form.cleaned_data["document"], file_name=upload.name), "材料已上传。")  # fmt: skip


def _report(request):
    access.require_cadre(request.user)
    org = Org.objects.get_for_read(request.user, int_param(request.GET["org"])) if request.GET.get("org") else None
    return org, selectors.report(request.user, org)


@login_required
def report(request):
    """帮扶统计 for the user's scope or one union's subtree (``?org=``)."""
    org, data = _report(request)
    for row in data.by_category:
        row["label"] = CATEGORIES[row["category"]]
    for row in data.by_region:
        row["label"] = selectors.STATUS_FILTERS.get(row["status"], row["status"])
    for row in data.paid:
        row["label"] = AidKind(row["kind"]).label
    budget_org, year = org or access.top_orgs(request.user)[0], timezone.localdate().year
    context = {"report": data, "org": org, "nav": "assistance", "budget_org": budget_org, "budget_year": year,
               "budget": selectors.aid_budget(budget_org, year)}  # fmt: skip
    return render(request, "assistance/report.html", context)


@login_required
def report_export(request):
    """帮扶统计 as a workbook (three sheets), for the same scope or subtree as the page; audited."""
    org, data = _report(request)
    status = selectors.STATUS_FILTERS
    sheets = [
        ("按年度和困难类别", ["年度", "困难类别", "户数"],
         [[r["year"], CATEGORIES[r["category"]], r["n"]] for r in data.by_category]),
        ("按年度、地区和状态", ["年度", "县（市、区）", "状态", "户数"],
         [[r["year"], r["region__name"], status.get(r["status"], r["status"]), r["n"]] for r in data.by_region]),
        ("帮扶资金发放", ["年度", "帮扶类型", "笔数", "金额（元）"],
         [[r["paid_on__year"], AidKind(r["kind"]).label, r["n"], r["total"]] for r in data.paid]),
        ("按工会", ["工会（含下级）", "档案", "已建档"], [[u["org"].name, u["n"], u["approved"]] for u in data.units]),
    ]  # fmt: skip
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    audit_record(actor=request.user, action="assistance.report_export", org=org)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"帮扶统计{'-' + org.name if org else ''}.xlsx")
    response["Cache-Control"] = "no-store"
    return response


@login_required
def mine(request):
    """The worker's own files: status, the documents still to bring, the reason of a return or refusal."""
    files = selectors.own_files_status(request.user)
    context = {"files": files, "pending": selectors.has_live_file(request.user), "nav": "me"}
    return render(request, "assistance/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    """申请帮扶 from the phone: the worker's consent, their household, incomes and expenses; the file reaches
    their union as submitted."""
    org = selectors.apply_org(request.user)
    county = selectors.county_of(org.region) if org else None
    form = ApplyForm(request.POST or None, initial={"region_code": county.code if county else ""})
    others = OthersFormSet(request.POST or None, prefix="m")
    if request.method == "POST" and form.is_valid() and others.is_valid():
        try:
            services.file_apply(actor=request.user, consent=form.cleaned_data["consent"], own=form.own(),
                                region=_region(form.cleaned_data["region_code"]), household=_members(others),
                                **form.details())  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "已提交申请。所在工会核实后将报上级工会审核，请按清单准备材料交所在工会。")
            return redirect("assistance:mine")
    context = {"form": form, "others": others, "org": org, "pending": selectors.has_live_file(request.user),
               "nav": "me"}  # fmt: skip
    return render(request, "assistance/apply.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def allowances(request):
    """低保标准: a region's figure for a year and its sub-regions' (own or inherited, and from where), the
    history of the region and those above it; a local federation's admin adds a year's figure."""
    user = request.user
    region = selectors.allowance_region_for_read(user, request.GET.get("region", ""))
    year = int_param(request.GET.get("year") or timezone.localdate().year)
    form = AllowanceForm(request.POST or None, initial={"region_code": region.code if region else "", "year": year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = selectors.allowance_region_for_read(user, data["region_code"])
        org = selectors.allowance_org(user, target)
        if org is None:
            raise access.deny(user, "低保标准由地方总工会的管理员设置。")
        try:
            services.allowance_set(actor=user, org=org, region=target, year=data["year"], monthly=data["monthly"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已设置{target.name} {data['year']} 年低保标准 {data['monthly']} 元。")
            return redirect(f"{request.path}?region={target.code}&year={data['year']}")
    head, rows = selectors.allowance_table(region, year)
    context = {
        "region": region, "year": year, "head": head, "rows": rows, "form": form, "nav": "assistance",
        "history": selectors.allowance_history(region), "can_set": bool(selectors.allowance_orgs(user)),
    }  # fmt: skip
    return render(request, "assistance/allowances.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def self_check(request):
    """职工自测 (phone first): from the figures entered, whether the household is likely to qualify and what
    to prepare. Nothing entered is stored. A signed-in member finds their union's county filled in."""
    org = selectors.apply_org(request.user)
    county = selectors.county_of(org.region) if org else None
    form = SelfCheckForm(request.POST or None, initial={"region_code": county.code if county else ""})
    check = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = Region.objects.filter(code=data["region_code"]).first()
        try:
            if region is None:
                raise ValidationError({"region_code": ValidationError("区划代码不存在。")})
            check = selectors.self_check(
                region=region, year=timezone.localdate().year, household_size=data["household_size"],
                monthly_income=data["monthly_income"], yearly_expenses=data["yearly_expenses"] or 0,
                main_cause=data["main_cause"], on_duty_accident=data["on_duty_accident"],
                losses=data["losses"] or 0, is_migrant=data["is_migrant"], city_years=data["city_years"] or 0,
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
    return render(request, "assistance/self_check.html", {"form": form, "check": check, "nav": "me"})
