"""Online joining pages: the worker's phone-first application (no account needed first) and status, and
the cadres' to-do list, decisions and join codes. Views validate and call services, nothing more."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gonghui.core.errors import ConflictError
from gonghui.core.lists import list_rows, render_list
from gonghui.core.qr import qr_svg
from gonghui.core.ratelimit import rate_limit, too_many_requests
from gonghui.core.web import error_text, flashed, int_param, region_context
from gonghui.joining import selectors, services
from gonghui.joining.forms import ApplyForm, CodeForm, JoinCodeForm, PhoneForm, RejectForm, WorkForm
from gonghui.joining.lists import JOIN_CODES, TODO
from gonghui.joining.models import JoinApplication, JoinCode, PhoneVerification
from gonghui.joining.pipl import NOTICE_VERSION
from gonghui.joining.policy import joining_policy
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.api import employer_from
from gonghui.orgs.models import Org

SESSION_VERIFICATION = "joining.verification"
SESSION_CODE = "joining.code"
BACKEND = "gonghui.joining.backends.PhoneOrUsernameBackend"
BAD_CODE = "该入会二维码无效或已停用，将按您填写的工作单位和地区为您匹配受理工会。"


def _join_code(request) -> JoinCode | None:
    token = request.session.get(SESSION_CODE)
    return JoinCode.objects.filter(token=token, is_active=True).select_related("org").first() if token else None


def _verification(request) -> PhoneVerification | None:
    token = request.session.get(SESSION_VERIFICATION)
    if not token:
        return None
    return PhoneVerification.objects.filter(token=token, purpose=PhoneVerification.Purpose.JOIN).first()


# ----- 职工: 申请入会 ---------------------------------------------------------------------------------------------


def _phone_page(request, form=None, status=200):
    context = {"form": form or PhoneForm(), "join_code": _join_code(request), "step": 1}
    return _private(render(request, "joining/apply_phone.html", context, status=status))


def _private(response):
    """The applicant's own data typed back into a page: never kept by a cache."""
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def code_scan(request, token: str):
    """扫码: the poster's QR code opens this; the org is then fixed for the application."""
    code = services.join_code_scan(token=token)
    if code is None:
        request.session.pop(SESSION_CODE, None)
        messages.warning(request, BAD_CODE)
    else:
        request.session[SESSION_CODE] = code.token
    return _phone_page(request)


