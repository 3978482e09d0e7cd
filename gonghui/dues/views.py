"""Dues pages: a union's month (members, totals, batch payment), a member's dues, bulk wage bases, the
province rate, and the worker's own yearly statement."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gonghui.core.lists import list_rows, render_list
from gonghui.core.web import flashed, form_errors, int_param
from gonghui.dues import selectors, services
from gonghui.dues.calculation import parse_month, percent
from gonghui.dues.forms import BatchPaymentForm, BulkBaseForm, PaymentForm, RateForm, ReverseForm, WageBaseForm
from gonghui.dues.lists import ORG_MEMBERS
from gonghui.dues.models import DuesPayment
from gonghui.dues.policy import dues_policy
from gonghui.members.models import Person
from gonghui.members.selectors import current_membership
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org, OrgType

BULK_PAGE_SIZE = 50


def _month_param(request):
    """The month of the query (YYYY-MM), or the current month; a bad value reads as the current month."""
    try:
        return parse_month(request.GET["month"]) if request.GET.get("month") else selectors.current_month()
    except ValidationError:
        return selectors.current_month()


def _year_param(request) -> int:
    year = request.GET.get("year", "")
    return int(year) if year.isdigit() and 1950 <= int(year) <= 2100 else timezone.localdate().year


def _page_param(request) -> int:
    page = request.GET.get("page", "")
    return int(page) if page.isdigit() and int(page) > 0 else 1


def _org_url(org, month, **extra) -> str:
    return reverse("dues:org") + "?" + urlencode({"org": org.pk, "month": f"{month:%Y-%m}", **extra})


# ----- a union's month --------------------------------------------------------------------------------------


@login_required
@require_GET
def org_dues(request):
    """会费收缴: the subtree's totals for a month, each sub-union's, and one page of the org's own members."""
    user = request.user
    access.require_cadre(user)
    org = Org.objects.get_for_read(user, int_param(request.GET["org"])) if request.GET.get("org") else None
    org = org or access.top_orgs(user)[0]
    month = _month_param(request)
    listing = list_rows(request, ORG_MEMBERS, filters={"org": org})
    listing.rows = selectors.member_rows(listing.rows, month)
    can_write = access.can_write(user, org)
    context = {
        **listing.context(), "org": org, "month": month, "months": reversed(selectors.rollup_window()),
        "totals": selectors.subtree_totals(org, month), "children": selectors.child_totals(org, month),
        "members_now": org_selectors.subtree_member_count(org), "can_write": can_write,
        "batch_form": BatchPaymentForm(initial={"month": month, "method": "payroll"}) if can_write else None,
        "nav": "dues",
    }  # fmt: skip
    return render_list(request, "dues/org.html", "dues/_member_rows.html", context)


@login_required
@require_POST
def batch(request, org_id: int):
    user = request.user
    org = Org.objects.get_for_write(user, org_id)
    form = BatchPaymentForm(request.POST)
    month = selectors.current_month()
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_org_url(org, month))
    data = form.cleaned_data
    month = data["month"]
    with flashed(request) as outcome:
        counts = services.dues_pay_org_month(actor=user, org=org, month=month, method=data["method"],
                                             paid_on=data["paid_on"])  # fmt: skip
    if outcome.done:
        done = "已登记 {recorded} 人；已缴跳过 {already_paid} 人，未核定缴费基数 {unassessed} 人，免缴 {exempt} 人。"
        messages.success(request, done.format(**counts))
    return redirect(_org_url(org, month))


@login_required
@require_http_methods(["GET", "POST"])
def bases(request, org_id: int):
    """批量核定缴费基数 for one page of the org's own members."""
    user = request.user
    org = Org.objects.get_for_write(user, org_id)
    page = _page_param(request)
    form = BulkBaseForm(request.POST or None, initial={"effective_from": selectors.current_month()})
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                month = form.cleaned_data["effective_from"]
                count = services.wage_bases_set_bulk(actor=user, org=org, effective_from=month,
                                                     bases=form.bases(request.POST))  # fmt: skip
            except ValidationError as error:
                form.add_error(None, "；".join(error.messages))
            else:
                messages.success(request, f"已核定 {count} 人的缴费基数。")
                return redirect(_org_url(org, form.cleaned_data["effective_from"]))
        status = 400
    start = (page - 1) * BULK_PAGE_SIZE
    members = list(selectors.direct_members(org).select_related("person")[start : start + BULK_PAGE_SIZE + 1])
    context = {"org": org, "form": form, "members": members[:BULK_PAGE_SIZE], "page": page,
               "has_next": len(members) > BULK_PAGE_SIZE, "posted": request.POST, "nav": "dues"}  # fmt: skip
    return render(request, "dues/bases.html", context, status=status)


# ----- a member -----------------------------------------------------------------------------------------------


