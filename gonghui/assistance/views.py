"""困难职工帮扶 pages: the cadres' file list, file page (means test, household, aid, history), new file, steps,
payments and reviews; the worker's own files and the phone self-check. Views validate and call services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.assistance import cases as kinds
from gonghui.assistance import selectors, services
from gonghui.assistance.forms import FileForm, HouseholdFormSet, PayForm, ReviewForm, SelfCheckForm, StepForm
from gonghui.assistance.lists import FILES
from gonghui.assistance.means import CATEGORIES
from gonghui.assistance.models import AidKind, ExpenseKind, IncomeKind, Relation
from gonghui.cases.kinds import kind_of
from gonghui.cases.selectors import moves
from gonghui.core import crypto
from gonghui.core.audit import audit_record
from gonghui.core.errors import ConflictError
from gonghui.core.identifiers import parse_id_number
from gonghui.core.lists import list_rows, render_list
from gonghui.core.sealed import id_number_index
from gonghui.core.web import int_param
from gonghui.members.models import Person
from gonghui.orgs import access
from gonghui.orgs.models import Org, Region


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


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


def _create(request, form, household):
    data = form.cleaned_data
    region = Region.objects.filter(code=data["region_code"]).first()
    if region is None:
        raise ValidationError({"region_code": ValidationError("区划代码不存在。")})
    members = [m for m in (f.member() for f in household) if m is not None]
    return services.file_create(
        actor=request.user, org=data["org"], person=_person(request.user, data["member_id_number"]), region=region,
        year=data["year"], consent=data["consent"], household=members, main_cause=data["main_cause"],
        secondary_causes=data["secondary_causes"], incomes=form.lines("income", IncomeKind.values),
        expenses=form.lines("expense", ExpenseKind.values), accident=data["accident"] or "",
        losses=data["losses"] or "0", is_migrant=data["is_migrant"], city_work_since=data["city_work_since"],
        long_term=data["long_term"], bank_name=data["bank_name"], bank_account=data["bank_account"],
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def file_new(request):
    """建档申请 by a grassroots (or any writing) union."""
    access.require_cadre(request.user)
    orgs = Org.objects.filter(access.scope_q(request.user, roles=access.WRITE_ROLES)).order_by("path")
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
    return render(request, "assistance/new.html", context, status=400 if form.errors else 200)


def _detail_context(request, file, *, unmasked=False) -> dict:
    user = request.user
    try:
        means, means_error = (None, "收入信息已按保存期限清除。") if file.erased_on else (services.file_means(file), "")
    except ValidationError as error:
        means, means_error = None, _error_text(error)
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
        "status_label": kind_of(kinds.HARDSHIP).status_label(file.status), "elsewhere": selectors.elsewhere(file),
        "moves": moves(file.case), "payments": selectors.payments_of(file), "history": selectors.history_of(file),
        "notices": file.case.notices.all(), "can_write": access.can_write(user, file.org),
        "can_unmask": access.can_unmask(user, file.org), "review": review,
        "pay_form": PayForm(children=file.household.filter(relation=Relation.CHILD)),
        "review_form": ReviewForm(initial={"version": review.case.version}) if review else None,
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
    try:
        call()
    except (ValidationError, ConflictError) as error:
        messages.error(request, error.message if isinstance(error, ConflictError) else _error_text(error))
    else:
        messages.success(request, done)
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
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
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
def report(request):
    """帮扶统计 for the user's scope or one union's subtree (``?org=``)."""
    access.require_cadre(request.user)
    org = Org.objects.get_for_read(request.user, int_param(request.GET["org"])) if request.GET.get("org") else None
    data = selectors.report(request.user, org)
    for row in data.by_category:
        row["label"] = CATEGORIES[row["category"]]
    for row in data.by_region:
        row["label"] = selectors.STATUS_FILTERS.get(row["status"], row["status"])
    for row in data.paid:
        row["label"] = AidKind(row["kind"]).label
    context = {"report": data, "org": org, "nav": "assistance"}
    return render(request, "assistance/report.html", context)


@login_required
def mine(request):
    """The worker's own files and their status."""
    files = [(f, kind_of(kinds.HARDSHIP).status_label(f.status)) for f in selectors.own_files(request.user)]
    context = {"files": files, "requests": selectors.own_requests(request.user), "nav": "me"}
    return render(request, "assistance/mine.html", context)


@login_required
@require_POST
def apply(request):
    """申请帮扶 from the phone: the union is asked to contact the worker and file the household."""
    try:
        services.request_submit(actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "已提交申请，所在工会将在 5 个工作日内与您联系，请按自测提示准备材料。")
    return redirect("assistance:mine")


@require_http_methods(["GET", "POST"])
def self_check(request):
    """职工自测 (phone first): from the figures entered, whether the household is likely to qualify and what
    to prepare. Nothing entered is stored."""
    form = SelfCheckForm(request.POST or None)
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
