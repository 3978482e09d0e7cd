"""工会财务 pages: the books of a union (home, entries, manual entry, reversal, month closing), the 2% funds
(collections with their split, arrears), the reports (工会01, 工会02, trial balance; xlsx), budgets against
actual, and the provinces' sharing rules. Views validate and call services (docs/architecture.md rule 1)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gonghui.core import sheet_import
from gonghui.core.errors import ConflictError, field_error
from gonghui.core.lists import list_rows, render_list
from gonghui.core.web import flashed, int_param
from gonghui.finance import imports as collection_imports
from gonghui.finance import reports, selectors, services
from gonghui.finance.forms import (
    AssetForm,
    AssetMoveForm,
    AssetUseForm,
    BudgetForm,
    CloseForm,
    CollectionForm,
    CollectionImportForm,
    DecideForm,
    EntryForm,
    LineFormSet,
    ReasonForm,
    RuleForm,
    SpendingForm,
    formset_lines,
    month_param,
)
from gonghui.finance.lists import ARREARS, ASSETS, COLLECTIONS, COUNTERPARTIES, ENTRIES, SPENDINGS
from gonghui.finance.models import AssetMove, CollectionImport, Entry, FixedAsset, Spending
from gonghui.finance.money import yuan
from gonghui.finance.policy import finance_policy
from gonghui.members.models import Employer
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org

NAV = "finance"


def _org(request) -> Org:
    """The union the page is about: ``?org=`` in the user's scope (404 outside), else the user's first."""
    pk = request.GET.get("org") or request.POST.get("org")
    return access.org_or_first(request.user, int_param(pk) if pk else None)


def _this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def _context(request, org: Org, **extra) -> dict:
    """What every finance page of one union shows: the union, the union picker's first options (the user's scope
    in tree order; the search box asks ``org_options`` for more), whether the user may write."""
    picker = list(org_selectors.org_search(request.user, limit=30))
    if org.pk not in {o.pk for o in picker}:
        picker.insert(0, org)
    return {"org": org, "nav": NAV, "picker": picker, "can_write": access.can_write(request.user, org), **extra}


@login_required
@require_GET
def org_options(request):
    """<option>s for the finance union picker: unions in scope by name or pinyin; ``purpose=write`` those the
    user may keep books for."""
    access.require_cadre(request.user)
    q = request.GET.get("org_q", "")
    if request.GET.get("purpose") == "write":
        orgs = org_selectors.named(org_selectors.writable_orgs(request.user), q)
        orgs = orgs.select_related(*org_selectors.PICKER_RELATED)[:30]
    else:
        orgs = org_selectors.org_search(request.user, q=q, limit=30)
    return render(request, "orgs/_picker_options.html", {"orgs": orgs, "blank": False})


@login_required
def home(request):
    """财务: a union's position at a glance (工会01 totals, this month's 工会02) and where to go next."""
    org = _org(request)
    month = _this_month()
    sheet = reports.balance_sheet(org, month)
    statement = reports.income_statement(org, month)
    figures = {label: values[1] for label, values, _ in sheet.rows + statement.rows}
    totals = {"assets": figures["资产合计"], "liabilities": figures["负债合计"], "income": figures["收入合计"],
              "spending": figures["支出合计"]}  # fmt: skip
    arrears = selectors.arrears_yuan_for(org)
    return render(request, "finance/home.html", _context(request, org, month=month, totals=totals, arrears=arrears))


@login_required
def entries(request):
    """记账凭证 in scope (of one union with ?org=), by month and source; exportable."""
    access.require_cadre(request.user)
    listing = list_rows(request, ENTRIES)
    context = {**listing.context(), "filter_form": ENTRIES.filter_form(request.GET), "nav": NAV}
    return render_list(request, "finance/entries.html", "finance/_entries.html", context)


def _codes(org: Org) -> list[tuple[str, str]]:
    accounts = selectors.accounts_of(org)
    parents = {a.code[:-2] for a in accounts if len(a.code) > 3}
    return [(a.code, f"{a.code} {a.name}") for a in accounts if a.code not in parents]


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request):
    """手工记账 for a union the user may write for."""
    org = _org(request)
    Org.objects.require_write(request.user, org)
    form = EntryForm(request.POST or None, orgs=org_selectors.writable_orgs(request.user), initial={"org": org})
    lines = LineFormSet(request.POST or None, prefix="l",
                        form_kwargs={"codes": _codes(org), "parties": selectors.entry_parties(org)})  # fmt: skip
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        data = form.cleaned_data
        try:
            entry = services.entry_post(actor=request.user, org=data["org"], date=data["date"], memo=data["memo"],
                                        lines=formset_lines(lines))  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已记账：{entry}。")
            for warning in selectors.budget_warnings(entry.org, entry.date.year, {x.code for x in entry.lines.all()}):
                messages.warning(request, warning)
            return redirect("finance:entry", pk=entry.pk)
    status = 400 if form.errors or lines.total_error_count() else 200
    return render(request, "finance/entry_new.html", _context(request, org, form=form, lines=lines), status=status)


@login_required
def entry(request, pk: int):
    """A voucher: its lines, what it reverses or what reversed it."""
    item = Entry.objects.get_for_read(request.user, pk)
    context = _context(request, item.org, entry=item, lines=selectors.lines_of(item),
                       reversal=Entry.objects.filter(reverses=item).first(), reason_form=ReasonForm())  # fmt: skip
    return render(request, "finance/entry.html", context)


@login_required
@require_POST
def entry_reverse(request, pk: int):
    item = Entry.objects.get_for_write(request.user, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写冲销原因。")
        reversal = services.entry_reverse(actor=request.user, entry=item, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("finance:entry", pk=item.pk)
    messages.success(request, f"已冲销，冲销凭证为{reversal}。")
    return redirect("finance:entry", pk=reversal.pk)


@login_required
def collections(request):
    """经费收缴 of the unions in scope, and those a share of which came to them."""
    access.require_cadre(request.user)
    listing = list_rows(request, COLLECTIONS)
    context = {**listing.context(), "filter_form": COLLECTIONS.filter_form(request.GET), "nav": NAV}
    return render_list(request, "finance/collections.html", "finance/_collections.html", context)


def _employer(uscc: str) -> Employer | None:
    uscc = uscc.strip().upper()
    if not uscc:
        return None
    found = Employer.objects.filter(uscc=uscc).first()
    if found is None:
        raise field_error("employer_uscc", "没有这个统一社会信用代码的单位，请先在会员管理中登记单位。")
    return found


@login_required
@require_http_methods(["GET", "POST"])
def collection_new(request):
    """登记经费收缴: the declaration (if new) and the money received, split at every level at once."""
    org = _org(request)
    Org.objects.require_write(request.user, org)
    form = CollectionForm(request.POST or None, orgs=org_selectors.writable_orgs(request.user),
                          initial={"org": org, "month": _this_month()})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            collection = services.collection_register(
                actor=request.user, org=data["org"], employer=_employer(data["employer_uscc"]), month=data["month"],
                payroll_fen=data["payroll"], amount_fen=data["amount"], received_on=data["received_on"],
                route=data["route"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已登记收缴 {yuan(collection.amount_fen)} 元，并已按比例分到各级工会。")
            return redirect("finance:collection", pk=collection.pk)
    return render(request, "finance/collection_new.html", _context(request, org, form=form),
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def collection(request, pk: int):
    """A collection: its declaration, its split by level and the entry each union got."""
    item = selectors.collection_for_read(request.user, pk)
    in_scope = Org.objects.in_scope(request.user).filter(pk__in=item.entries.values("org"))
    visible = set(in_scope.values_list("pk", flat=True))
    entries = [(e, selectors.lines_of(e)) for e in item.entries.select_related("org").order_by("-org__depth", "pk")
               if e.org_id in visible]  # fmt: skip
    context = _context(request, item.org, collection=item, shares=selectors.shares_of(item), entries=entries,
                       reason_form=ReasonForm())  # fmt: skip
    context["can_write"] = access.can_write(request.user, item.org)
    return render(request, "finance/collection.html", context)


@login_required
@require_POST
def collection_reverse(request, pk: int):
    item = selectors.collection_for_read(request.user, pk)
    form = ReasonForm(request.POST)
    with flashed(request, "已整笔冲销，各级工会的凭证都已冲回。"):
        if not form.is_valid():
            raise ValidationError("请填写冲销原因。")
        services.collection_reverse(actor=request.user, collection=item, reason=form.cleaned_data["reason"])
    return redirect("finance:collection", pk=item.pk)


@login_required
def arrears(request):
    """欠缴经费: declarations not fully paid, per employer and month; exportable (the file for a 支付令)."""
    access.require_cadre(request.user)
    listing = list_rows(request, ARREARS)
    context = {**listing.context(), "filter_form": ARREARS.filter_form(request.GET), "nav": NAV}
    return render_list(request, "finance/arrears.html", "finance/_arrears.html", context)


@login_required
def counterparties(request):
    """往来单位余额: the union's receivables and payables per other union or unit, at a month's end; exportable."""
    org = _org(request)
    listing = list_rows(request, COUNTERPARTIES)
    context = _context(request, org, tab="counterparties", filter_form=COUNTERPARTIES.filter_form(request.GET),
                       **listing.context())  # fmt: skip
    return render_list(request, "finance/counterparties.html", "finance/_counterparties.html", context)


def _report_args(request) -> tuple[Org, dt.date, bool]:
    org = _org(request)
    month = month_param(request.GET.get("month"), _this_month())
    return org, month, request.GET.get("subtree") == "1"


@login_required
def report(request):
    """工会01, 工会02 and the trial balance of a union's month, alone or for its subtree."""
    org, month, subtree = _report_args(request)
    context = _context(request, org, month=month, subtree=subtree, last_year=timezone.localdate().year - 1,
                       sheet=reports.balance_sheet(org, month, subtree=subtree),
                       statement=reports.income_statement(org, month, subtree=subtree),
                       trial=reports.trial_balance(org, month, subtree=subtree),
                       close_form=CloseForm(orgs=Org.objects.filter(pk=org.pk),
                                            initial={"org": org, "month": month}))  # fmt: skip
    return render(request, "finance/report.html", context)


