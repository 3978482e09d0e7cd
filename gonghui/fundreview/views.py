"""经费审查 pages: a union's committee (members, the register of chairs and finance staff), its review plans,
their findings and rectification, and the yearly report. Views validate and call services."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from gonghui.core.lists import list_rows, render_list
from gonghui.core.web import flashed, form_errors, int_param
from gonghui.finance.selectors import budget_vs_actual
from gonghui.fundreview import reports, selectors, services
from gonghui.fundreview.forms import (
    CloseForm,
    CommitteeForm,
    CompleteForm,
    FindingForm,
    MemberForm,
    OfficerForm,
    PlanForm,
    ReportForm,
    RespondForm,
)
from gonghui.fundreview.lists import FINDINGS, PLANS
from gonghui.fundreview.models import CommitteeMember, Finding, Plan, Report
from gonghui.orgs import access
from gonghui.orgs.models import Org

NAV = "fundreview"


def _org(request) -> Org:
    """The union the page is about: ``?org=`` in the user's scope (404 outside), else the user's first."""
    pk = request.GET.get("org") or request.POST.get("org")
    return access.org_or_first(request.user, int_param(pk) if pk else None)


def _home(org: Org) -> str:
    return f"{reverse('fundreview:home')}?org={org.pk}"


@login_required
@require_GET
def home(request):
    """经费审查: the union's committee of today, its members, the register of posts that bar people from it,
    this year's plans, the rectification still open and the reports issued."""
    org = _org(request)
    today = timezone.localdate()
    committee = services.committee_of(org, today)
    context = {
        "org": org, "nav": NAV, "committee": committee, "today": today,
        "members": selectors.members_of(committee) if committee else [],
        "officers": selectors.officers_of(request.user, org),
        "plans": selectors.plans_visible_to(request.user, org=org, year=today.year).filter(org=org),
        "open_findings": selectors.findings_visible_to(request.user, org=org, status="open").filter(org=org),
        "reports": selectors.reports_visible_to(request.user, org=org).filter(org=org),
        "can_write": access.can_write(request.user, org),
        "committee_form": CommitteeForm(), "member_form": MemberForm(), "officer_form": OfficerForm(),
        "plan_form": PlanForm(initial={"year": today.year}), "report_form": ReportForm(initial={"year": today.year}),
    }  # fmt: skip
    return render(request, "fundreview/home.html", context)


def _post(request, form_class, action) -> HttpResponse:
    """A form posted from the union's page: the service's refusal is shown there, in Chinese."""
    org = _org(request)
    form = form_class(request.POST)
    with flashed(request) as outcome:
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        outcome.success = action(org, form.cleaned_data)
    return redirect(_home(org))


@login_required
@require_POST
def committee_new(request):
    def act(org, data):
        services.committee_create(actor=request.user, org=org, **data)
        return "已登记经费审查委员会，请增补委员并确定主任。"

    return _post(request, CommitteeForm, act)


@login_required
@require_POST
def member_add(request):
    def act(org, data):
        committee = services.committee_of(org, timezone.localdate())
        if committee is None:
            raise ValidationError("本会没有在任的经费审查委员会，请先组建委员会。")
        person = selectors.member_by_card(org, data["card_number"])
        member = services.member_add(actor=request.user, committee=committee, person=person, role=data["role"],
                                     account=selectors.work_account(data["account"]))  # fmt: skip
        return f"已增补{member.person.name}为{member.get_role_display()}。"

    return _post(request, MemberForm, act)


@login_required
@require_POST
def member_remove(request, pk: int):
    member = CommitteeMember.objects.get_for_write(request.user, pk)
    org = member.committee.org
    services.member_remove(actor=request.user, member=member)
    messages.success(request, f"{member.person.name}已退出经费审查委员会。")
    return redirect(_home(org))


@login_required
@require_POST
def officer_new(request):
    def act(org, data):
        person = selectors.member_by_card(org, data["card_number"])
        officer = services.officer_record(actor=request.user, org=org, person=person, post=data["post"],
                                          since=data["since"], until=data["until"],
                                          account=selectors.work_account(data["account"]))  # fmt: skip
        return f"已登记{officer}。"

    return _post(request, OfficerForm, act)


@login_required
@require_POST
def plan_new(request):
    org = _org(request)
    form = PlanForm(request.POST)
    with flashed(request, "已制定审查计划。") as outcome:
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        plan = services.plan_create(actor=request.user, org=org, **form.cleaned_data)
    return redirect("fundreview:plan", pk=plan.pk) if outcome.done else redirect(_home(org))


@login_required
@require_GET
def plans(request):
    """审查计划 of the unions in scope; exportable."""
    access.require_cadre(request.user)
    listing = list_rows(request, PLANS)
    context = {**listing.context(), "filter_form": PLANS.filter_form(request.GET), "nav": NAV}
    return render_list(request, "fundreview/plans.html", "fundreview/_plans.html", context)


