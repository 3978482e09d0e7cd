"""学习积分 pages. The cadre: courses (list, new, detail with its completions, one completion by hand, the sheet
import), the reading check-ins and the learning report of a subtree by child union. The worker (phone first):
my courses, credits and certificates, and 读书打卡. The public certificate check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.core import sheet_import
from gonghui.core.audit import audit_record
from gonghui.core.errors import field_error
from gonghui.core.identifiers import parse_id_number
from gonghui.core.lists import list_rows, render_list
from gonghui.core.ratelimit import rate_limit
from gonghui.core.sealed import id_number_index
from gonghui.learning import certificates, selectors, services
from gonghui.learning.forms import CheckInForm, CompletionForm, CompletionImportForm, CourseForm
from gonghui.learning.lists import CHECKINS, COMPLETIONS, COURSES, REPORT, report_org
from gonghui.learning.models import Completion
from gonghui.learning.policy import reading_rule
from gonghui.members.models import Person
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors
from gonghui.venues.models import Kind as VenueKind
from gonghui.venues.models import Venue

# ----- the cadres ------------------------------------------------------------------------------------------------


def _listing(request, spec, template: str, extra: dict | None = None, filters: dict | None = None, link=None):
    """A core.lists page: the table shows the list's own columns (what the export writes); ``link(row)`` the
    address the first cell opens."""
    listing = list_rows(request, spec, filters=filters)
    headings = spec.header()
    table = [(link(row) if link else "", list(zip(headings, spec.cells(row), strict=True))) for row in listing.rows]
    context = {**listing.context(), "table": table, "filter_form": spec.filter_form(request.GET), "nav": "learning",
               **(extra or {})}  # fmt: skip
    return render_list(request, template, "learning/_rows.html", context)


@login_required
def courses(request):
    access.require_cadre(request.user)
    return _listing(
        request,
        COURSES,
        "learning/courses.html",
        {"kind": "courses"},
        link=lambda c: reverse("learning:course", args=[c.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_new(request):
    """登记课程培训 at a union the user writes for."""
    access.require_cadre(request.user)
    orgs = org_selectors.writable_orgs(request.user)
    tops = [o for o in access.top_orgs(request.user) if access.can_write(request.user, o)]
    form = CourseForm(request.POST or None, orgs=orgs, initial={"org": tops[0]} if tops else None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "课程培训已登记。")
            return redirect("learning:course", course.pk)
    context = {"form": form, "title": "登记课程培训", "back": reverse("learning:courses"), "nav": "learning"}
    return render(request, "learning/form.html", context, status=400 if form.errors else 200)


@login_required
def course(request, pk: int):
    """A course: its facts and the completions of the members in the user's scope (a core.lists list)."""
    found = selectors.course_for_read(request.user, pk)
    writer = any(g.role in access.WRITE_ROLES for g in access.grants_of(request.user))
    extra = {"course": found, "kind": "completions", "can_write": writer}
    return _listing(request, COMPLETIONS, "learning/course.html", extra, filters={"course": found.pk})


def _person(user, number: str, name: str) -> Person:
    try:
        number = parse_id_number(number).number
    except ValidationError as error:
        raise field_error("id_number", error.messages[0]) from None
    person = Person.objects.in_scope(user).filter(id_number_bidx=id_number_index(number)).first()
    if person is None:
        raise field_error("id_number", "在您管理的工会中没有这位会员。")
    if person.name != "".join(name.split()):
        raise field_error("name", "姓名与身份证号码对应的会员不一致。")
    return person