@login_required
def report_xlsx(request):
    org, month, subtree = _report_args(request)
    body = reports.reports_xlsx(org, month, subtree=subtree)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"finance-{org.pk}-{month:%Y-%m}{'-all' if subtree else ''}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_pdf(request):
    """工会01 and 工会02 of the month as a PDF (Chinese font embedded)."""
    org, month, subtree = _report_args(request)
    response = HttpResponse(reports.reports_pdf(org, month, subtree=subtree), content_type="application/pdf")
    name = f"finance-{org.pk}-{month:%Y-%m}{'-all' if subtree else ''}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def period_close(request):
    org = _org(request)
    form = CloseForm(request.POST, orgs=Org.objects.filter(pk=org.pk))
    try:
        if not form.is_valid():
            raise ValidationError("请选择要结账的月份。")
        month = form.cleaned_data["month"]
        services.period_close(actor=request.user, org=org, month=month)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(f"{reverse('finance:report')}?org={org.pk}")
    messages.success(request, f"{org.name}{month.year}年{month.month}月已结账。")
    return redirect(f"{reverse('finance:report')}?org={org.pk}&month={month:%Y-%m}")


@login_required
def assets(request):
    """固定资产 of the unions in scope: value, depreciation to date, net value; exportable."""
    access.require_cadre(request.user)
    listing = list_rows(request, ASSETS)
    context = {**listing.context(), "filter_form": ASSETS.filter_form(request.GET), "nav": NAV}
    return render_list(request, "finance/assets.html", "finance/_assets.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def asset_new(request):
    """登记固定资产 (bought from the bank): booked twice, depreciated monthly by the daily job."""
    org = _org(request)
    Org.objects.require_write(request.user, org)
    form = AssetForm(request.POST or None, orgs=org_selectors.writable_orgs(request.user), initial={"org": org},
                     venues=selectors.venues_for_assets(request.user))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            asset = services.asset_acquire(
                actor=request.user, org=data["org"], name=data["name"], category=data["category"],
                value_fen=data["value"], acquired_on=data["acquired_on"], life_months=data["life_months"],
                user_unit=data["user_unit"], venue=data["venue"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已登记固定资产“{asset.name}”，并已记账。")
            return redirect(f"{reverse('finance:assets')}?org={asset.org_id}")
    return render(request, "finance/asset_new.html", _context(request, org, form=form),
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_POST
def year_close(request):
    """年终结转 of a union's year (the form on the report page)."""
    org = _org(request)
    year = int_param(request.POST.get("year"))
    with flashed(request, f"{org.name}{year}年的收入和支出已结转到工会资金结转和结余。"):
        services.year_close(actor=request.user, org=org, year=year)
    return redirect(f"{reverse('finance:report')}?org={org.pk}&month={year}-12")


@login_required
@require_http_methods(["GET", "POST"])
def budgets(request):
    """预算: a union's budget for a year beside what was spent, with the lines near or over their budget."""
    org = _org(request)
    year = int_param(request.GET.get("year") or timezone.localdate().year)
    if not 2000 <= year <= 2100:
        raise Http404("年度无效")
    codes = [(a.code, f"{a.code} {a.name}") for a in selectors.accounts_of(org) if a.kind in {"income", "expense"}]
    form = BudgetForm(request.POST or None, codes=codes)
    if request.method == "POST":
        Org.objects.require_write(request.user, org)
        if form.is_valid():
            try:
                services.budget_set(actor=request.user, org=org, year=year, code=form.cleaned_data["code"],
                                    amount_fen=form.cleaned_data["amount"])  # fmt: skip
            except (ValidationError, ConflictError) as error:
                form.add_service_error(error if isinstance(error, ValidationError) else ValidationError(error.message))
            else:
                messages.success(request, "预算已保存。")
                return redirect(f"{reverse('finance:budgets')}?org={org.pk}&year={year}")
    context = _context(request, org, year=year, rows=selectors.budget_vs_actual(org, year), form=form)
    return render(request, "finance/budgets.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def rules(request):
    """经费分成比例 of the provinces in scope, with their history; a province's cadres set a new one."""
    access.require_cadre(request.user)
    provinces = selectors.provinces_writable(request.user)
    form = RuleForm(request.POST or None, provinces=provinces)
    if request.method == "POST":
        if not provinces.exists():
            raise access.deny(request.user, "只有省级总工会的干部可以设置经费分成比例。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.rule_set(actor=request.user, province=data["province"], effective_from=data["effective_from"],
                                  shares=form.shares(), tax_landing=data["tax_landing"], note=data["note"])  # fmt: skip
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, "分成比例已保存，自执行起始月份起的收缴按新比例分成。")
                return redirect("finance:rules")
    context = {"rules": selectors.rules_visible_to(request.user), "form": form, "can_set": provinces.exists(),
               "nav": NAV}  # fmt: skip
    return render(request, "finance/rules.html", context, status=400 if form.errors else 200)


@login_required
def spendings(request):
    """经费支出 of the unions in scope: posted at once, awaiting approval, approved or refused; exportable."""
    access.require_cadre(request.user)
    listing = list_rows(request, SPENDINGS)
    context = {**listing.context(), "filter_form": SPENDINGS.filter_form(request.GET), "nav": NAV}
    return render_list(request, "finance/spendings.html", "finance/_spendings.html", context)


def _expense_codes(org: Org) -> list[tuple[str, str]]:
    return [(code, text) for code, text in _codes(org) if code.startswith("5")]


@login_required
@require_http_methods(["GET", "POST"])
def spending_new(request):
    """经费支出: posted at once up to the province's approval amount, else sent for approval; gifts checked
    against the yearly caps per member, never cash or shopping cards."""
    org = _org(request)
    Org.objects.require_write(request.user, org)
    form = SpendingForm(request.POST or None, orgs=org_selectors.writable_orgs(request.user), initial={"org": org},
                        codes=_expense_codes(org))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.spending_submit(
                actor=request.user, org=data["org"], date=data["date"], memo=data["memo"], code=data["code"],
                amount_fen=data["amount"], purpose=data["purpose"], form=data["form"], headcount=data["headcount"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if item.entry_id:
                messages.success(request, f"已记账：{item.entry}。")
            else:
                messages.success(request, "金额超过审批限额，已提交审批；批准后记账。")
            return redirect("finance:spending", pk=item.pk)
    context = _context(request, org, form=form, gifts=selectors.gift_summary(org, timezone.localdate().year),
                       approval_yuan=finance_policy().approval_fen_for(org.region_id) // 100)  # fmt: skip
    return render(request, "finance/spending_new.html", context, status=400 if form.errors else 200)


@login_required
def spending(request, pk: int):
    """A spending: its amount and purpose, the approval case's steps, the entry once posted; the approver's
    buttons while it waits."""
    from gonghui.cases.selectors import moves

    item = Spending.objects.get_for_read(request.user, pk)
    steps = item.case.steps.select_related("actor").order_by("pk") if item.case else []
    may_decide = bool(item.case and moves(item.case, request.user)) and item.requested_by_id != request.user.pk
    context = _context(request, item.org, item=item, steps=steps, may_decide=may_decide,
                       decide_form=DecideForm(initial={"version": item.case.version if item.case else 0}))  # fmt: skip
    return render(request, "finance/spending.html", context)


@login_required
@require_POST
def spending_decide(request, pk: int):
    item = Spending.objects.get_for_write(request.user, pk)
    form = DecideForm(request.POST)
    with flashed(request) as outcome:
        if not form.is_valid():
            raise ValidationError("请选择批准或不予批准。")
        data = form.cleaned_data
        item = services.spending_decide(actor=request.user, spending=item, approve=data["decision"] == "approve",
                                        version=data["version"], note=data["note"])  # fmt: skip
        outcome.success = f"已批准并记账：{item.entry}。" if item.entry_id else "已不予批准。"
    return redirect("finance:spending", pk=item.pk)


# ----- 资产调拨与处置 --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def asset(request, pk: int):
    """A fixed asset: its values, its transfers and disposals; the form to request one while it is in use."""
    item = FixedAsset.objects.get_for_read(request.user, pk)
    can_write = access.can_write(request.user, item.org)
    form = AssetMoveForm(request.POST or None, targets=selectors.asset_move_targets(request.user, item.org))
    if request.method == "POST":
        Org.objects.require_write(request.user, item.org)
        if form.is_valid():
            data = form.cleaned_data
            try:
                move = services.asset_move_submit(actor=request.user, asset=item, kind=data["kind"],
                                                  reason=data["reason"], to_org=data["to_org"],
                                                  proceeds_fen=data["proceeds"] or 0)  # fmt: skip
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, f"已提交{move.approver.name}审批；批准后记账。")
                return redirect("finance:asset_move", pk=move.pk)
    moves = item.moves.select_related("to_org", "approver").order_by("-pk")
    pending = any(m.status == AssetMove.Status.PENDING for m in moves)
    level = finance_policy().asset_approval_level(item.org.region_id, item.value_fen)
    use_form = AssetUseForm(initial={"user_unit": item.user_unit, "venue": item.venue},
                            venues=selectors.venues_for_assets(request.user, item.org))  # fmt: skip
    context = _context(request, item.org, item=item, moves=moves, form=form, pending=pending, use_form=use_form,
                       level=services.APPROVAL_LEVEL_LABELS[level], can_move=can_write and item.status == "in_use"
                       and not pending)  # fmt: skip
    return render(request, "finance/asset.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def asset_use(request, pk: int):
    """使用单位和阵地 of an asset (the owning union's write role)."""
    item = FixedAsset.objects.get_for_read(request.user, pk)
    Org.objects.require_write(request.user, item.org)
    form = AssetUseForm(request.POST, venues=selectors.venues_for_assets(request.user, item.org))
    if form.is_valid():
        with flashed(request, "已保存使用单位和阵地。"):
            services.asset_use_set(actor=request.user, asset=item, user_unit=form.cleaned_data["user_unit"],
                                   venue=form.cleaned_data["venue"])  # fmt: skip
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("finance:asset", pk=item.pk)


@login_required
def asset_move(request, pk: int):
    """A transfer or disposal: the request, the approval case's steps, the entries once approved; the approving
    union's buttons while it waits."""
    from gonghui.cases.selectors import moves

    item = AssetMove.objects.select_related("asset", "org", "to_org", "approver", "case").get_for_read(request.user, pk)
    steps = item.case.steps.select_related("actor").order_by("pk") if item.case else []
    may_decide = bool(item.case and moves(item.case, request.user)) and item.requested_by_id != request.user.pk
    context = _context(request, item.org, item=item, steps=steps, may_decide=may_decide,
                       decide_form=DecideForm(initial={"version": item.case.version if item.case else 0}))  # fmt: skip
    return render(request, "finance/asset_move.html", context)


@login_required
@require_POST
def asset_move_decide(request, pk: int):
    item = AssetMove.objects.get_for_read(request.user, pk)
    form = DecideForm(request.POST)
    with flashed(request) as outcome:
        if not form.is_valid():
            raise ValidationError("请选择批准或不予批准。")
        data = form.cleaned_data
        item = services.asset_move_decide(actor=request.user, move=item, approve=data["decision"] == "approve",
                                          version=data["version"], note=data["note"])  # fmt: skip
        outcome.success = "已批准并记账。" if item.entry_id else "已不予批准。"
    return redirect("finance:asset_move", pk=item.pk)


# ----- 建会筹备金 ----------------------------------------------------------------------------------------------


@login_required
def reserves(request):
    """建会筹备金 a county-level union holds per employer, and the returns made: once a union has formed at the
    employer, the button returns the grassroots share."""
    org = _org(request)
    context = _context(request, org, tab="reserves", held=selectors.reserves_held(org),
                       returns=selectors.reserve_returns(org)[:50])  # fmt: skip
    return render(request, "finance/reserves.html", context)


@login_required
@require_POST
def reserve_return(request):
    org = _org(request)
    Org.objects.require_write(request.user, org)
    employer = Employer.objects.filter(pk=int_param(request.POST.get("employer", ""))).first()
    if employer is None:
        raise Http404("没有找到该单位。")
    with flashed(request) as outcome:
        record = services.reserve_return(actor=request.user, org=org, employer=employer)
    if outcome.done:
        text = f"已向{record.union.name}返还建会筹备金 {yuan(record.returned_fen)} 元，各级凭证已记账。"
        messages.success(request, text)
    return redirect(f"{reverse('finance:reserves')}?org={org.pk}")


@login_required
@require_GET
def payment_order(request):
    """支付令申请材料 (PDF) for one employer's arrears to one union, generated on request and audited."""
    from gonghui.core.audit import audit_record

    org = _org(request)
    Org.objects.require_write(request.user, org)
    employer = Employer.objects.filter(pk=int_param(request.GET.get("employer", ""))).first()
    if employer is None or not reports.payment_order_rows(org, employer):
        raise Http404("该单位没有欠缴本工会的经费。")
    pdf = reports.payment_order_pdf(org, employer, today=timezone.localdate())
    audit_record(actor=request.user, action="finance.payment_order.pdf", obj=employer, org=org,
                 detail={"employer": employer.pk})  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=payment-order-{employer.pk}.pdf"
    return response


# ----- 收缴导入 --------------------------------------------------------------------------------------------------


def _import_for(request, pk: int) -> CollectionImport:
    access.require_cadre(request.user)
    job = CollectionImport.objects.in_scope(request.user).select_related("org", "created_by").filter(pk=pk).first()
    if job is None:
        raise Http404("没有找到该导入。")
    return job


@login_required
@require_http_methods(["GET", "POST"])
def imports(request):
    """收缴导入: upload a tax-bureau statement or collection sheet for a union's subtree; the imports so far."""
    access.require_cadre(request.user)
    org = _org(request)
    form = CollectionImportForm(request.POST or None, request.FILES or None,
                                orgs=org_selectors.writable_orgs(request.user), initial={"org": org})  # fmt: skip
    if request.method == "POST":
        Org.objects.require_write(request.user, org)
        if form.is_valid():
            try:
                job = collection_imports.upload(actor=request.user, org=form.cleaned_data["org"],
                                                file=form.cleaned_data["file"],
                                                file_name=form.cleaned_data["file"].name)  # fmt: skip
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, "文件已上传，正在预检；预检完成前不会入账。")
                return redirect("finance:import_job", pk=job.pk)
    jobs_ = CollectionImport.objects.in_scope(request.user).filter(org=org).select_related("created_by")[:20]
    context = _context(request, org, tab="collections", form=form, jobs=jobs_)
    return render(request, "finance/imports.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def import_template(request):
    access.require_cadre(request.user)
    response = HttpResponse(collection_imports.template(), content_type=sheet_import.XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E6%94%B6%E7%BC%B4%E6%98%8E%E7%BB%86.xlsx"
    return response


@login_required
@require_GET
def import_job(request, pk: int):
    """One import: its dry run's outcome (the wrong rows, the total), the commit's progress, the buttons."""
    job = _import_for(request, pk)
    context = _context(request, job.org, tab="collections", job=job, shown_errors=job.errors[:50],
                       header=collection_imports.HEADER)  # fmt: skip
    return render(request, "finance/import_job.html", context)


@login_required
@require_POST
def import_commit(request, pk: int):
    job = _import_for(request, pk)
    with flashed(request) as outcome:
        collection_imports.commit(actor=request.user, job=job)
    if outcome.done:
        messages.success(request, "已开始导入，每批收缴入账后进度随之更新。")
    return redirect("finance:import_job", pk=job.pk)


@login_required
@require_POST
def import_resume(request, pk: int):
    job = _import_for(request, pk)
    with flashed(request) as outcome:
        collection_imports.resume(actor=request.user, job=job)
    if outcome.done:
        messages.success(request, "已重新排队，将从上次中断处继续。")
    return redirect("finance:import_job", pk=job.pk)


@login_required
@require_GET
def import_errors(request, pk: int):
    job = _import_for(request, pk)
    Org.objects.require_write(request.user, job.org)
    if not job.errors:
        raise Http404("这次导入没有有误的行。")
    response = HttpResponse(collection_imports.errors_file(job=job), content_type=sheet_import.XLSX)
    response["Content-Disposition"] = f"attachment; filename=collection-import-{job.pk}-errors.xlsx"
    return response