@login_required
@require_GET
def plan(request, pk: int):
    """One review: its findings, the union's budget against actual for the year (from the ledger), and the
    forms to record a finding and to complete it."""
    item = Plan.objects.get_for_read(request.user, pk)
    today = timezone.localdate()
    context = {
        "item": item, "org": item.org, "nav": NAV, "findings": item.findings.order_by("pk"),
        "budget": budget_vs_actual(item.org, item.year), "can_write": access.can_write(request.user, item.org),
        "finding_form": FindingForm(initial={"deadline": today + dt.timedelta(days=60)}),
        "complete_form": CompleteForm(initial={"version": item.version, "done_on": today}),
    }  # fmt: skip
    return render(request, "fundreview/plan.html", context)


@login_required
@require_POST
def plan_complete(request, pk: int):
    item = Plan.objects.get_for_write(request.user, pk)
    form = CompleteForm(request.POST)
    with flashed(request, "审查已完成。"):
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        services.plan_complete(actor=request.user, plan=item, **form.cleaned_data)
    return redirect("fundreview:plan", pk=item.pk)


@login_required
@require_POST
def finding_new(request, pk: int):
    item = Plan.objects.get_for_write(request.user, pk)
    form = FindingForm(request.POST)
    with flashed(request) as outcome:
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        finding = services.finding_record(actor=request.user, plan=item, amount_fen=form.cleaned_data.pop("amount"),
                                          **form.cleaned_data)  # fmt: skip
        outcome.success = f"已记录问题，整改期限 {finding.deadline:%Y-%m-%d}。"
    if not outcome.done:
        return redirect("fundreview:plan", pk=item.pk)
    return redirect("fundreview:finding", pk=finding.pk)


@login_required
@require_GET
def findings(request):
    """审查发现的问题 of the unions in scope, by rectification status, the overdue ones on their own; exportable."""
    access.require_cadre(request.user)
    listing = list_rows(request, FINDINGS)
    context = {**listing.context(), "filter_form": FINDINGS.filter_form(request.GET), "nav": NAV,
               "today": timezone.localdate()}  # fmt: skip
    return render_list(request, "fundreview/findings.html", "fundreview/_findings.html", context)


@login_required
@require_GET
def finding(request, pk: int):
    """A finding: the problem, the requirement and deadline, the rectification's steps; the finance side's
    form while it is being rectified, the committee member's while it waits for confirmation."""
    item = Finding.objects.get_for_read(request.user, pk)
    can_write = access.can_write(request.user, item.org)
    version = item.case.version if item.case else 0
    context = {
        "item": item, "org": item.org, "nav": NAV, "can_write": can_write, "today": timezone.localdate(),
        "steps": item.case.steps.select_related("actor").order_by("pk") if item.case else [],
        "may_close": services.sits_on(request.user, item.org) and item.responded_by_id != request.user.pk,
        "respond_form": RespondForm(initial={"version": version}),
        "close_form": CloseForm(initial={"version": version}),
    }  # fmt: skip
    return render(request, "fundreview/finding.html", context)


@login_required
@require_POST
def finding_respond(request, pk: int):
    item = Finding.objects.get_for_write(request.user, pk)
    form = RespondForm(request.POST)
    with flashed(request, "已报送整改情况，等待经费审查委员会确认。"):
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        services.rectification_respond(actor=request.user, finding=item, **form.cleaned_data)
    return redirect("fundreview:finding", pk=item.pk)


@login_required
@require_POST
def finding_close(request, pk: int):
    item = Finding.objects.get_for_write(request.user, pk)
    form = CloseForm(request.POST)
    with flashed(request) as outcome:
        if not form.is_valid():
            raise ValidationError("请选择确认整改完成或退回重新整改。")
        data = form.cleaned_data
        item = services.rectification_close(actor=request.user, finding=item, accept=data["decision"] == "accept",
                                            version=data["version"], note=data["note"])  # fmt: skip
        closed = item.status == Finding.Status.CLOSED
        outcome.success = "已确认整改完成，问题销号。" if closed else "已退回重新整改。"
    return redirect("fundreview:finding", pk=item.pk)


@login_required
@require_POST
def report_issue(request):
    def act(org, data):
        report = services.report_issue(actor=request.user, org=org, year=data["year"])
        return f"已签发{report}。"

    return _post(request, ReportForm, act)


@login_required
@require_GET
def report_file(request, pk: int, kind: str):
    """The issued report as PDF or xlsx, printed from its kept content."""
    report = Report.objects.get_for_read(request.user, pk)
    if kind not in {"pdf", "xlsx"}:
        raise Http404("文件不存在")
    services.report_downloaded(actor=request.user, report=report, kind=kind)
    name = f"fundreview-{report.org_id}-{report.year}"
    if kind == "pdf":
        response = HttpResponse(reports.report_pdf(report.content), content_type="application/pdf")
    else:
        response = HttpResponse(
            reports.report_xlsx(report.content),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response["Cache-Control"] = "no-store"
    return response