@login_required
@require_http_methods(["GET", "POST"])
def completion_new(request, pk: int):
    """登记结业: a member found by the full ID number among the members of the user's scope."""
    found = selectors.course_for_read(request.user, pk)
    form = CompletionForm(request.POST or None, initial={"completed_on": min(timezone.localdate(), found.ends_on)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = _person(request.user, data["id_number"], data["name"])
            services.completion_record(actor=request.user, course=found, person=person,
                                       completed_on=data["completed_on"], score=data["score"],
                                       credits=data["credits"])  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已登记{person.name[:1]}*的结业记录。")
            return redirect("learning:course", found.pk)
    context = {"form": form, "title": f"登记结业：{found.title}", "back": reverse("learning:course", args=[found.pk]),
               "nav": "learning"}  # fmt: skip
    return render(request, "learning/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def completion_import(request, pk: int):
    """导入结业记录 (core.sheet_import): 预检, 导入 all rows or none, 下载错误文件."""
    found = selectors.course_for_read(request.user, pk)
    form = CompletionImportForm(request.POST or None, request.FILES or None)
    check, listed = None, []
    if request.method == "POST" and form.is_valid():
        upload, mode = form.cleaned_data["file"], form.cleaned_data["mode"]
        try:
            spec = services.completion_sheet(request.user, found)
            outcome = sheet_import.run(
                mode,
                upload,
                spec,
                error_file="结业记录导入错误.xlsx",
                commit=lambda: services.completions_import(actor=request.user, course=found, upload=upload),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if outcome.count is not None:
                messages.success(request, f"已导入 {outcome.count} 条结业记录。")
                return redirect("learning:course", found.pk)
            if outcome.download is not None:
                return outcome.download
            if outcome.note:
                form.add_error(None, outcome.note)
            check, listed = outcome.check, outcome.check.listed_errors()
    context = {"form": form, "course": found, "check": check, "errors": listed, "header": services.IMPORT_HEADER,
               "nav": "learning"}  # fmt: skip
    return render(request, "learning/import.html", context, status=400 if form.errors else 200)


@login_required
def import_template(request):
    """结业记录导入模板: the header and an example row."""
    access.require_cadre(request.user)
    rows = [
        ["张三", "（填写 18 位身份证号码）", "2026-06-30", "92", ""],
        ["李四", "（填写 18 位身份证号码）", "2026年6月30日", "", "2"],
    ]
    return sheet_import.xlsx_response("结业记录导入模板.xlsx", "结业记录", services.IMPORT_HEADER, rows)


@login_required
def checkins(request):
    access.require_cadre(request.user)
    return _listing(request, CHECKINS, "learning/checkins.html", {"kind": "checkins"})


@login_required
def report(request):
    """学习情况: a union's subtree by child union, this year or another (a core.lists list, exportable)."""
    access.require_cadre(request.user)
    filters = REPORT.clean_filters(request.GET)
    org = report_org(request.user, filters)
    year = filters.get("year") or timezone.localdate().year
    at_top = org is None or any(top.pk == org.pk for top in access.top_orgs(request.user))
    return _listing(
        request,
        REPORT,
        "learning/report.html",
        {"kind": "report", "org": org, "year": year, "at_top": at_top},
        link=lambda o: f"{reverse('learning:report')}?org={o.pk}&year={year}" if o.total_row else "",
    )


# ----- the worker ------------------------------------------------------------------------------------------------


@login_required
def me(request):
    """学习积分 (phone first): this year's credits, open courses, completions with their certificates, the
    check-ins, and the check-in form."""
    membership = selectors.membership_of(request.user)
    context = {"membership": membership, "nav": "me"}
    if membership is not None:
        person = membership.person_id
        year = timezone.localdate().year
        libraries = selectors.libraries_for(membership)
        context |= {
            "credits": selectors.credits_of(person, year), "years": selectors.credits_by_year(person),
            "today": selectors.today_credits(person), "open_courses": selectors.open_courses(membership)[:10],
            "completions": selectors.my_completions(person), "checkins": selectors.my_checkins(person),
            "form": CheckInForm(libraries=libraries), "rule": reading_rule(membership.org.region_id[:2]),
        }  # fmt: skip
    return render(request, "learning/me.html", context)


@login_required
@require_POST
def checkin(request):
    """读书打卡 (POST): the credits by the province's rule; the form again with its errors in Chinese."""
    membership = selectors.membership_of(request.user)
    libraries = selectors.libraries_for(membership) if membership else []
    form = CheckInForm(request.POST, libraries=libraries)
    if form.is_valid():
        data = form.cleaned_data
        venue = None
        if data["venue"]:
            venue = Venue.objects.filter(pk=data["venue"], kind=VenueKind.LIBRARY).first()
        try:
            done = services.checkin_create(actor=request.user, title=data["title"], minutes=data["minutes"],
                                           note=data["note"], venue=venue)  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"打卡成功，获得 {done.credits} 学分。")
            return redirect("learning:me")
    rule = reading_rule(membership.org.region_id[:2] if membership else "")
    return render(request, "learning/checkin.html", {"form": form, "rule": rule, "nav": "me"}, status=400)


# ----- certificates ----------------------------------------------------------------------------------------------


def verify_url(request, completion: Completion) -> str:
    return request.build_absolute_uri(reverse("learning:verify", args=[certificates.certificate_code(completion)]))


@login_required
def certificate_pdf(request, pk: int):
    """结业证书 as a PDF: for its holder, or a cadre whose scope holds the member's union (audited)."""
    completion = Completion.objects.select_related("person", "course__org", "org").filter(pk=pk).first()
    if completion is None:
        raise Http404("结业记录不存在")
    own = request.user.person_id is not None and request.user.person_id == completion.person_id
    if not own:
        Completion.objects.get_for_read(request.user, pk)
    body = certificates.pdf(completion, verify_url(request, completion))
    audit_record(actor=request.user, action="learning.certificate_download", obj=completion, org=completion.org)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="learning-certificate-{completion.pk}.pdf"'
    return response


@rate_limit(scope="certificate_verify", limit=certificates.VERIFY_LIMIT, window_seconds=60, methods=("GET",))
def verify(request, code: str):
    """The public page a certificate's QR code opens: real or not, and what it certifies (holder masked)."""
    return render(request, "learning/verify.html", {"result": certificates.verify(code)})
