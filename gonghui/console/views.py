"""The three consoles of 三员分立: accounts (system admin), grants and policy (security admin), the audit
log (audit admin). Every view goes through console.access.console_view with its one role."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gonghui.accounts import services as account_services
from gonghui.accounts.models import Grant, User
from gonghui.console import selectors
from gonghui.console.access import Role, console_view
from gonghui.console.forms import (
    AccountCreateForm,
    AccountFilterForm,
    AccountResetForm,
    AnalysisForm,
    AuditFilterForm,
    ExportForm,
    GrantCreateForm,
    GrantFilterForm,
    PolicyForm,
    WorkdayOverrideForm,
)
from gonghui.console.lists import ACCOUNTS, AUDIT, CALENDAR, GRANTS
from gonghui.console.services import audit_export_begin, workday_override_delete, workday_override_set
from gonghui.core import registry
from gonghui.core.lists import list_rows, render_list


def _user_or_404(pk: int) -> User:
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise Http404("账号不存在")
    return user


# ── system admin ────────────────────────────────────────────────────────────────────────────────


@require_GET
@console_view(Role.SYSTEM)
def accounts(request):
    form = AccountFilterForm(request.GET or None)
    listing = list_rows(request, ACCOUNTS)
    for account in listing.rows:
        account.kind, account.shown_name = selectors.account_kind(account), selectors.account_shown_name(account)
    context = {**listing.context(), "form": form, "nav": "console"}
    return render_list(request, "console/accounts.html", "console/_account_rows.html", context)


@require_http_methods(["GET", "POST"])
@console_view(Role.SYSTEM)
def account_create(request):
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = account_services.user_create(
                actor=request.user, username=data["username"], password=data["password1"],
                display_name=data["display_name"], platform_role=data["platform_role"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已开设账号 {user.username}。")
            return redirect("console:accounts")
    status = 400 if form.errors else 200
    return render(request, "console/account_create.html", {"form": form, "nav": "console"}, status=status)


@require_POST
@console_view(Role.SYSTEM)
def account_disable(request, pk: int):
    user = _user_or_404(pk)
    if user.pk == request.user.pk:
        messages.error(request, "不能停用自己的账号。")
    elif user.is_active:
        account_services.user_disable(actor=request.user, user=user)
        messages.success(request, f"已停用账号 {user.username}，其所有登录会话已结束。")
    return redirect("console:accounts")


@require_POST
@console_view(Role.SYSTEM)
def account_enable(request, pk: int):
    user = _user_or_404(pk)
    if not user.is_active:
        account_services.user_enable(actor=request.user, user=user)
        messages.success(request, f"已重新启用账号 {user.username}。")
    return redirect("console:accounts")


@require_http_methods(["GET", "POST"])
@console_view(Role.SYSTEM)
def calendar(request):
    """节假日调整: the overrides on top of the statutory calendar, newest first, and a form to add one."""
    form = WorkdayOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        workday_override_set(actor=request.user, day=data["day"], is_workday=data["is_workday"], note=data["note"])
        label = "工作日" if data["is_workday"] else "休息日"
        messages.success(request, f"已将 {data['day']:%Y年%-m月%-d日} 设为{label}。")
        return redirect("console:calendar")
    context = {**list_rows(request, CALENDAR).context(), "form": form, "nav": "console"}
    return render_list(request, "console/calendar.html", "console/_calendar_rows.html", context,
                       400 if form.errors else 200)  # fmt: skip


@require_POST
@console_view(Role.SYSTEM)
def calendar_delete(request, pk: int):
    override = selectors.workday_overrides().filter(pk=pk).first()
    if override is None:
        raise Http404("没有这条调整")
    workday_override_delete(actor=request.user, override=override)
    messages.success(request, f"已删除 {override.day:%Y年%-m月%-d日} 的调整，恢复按法定节假日安排计算。")
    return redirect("console:calendar")


# ── security admin ──────────────────────────────────────────────────────────────────────────────


def _grants_page(request, create_form, status: int = 200):
    form = GrantFilterForm(request.GET or None)
    chosen = getattr(create_form, "cleaned_data", {}).get("org")  # keep the chosen org when the form is refused
    context = {
        **list_rows(request, GRANTS).context(), "form": form, "create_form": create_form, "nav": "console",
        "selected_orgs": [chosen] if chosen else [], "selected_org_pk": chosen.pk if chosen else None,
    }  # fmt: skip
    return render_list(request, "console/grants.html", "console/_grant_rows.html", context, status)


@require_GET
@console_view(Role.SECURITY)
def grants(request):
    return _grants_page(request, GrantCreateForm())


@require_POST
@console_view(Role.SECURITY)
def grant_create(request):
    form = GrantCreateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            grant = account_services.grant_create(
                actor=request.user, user=data["username"], org=data["org"], role=data["role"],
                can_unmask=data["can_unmask"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            role = grant.get_role_display()
            messages.success(request, f"已授予 {grant.user.username} 在“{grant.org.name}”的{role}角色。")
            return redirect("console:grants")
    return _grants_page(request, form, status=400)


@require_GET
@console_view(Role.SECURITY)
def grant_org_options(request):
    orgs = selectors.org_choices(request.GET.get("org_q", ""))
    return render(request, "orgs/_picker_options.html", {"orgs": orgs})


@require_POST
@console_view(Role.SECURITY)
def grant_revoke(request, pk: int):
    grant = Grant.objects.select_related("user", "org").filter(pk=pk).first()
    if grant is None:
        raise Http404("授权不存在")
    account_services.grant_revoke(actor=request.user, grant=grant)
    messages.success(request, f"已撤销 {grant.user.username} 在“{grant.org.name}”的授权。")
    return redirect("console:grants")


@require_http_methods(["GET", "POST"])
@console_view(Role.SECURITY)
def policy(request):
    current = selectors.policy_current()
    form = PolicyForm(request.POST or None, initial=PolicyForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            account_services.policy_update(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "安全策略已保存。")
            return redirect("console:policy")
    context = {"form": form, "policy": current, "nav": "console"}
    return render(request, "console/policy.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@console_view(Role.SECURITY)
def account_reset(request):
    """重置账号 (a cadre's lost password or authenticator): the temporary password is shown once, on this page."""
    form = AccountResetForm(request.POST or None)
    context = {"form": form, "nav": "console"}
    if request.method == "POST" and form.is_valid():
        account = form.cleaned_data["username"]
        try:
            password = account_services.account_reset(actor=request.user, user=account)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            context.update({"account": account, "password": password, "form": AccountResetForm()})
    response = render(request, "console/account_reset.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"  # the temporary password must not stay in a cache
    return response


# ── audit admin ─────────────────────────────────────────────────────────────────────────────────


@require_GET
@console_view(Role.AUDIT)
def audit(request):
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "nav": "console", "rows": [], "query": ""}
        return render(request, "console/audit.html", context, status=400)
    listing = list_rows(request, AUDIT)
    selectors.audit_events_described(listing.rows)
    context = {**listing.context(), "form": form, "nav": "console", "actions": sorted(registry.audit_actions().items())}
    return render_list(request, "console/audit.html", "console/_audit_rows.html", context)


@require_GET
@console_view(Role.AUDIT)
def audit_analysis(request):
    form = AnalysisForm(request.GET or {})
    if not form.is_valid():
        return render(request, "console/analysis.html", {"form": form, "nav": "console"}, status=400)
    since, until = form.period(timezone.localdate())
    start, end = selectors.day_bounds(since, until)
    analysis = selectors.audit_analysis(start=start, end=end)
    context = {"form": form, "nav": "console", "since": since, "until": until, "analysis": analysis}
    return render(request, "console/analysis.html", context)


@require_GET
@console_view(Role.AUDIT)
def audit_chain(request):
    return render(request, "console/chain.html", {"status": selectors.chain_status(), "nav": "console"})


@require_http_methods(["GET", "POST"])
@console_view(Role.AUDIT)
def audit_export(request):
    today = timezone.localdate()
    form = ExportForm(request.POST or None, initial={"since": today.replace(day=1), "until": today})
    if request.method == "POST" and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
        start, end = selectors.day_bounds(since, until)
        count = selectors.export_count(start=start, end=end)
        audit_export_begin(actor=request.user, since=since, until=until, count=count, via="web")
        response = StreamingHttpResponse(
            selectors.export_lines(start=start, end=end), content_type="application/jsonl; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="audit-{since:%Y%m%d}-{until:%Y%m%d}.jsonl"'
        return response
    context = {"form": form, "nav": "console"}
    return render(request, "console/export.html", context, status=400 if form.errors else 200)
