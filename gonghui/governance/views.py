"""一屏总览 pages: the overview of the user's node and of any node in their scope (drill-down by clicking a
child), the targets set at a node and their split among its children. Views validate and call services or
selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from gonghui.core import replica, sheet_import
from gonghui.core.errors import ConflictError
from gonghui.governance import selectors, services
from gonghui.governance.forms import RiskWeightsForm, TargetForm, TargetSplitForm
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors


def _chart_data(data, chosen) -> dict:
    """What static/governance/overview.js draws (passed through json_script: no inline script)."""
    return {
        "figure": {"label": chosen.label, "unit": chosen.unit},
        "trend": [[m, float(v)] for m, v in chosen.trend],
        "children": [{"name": c.org.name, "id": c.org.pk, "value": float(c.values.get(chosen.key, 0))}
                     for c in data.children],
        "rings": data.rings,
    }  # fmt: skip


def _render(request, org):
    user = request.user
    with replica.reading():  # the rollups, from the standby when there is one
        data = selectors.overview(user, org)
    key = request.GET.get("f", "members")
    chosen = next((f for f in data.figures if f.key == key), data.figures[0])
    for child in data.children:
        child.chosen = child.values.get(chosen.key, 0)
    risks = [row for row in selectors.children_risk(data.children) if row[1].score > 0]
    employers = list(selectors.employer_scores_under(user, org)[:6])
    context = {
        "data": data, "org": org, "chosen": chosen, "nav": "governance", "chart": _chart_data(data, chosen),
        "can_set_targets": access.can_manage(user, org), "risks": risks, "employers": employers,
    }  # fmt: skip
    return render(request, "governance/overview.html", context)


@login_required
@require_GET
def home(request):
    """一屏总览 of the top of the user's scope."""
    return _render(request, selectors.home_org(request.user))