def _member_page(request, pk: int, *, base_form=None, payment_form=None, status=200):
    user = request.user
    person = Person.objects.get_for_read(user, pk)
    current = current_membership(person)
    can_write = current is not None and access.can_write(user, current.org)
    payments = selectors.payments_of(person)
    for payment in payments:  # a reversal is made by the union that received the payment
        open_payment = payment.kind == "payment" and not payment.is_reversed
        payment.can_reverse = open_payment and access.can_write(user, payment.org)
    year = _year_param(request)
    context = {
        "person": person, "current": current, "statement": selectors.statement(person, year), "year": year,
        "payments": payments, "can_write": can_write, "nav": "dues",
        "base_form": base_form or WageBaseForm(initial={"effective_from": selectors.current_month()}),
        "payment_form": payment_form or PaymentForm(initial={"month": selectors.current_month(), "method": "cash"}),
        "reverse_form": ReverseForm(),
    }  # fmt: skip
    return render(request, "dues/member.html", context, status=status)


@login_required
@require_GET
def member(request, pk: int):
    return _member_page(request, pk)


@login_required
@require_POST
def base_set(request, pk: int):
    user = request.user
    person = Person.objects.get_for_write(user, pk)
    form = WageBaseForm(request.POST)
    if form.is_valid():
        try:
            services.wage_base_set(actor=user, person=person, base=form.cleaned_data["base"],
                                   effective_from=form.cleaned_data["effective_from"])  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已核定{person.name}的缴费基数。")
            return redirect("dues:member", pk=pk)
    return _member_page(request, pk, base_form=form, status=400)


@login_required
@require_POST
def pay(request, pk: int):
    user = request.user
    person = Person.objects.get_for_write(user, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.dues_pay(actor=user, person=person, month=data["month"], method=data["method"],
                              paid_on=data["paid_on"], amount=data["amount"], note=data["note"])  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已登记{person.name}{data['month']:%Y年%m月}的会费。")
            return redirect("dues:member", pk=pk)
    return _member_page(request, pk, payment_form=form, status=400)


@login_required
@require_POST
def reverse_payment(request, pk: int):
    user = request.user
    payment = DuesPayment.objects.get_for_read(user, pk)
    form = ReverseForm(request.POST)
    with flashed(request, f"已冲正{payment.month:%Y年%m月}的缴纳记录，可重新登记。"):
        if not form.is_valid():
            raise ValidationError("请填写冲正原因。")
        services.dues_payment_reverse(actor=user, payment=payment, reason=form.cleaned_data["reason"])
    return redirect("dues:member", pk=payment.person_id)


# ----- province policy ------------------------------------------------------------------------------------------


def _provinces(user, *, manage: bool):
    orgs = Org.objects.writable_by(user, manage=True) if manage else Org.objects.in_scope(user)
    return list(orgs.filter(org_type=OrgType.PROVINCE).order_by("region_id"))


@login_required
@require_http_methods(["GET", "POST"])
def policy(request):
    """会费比例: the national default, each province's rate now and its history; a province's admin sets it."""
    user = request.user
    access.require_cadre(user)
    editable = _provinces(user, manage=True)
    if request.method == "POST" and not editable:
        raise access.deny(user, "只有省级总工会（或全总）管理员可以设置会费比例。")
    initial = {"effective_from": selectors.current_month(), "rate_percent": percent(dues_policy().rate)}
    form = RateForm(request.POST or None, provinces=editable, initial=initial)
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            province = Org.objects.get_for_read(user, data["province"])
            try:
                services.dues_rate_set(actor=user, province=province, rate=data["rate_percent"] / 100,
                                       effective_from=data["effective_from"])  # fmt: skip
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, f"已设置{province.name}的会费比例，各工会的汇总将在后台重新计算。")
                return redirect("dues:policy")
        status = 400
    rates = selectors.RateTable(dues_policy())
    month = selectors.current_month()
    history = selectors.province_rates()
    provinces = []
    for org in _provinces(user, manage=False):
        code = selectors.province_of(org)
        own = [(r.effective_from, percent(r.rate)) for r in history if r.province_code == code]
        provinces.append((org, percent(rates.rate(code, month)), own))
    context = {"policy": dues_policy(), "default_percent": percent(dues_policy().rate), "provinces": provinces,
               "form": form if editable else None, "month": month, "nav": "dues"}  # fmt: skip
    return render(request, "dues/policy.html", context, status=status)


# ----- the worker's own statement ----------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    """我的会费: the signed-in member's own yearly statement, printable."""
    person = request.user.person
    if person is None:
        raise access.deny(request.user, "此页面供会员本人查看自己的会费；您的账号没有关联会员档案。")
    year = _year_param(request)
    context = {"person": person, "statement": selectors.statement(person, year), "year": year, "nav": "me",
               "policy": dues_policy()}  # fmt: skip
    return render(request, "dues/mine.html", context)