@require_http_methods(["GET", "POST"])
@rate_limit(scope="join-sms-ip", limit=joining_policy().sends_per_ip_per_hour, window_seconds=3600)
def apply(request):
    """申请入会 第一步: the phone number; a code is sent to it."""
    if request.GET.get("code"):
        return code_scan(request, request.GET["code"])
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification = services.phone_code_send(phone=form.cleaned_data["phone"])
        except services.TooManyCodes:
            return too_many_requests(request, retry_after=3600)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            request.session[SESSION_VERIFICATION] = verification.token
            return redirect("joining:verify")
    return _phone_page(request, form, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def verify(request):
    """第二步: the SMS code."""
    verification = _verification(request)
    if verification is None:
        return _phone_page(request)  # the session ended (or the page was bookmarked): start again
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phone_code_verify(verification=verification, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return redirect("joining:form")
    return _verify_page(request, verification, form)


def _verify_page(request, verification, form):
    console_hint = settings.DEBUG and settings.GONGHUI_SMS_BACKEND == "console"
    context = {
        "policy": joining_policy(),
        "form": form,
        "verification": verification,
        "console_hint": console_hint,
        "resend_wait": services.resend_wait_seconds(verification),
        "step": 2,
    }
    return render(request, "joining/apply_verify.html", context, status=400 if form.errors else 200)


@require_POST
@rate_limit(scope="join-sms-ip", limit=joining_policy().sends_per_ip_per_hour, window_seconds=3600)
def resend(request):
    """重新获取验证码: a new code to the same phone, once the countdown has run out."""
    verification = _verification(request)
    if verification is None:
        return _phone_page(request)
    try:
        fresh = services.phone_code_resend(verification=verification)
    except services.TooManyCodes:
        return too_many_requests(request, retry_after=3600)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("joining:verify")
    request.session[SESSION_VERIFICATION] = fresh.token
    messages.success(request, f"新的验证码已发送至 {fresh.phone_masked}。")
    return redirect("joining:verify")


@require_GET
def notice(request):
    """《入会个人信息处理规则》: what joining collects, why, who sees it, how long it is kept, the applicant's
    rights; public (it is read before agreeing)."""
    context = {"version": NOTICE_VERSION, "policy": joining_policy(), "step": None}
    return render(request, "joining/notice.html", context)


@require_http_methods(["GET", "POST"])
@rate_limit(scope="join-submit-ip", limit=joining_policy().submits_per_ip_per_hour, window_seconds=3600)
def apply_form(request):
    """第三步: identity, work and a password; then the worker is signed in and sees the status."""
    verification = _verification(request)
    if verification is None or verification.verified_at is None:
        return _phone_page(request)
    join_code = _join_code(request)
    form = ApplyForm(request.POST or None, initial={"region": join_code.org.region_id if join_code else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                verification=verification, name=data["name"], id_number=data["id_number"],
                password=data["password1"], employment_form=data["employment_form"], region=data["region"],
                employer=employer_from(data["employer_name"], data["employer_uscc"], data["region"]),
                job_title=data["job_title"], join_code=join_code, consent=data["agree"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            request.session.pop(SESSION_VERIFICATION, None)
            request.session.pop(SESSION_CODE, None)
            login(request, application.account, backend=BACKEND)
            org = application.org.name
            messages.success(request, f"入会申请已提交，由“{org}”受理。以后请用手机号码和密码登录查看进度。")
            return redirect("joining:mine")
    region = org_selectors.region_by_code(str(form["region"].value() or ""))
    context = {"form": form, "join_code": join_code, "verification": verification, "step": 3,
               **work_region_context(region)}  # fmt: skip
    return _private(render(request, "joining/apply_form.html", context, status=400 if form.errors else 200))


def work_region_context(region) -> dict:
    """工作所在地, chosen down to the township (routing needs it)."""
    return region_context(region, url_name="joining:regions", label="工作所在地", optional=False)


@require_GET
def region_picker(request):
    """工作所在地: one more level of selects (public: the applicant has no account yet)."""
    region = org_selectors.region_by_code(request.GET.get("code", ""))
    return render(request, "orgs/_region_picker.html", work_region_context(region))


@login_required
@require_GET
def mine(request):
    """我的入会申请: status, the union handling it, the deadline, the outcome (e-card once accepted); a
    pending one may be withdrawn, and after a refusal or a withdrawal the applicant may apply again."""
    rows = list(selectors.own_applications(request.user))
    context = {"rows": rows, "nav": "me", "can_apply_again": selectors.can_apply_again(request.user),
               "policy": joining_policy()}  # fmt: skip
    return render(request, "joining/mine.html", context)


@login_required
@require_POST
def withdraw(request, pk: int):
    application = selectors.own_applications(request.user).filter(pk=pk).first()
    if application is None:
        raise Http404("没有这份申请")
    with flashed(request, "入会申请已撤回。"):
        services.application_withdraw(actor=request.user, application=application)
    return redirect("joining:mine")


@login_required
@require_http_methods(["GET", "POST"])
def again(request):
    """再次申请: new work details; identity and phone as verified the first time."""
    if not selectors.can_apply_again(request.user):
        raise access.deny(request.user, "没有可以重新申请的入会申请：只有被退回或已撤回的申请人可以重新申请。")
    form = WorkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_again(
                actor=request.user, employment_form=data["employment_form"], region=data["region"],
                employer=employer_from(data["employer_name"], data["employer_uscc"], data["region"]),
                job_title=data["job_title"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"入会申请已重新提交，由“{application.org.name}”受理。")
            return redirect("joining:mine")
    region = org_selectors.region_by_code(str(form["region"].value() or ""))
    context = {"form": form, "nav": "me", **work_region_context(region)}
    return render(request, "joining/again.html", context, status=400 if form.errors else 200)


# ----- 工会: 入会审核 ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def todo(request):
    """入会审核 待办: pending applications in scope (and escalated to it), overdue ones flagged."""
    access.require_cadre(request.user)
    listing = list_rows(request, TODO)
    for row in listing.rows:
        row.overdue = selectors.is_overdue(row)
    show = listing.filters.get("show") or "open"
    context = {**listing.context(), "show": show, "filters": selectors.TODO_FILTERS, "nav": "joining"}
    return render_list(request, "joining/todo.html", "joining/_todo_rows.html", context)


def _detail_page(request, application, *, reject_form=None, status=200):
    user = request.user
    context = {
        "a": application, "overdue": selectors.is_overdue(application),
        "can_decide": access.can_write(user, application.org),
        "can_call": access.can_write(user, application.org) and application.status == JoinApplication.Status.PENDING,
        "targets": selectors.reassign_targets(user, application),
        "reject_form": reject_form or RejectForm(initial={"version": application.version}), "nav": "joining",
    }  # fmt: skip
    return render(request, "joining/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, pk: int):
    return _detail_page(request, JoinApplication.objects.get_for_read(request.user, pk))


def _decide(request, pk: int, action, done: str):
    application = JoinApplication.objects.get_for_read(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        action(application, version)
    except ConflictError as exc:
        messages.error(request, exc.message)
        return redirect("joining:detail", pk=pk)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("joining:detail", pk=pk)
    messages.success(request, done)
    return redirect("joining:detail", pk=pk)


@login_required
@require_POST
def accept(request, pk: int):
    return _decide(request, pk, lambda a, v: services.application_accept(actor=request.user, application=a, version=v),
                   "已受理入会，会员证号已生成，申请人登录后即可看到电子会员证。")  # fmt: skip


@login_required
@require_POST
def reject(request, pk: int):
    reason = request.POST.get("reason", "")
    return _decide(request, pk, lambda a, v: services.application_reject(
        actor=request.user, application=a, version=v, reason=reason), "已退回申请，申请人可看到退回原因。")  # fmt: skip


@login_required
@require_POST
def applicant_phone(request, pk: int):
    """The applicant's full phone number with a call link, in place of the masked one (HTMX); audited."""
    application = JoinApplication.objects.get_for_read(request.user, pk)
    phone = services.applicant_phone_show(actor=request.user, application=application)
    return render(request, "joining/_phone.html", {"phone": phone})


@login_required
@require_GET
def reassign_targets(request, pk: int):
    """The union picker's options for 改派, searched by name or pinyin."""
    application = JoinApplication.objects.get_for_read(request.user, pk)
    orgs = selectors.reassign_targets(request.user, application, q=request.GET.get("org_q", ""))
    return render(request, "orgs/_picker_options.html", {"orgs": orgs, "empty_label": "没有可改派的工会"})


@login_required
@require_POST
def reassign(request, pk: int):
    org = Org.objects.get_for_read(request.user, int_param(request.POST.get("org")))
    return _decide(request, pk, lambda a, v: services.application_reassign(
        actor=request.user, application=a, version=v, org=org), f"已改派给“{org.name}”。")  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def codes(request):
    """入会二维码: the codes of the orgs in scope; a writer creates one for an org they may write."""
    access.require_cadre(request.user)
    form = JoinCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = Org.objects.get_for_read(request.user, form.cleaned_data["org"])
        try:
            code = services.join_code_create(actor=request.user, org=org, label=form.cleaned_data["label"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已生成入会二维码“{code.label}”。")
            return redirect("joining:poster", pk=code.pk)
    orgs = selectors.code_org_options(request.user)
    context = {**list_rows(request, JOIN_CODES).context(), "form": form, "orgs": orgs, "nav": "joining"}
    return render_list(request, "joining/codes.html", "joining/_code_rows.html", context, 400 if form.errors else 200)


def code_url(request, code: JoinCode) -> str:
    return request.build_absolute_uri(reverse("joining:code", args=[code.token]))


@login_required
@require_GET
def poster(request, pk: int):
    """A4 poster: the org's name, the code's label and the QR code, for printing."""
    code = JoinCode.objects.get_for_read(request.user, pk)
    context = {"code": code, "qr": qr_svg(code_url(request, code), title=f"{code.org.name}入会二维码", scale=8)}
    return render(request, "joining/poster.html", context)


@login_required
@require_POST
def code_deactivate(request, pk: int):
    code = JoinCode.objects.get_for_read(request.user, pk)
    services.join_code_deactivate(actor=request.user, code=code)
    messages.success(request, f"已停用“{code.label}”，扫码后将按常规方式匹配工会。")
    return redirect("joining:codes")