@login_required
@require_GET
def org_overview(request, pk: int):
    """一屏总览 of a node in the user's scope (outside it: 404)."""
    return _render(request, selectors.org_for_read(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def target_new(request, pk: int):
    """设定规划目标 for a node's whole subtree."""
    org = selectors.org_for_read(request.user, pk)
    form = TargetForm(request.POST or None, figures=selectors.figures())
    if request.method == "POST" and form.is_valid():
        try:
            services.target_create(actor=request.user, org=org, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "目标已设定。")
            return redirect("governance:org", pk=org.pk)
    status = 400 if form.errors else 200
    return render(request, "governance/target_form.html", {"form": form, "org": org, "nav": "governance"},
                  status=status)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def target_split(request, pk: int):
    """分解目标 among the node's direct children."""
    target = selectors.target_for_read(request.user, pk)
    children = selectors.split_children(request.user, target)
    initial = {"version": target.version}
    form = TargetSplitForm(request.POST or None, children=children, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_split(actor=request.user, target=target, shares=form.shares(),
                                  version=form.cleaned_data["version"])  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        except ConflictError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "目标已分解到下级工会。")
            return redirect("governance:org", pk=target.org_id)
    figure = selectors.figure_by_key(target.key)
    context = {"form": form, "target": target, "figure": figure, "nav": "governance"}
    return render(request, "governance/target_split.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def risk_weights(request):
    """风险权重: every cadre sees the weights behind the scores; an admin of the top union changes them."""
    from gonghui.governance.risk import weight_defaults

    access.require_cadre(request.user)
    weights = selectors.risk_weights()
    signals = [(key, label, weights[key]) for key, (label, _) in weight_defaults().items()]
    form = RiskWeightsForm(request.POST or None, signals=signals)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_weights_set(actor=request.user, weights=form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "风险权重已保存。")
            return redirect("governance:risk_weights")
    context = {"form": form, "nav": "governance"}
    return render(request, "governance/risk_weights.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def opinion(request):
    """网上舆论: keywords, the daily trend and the latest negative items (masked) of a node in the user's scope
    (the top of it by default), over 7, 30 or 90 days."""
    user = request.user
    org_pk = request.GET.get("org", "")
    org = selectors.org_for_read(user, int(org_pk)) if org_pk.isdigit() else selectors.home_org(user)
    days = int(request.GET["days"]) if request.GET.get("days", "").isdigit() else 30
    days = days if days in selectors.OPINION_PERIODS else 30
    data = selectors.opinion(user, org, days)
    peak = max([p + u + n for _, p, u, n in data.trend] + [1])
    # bar heights in 5 % steps (classes gh-h-0 … gh-h-20: the page's CSP allows no inline style)
    bars = [(day, p, u, n, *(round(v * 20 / peak) for v in (p, u, n))) for day, p, u, n in data.trend]
    context = {"data": data, "org": org, "nav": "governance", "periods": selectors.OPINION_PERIODS, "bars": bars}
    return render(request, "governance/opinion.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def opinion_words(request):
    """情感词: every cadre sees the words an admin added; an admin of the top union adds or removes them."""
    from gonghui.governance.forms import OpinionWordForm
    from gonghui.governance.models import OpinionWord

    access.require_cadre(request.user)
    form = OpinionWordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_word_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "情感词已保存。")
            return redirect("governance:opinion_words")
    context = {"form": form, "words": OpinionWord.objects.order_by("word"), "nav": "governance"}
    return render(request, "governance/opinion_words.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def year_reports(request, pk: int):
    """统计年报 of a node: the kept yearly reports, and generating one (a write role on the node)."""
    from django.utils import timezone

    from gonghui.governance.forms import YearReportForm

    org = selectors.org_for_read(request.user, pk)
    this_year = timezone.localdate().year
    form = YearReportForm(request.POST or None, initial={"year": this_year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            job = services.year_report_request(actor=request.user, org=org, year=form.cleaned_data["year"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"{job.year}年度统计年报正在后台生成，完成后在本页查看。")
            return redirect("governance:year_report_job", pk=job.pk)
    context = {"org": org, "form": form, "reports": selectors.year_reports_of(request.user, org),
               "can_generate": access.can_write(request.user, org), "this_year": this_year,
               "nav": "governance"}  # fmt: skip
    return render(request, "governance/year_reports.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def year_report(request, pk: int):
    """一份统计年报 as it was kept."""
    from django.utils import timezone

    report = selectors.year_report_for_read(request.user, pk)
    context = {"report": report, "org": report.org, "values": report.values, "nav": "governance",
               "closed": report.year < timezone.localdate().year,
               "can_generate": access.can_write(request.user, report.org)}  # fmt: skip
    return render(request, "governance/year_report.html", context)


@login_required
@require_GET
def employer_scores(request, pk: int):
    """用人单位劳动关系风险分 of a node's subtree, highest first, with the reasons (the overview's drill-down)."""
    from django.core.paginator import Paginator

    org = selectors.org_for_read(request.user, pk)
    page = Paginator(selectors.employer_scores_under(request.user, org), 50).get_page(request.GET.get("page"))
    return render(request, "governance/employer_scores.html", {"org": org, "page": page, "nav": "governance"})


@login_required
@require_GET
def year_report_job(request, pk: int):
    """生成统计年报的进度 (a long job): the sections done, then the report; the page refreshes itself meanwhile."""
    job = selectors.year_report_job_for_read(request.user, pk)
    context = {"job": job, "org": job.org, "nav": "governance", "steps": job.STEPS}
    return render(request, "governance/year_report_job.html", context)


@login_required
@require_GET
def year_report_file(request, pk: int, kind: str):
    """The kept xlsx or PDF (decrypted as it is sent; the download is audited)."""
    from django.http import FileResponse, Http404
    from django.utils.http import content_disposition_header

    from gonghui.core import files
    from gonghui.core.audit import audit_record

    report = selectors.year_report_for_read(request.user, pk)
    if kind not in ("xlsx", "pdf"):
        raise Http404("没有这种格式")
    path = report.xlsx_file if kind == "xlsx" else report.pdf_file
    if not files.exists(path):
        raise Http404("文件已不存在")
    audit_record(actor=request.user, action="governance.year_report_download", obj=report, org=report.org,
                 detail={"format": kind})  # fmt: skip
    types = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}
    response = FileResponse(files.open_private(path), content_type=types[kind])
    name = f"{report.org.name}{report.year}年度统计年报.{kind}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def risk_alerts(request):
    """风险预警: the alerts raised to the unions in the user's scope (open ones, or all), with their reasons and
    the case each is handled in."""
    show_all = request.GET.get("all") == "1"
    alerts = selectors.risk_alerts(request.user, open_only=not show_all)[:200]
    return render(request, "governance/risk_alerts.html", {"alerts": alerts, "show_all": show_all, "nav": "governance"})


@login_required
@require_http_methods(["GET", "POST"])
def opinion_import(request):
    """导入舆论条目: 预检 checks every row and imports nothing; 导入 imports all rows or none; 下载错误文件 gives
    back the wrong rows with their reasons."""
    from gonghui.governance.forms import OpinionImportForm

    user = request.user
    access.require_cadre(user)
    writable = org_selectors.writable_orgs(user)
    tops = [o for o in access.top_orgs(user) if access.can_write(user, o)]
    form = OpinionImportForm(request.POST or None, request.FILES or None, orgs=writable,
                             initial={"org": tops[0]} if tops else None)  # fmt: skip
    check = None
    if request.method == "POST" and form.is_valid():
        org, upload, mode = form.cleaned_data["org"], form.cleaned_data["file"], form.cleaned_data["mode"]
        try:
            access.require_write(user, org)
            if mode == "import":
                kept, again = services.opinion_import(actor=user, org=org, upload=upload)
                skipped = f"，{again} 条此前已导入、已跳过。" if again else "。"
                messages.success(request, f"已导入 {kept} 条{skipped}")
                return redirect(reverse("governance:opinion") + f"?org={org.pk}")
            check = services.opinion_import_check(upload)
            if mode == "errors":
                if not check.errors:
                    form.add_error(None, "没有有误的行，可以直接导入。")
                else:
                    header = [*services.OPINION_IMPORT_HEADER, sheet_import.ERROR_COLUMN]
                    return sheet_import.xlsx_response("舆论条目导入错误.xlsx", "错误", header, check.error_rows())
        except ValidationError as error:
            form.add_service_error(error)
            check = None
    context = {"form": form, "check": check, "errors": check.listed_errors() if check else [],
               "header": services.OPINION_IMPORT_HEADER, "nav": "governance"}  # fmt: skip
    return render(request, "governance/opinion_import.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def opinion_template(request):
    """舆论条目导入模板: the header and two examples."""
    access.require_cadre(request.user)
    rows = [["WX-20260501-001", "2026-05-01 09:30", "公司拖欠工资三个月了，找谁都不管，太让人失望"],
            ["WX-20260501-002", "2026-05-01", "工会帮我们讨回了加班费，非常感谢"]]  # fmt: skip
    return sheet_import.xlsx_response("舆论条目导入模板.xlsx", "舆论条目", services.OPINION_IMPORT_HEADER, rows)
