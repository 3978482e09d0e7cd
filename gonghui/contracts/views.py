"""集体合同 pages: the cadres' list with export, a new contract or renewal, a contract's page with its dates and
the form of its next step, the signed text, and the coverage of a subtree. Views validate and call services or
selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gonghui.contracts import selectors, services, terms
from gonghui.contracts.forms import AdoptForm, ContractForm, EndForm, FileForm, ObjectionForm, SignForm, TextForm
from gonghui.contracts.lists import CONTRACTS
from gonghui.contracts.models import Contract, Status
from gonghui.core import files
from gonghui.core.audit import audit_record
from gonghui.core.lists import list_rows, render_list
from gonghui.core.web import flashed, int_param
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org

# The form of the step each status waits for: (form, service, its name on the page, the message when done).
STEPS = {
    "adopt": (AdoptForm, services.contract_adopt, "职代会审议", "已记录职工代表大会审议通过。"),
    "sign": (SignForm, services.contract_sign, "签订", "已记录签订，请在报送截止日前报送劳动保障行政部门审查。"),
    "file": (FileForm, services.contract_file, "报送审查", "已记录报送审查。"),
    "objection": (ObjectionForm, services.contract_objection, "登记审查意见", "已登记审查意见，合同退回协商起草。"),
    "end": (EndForm, services.contract_end, "终止合同", "合同已终止。"),
}
NEXT = {
    Status.DRAFTED: ["adopt"],
    Status.ADOPTED: ["sign"],
    Status.SIGNED: ["file"],
    Status.FILED: ["objection"],
    Status.EFFECTIVE: ["end"],
    Status.LAPSED: ["end"],
}


@login_required
def contract_list(request):
    access.require_cadre(request.user)
    listing = list_rows(request, CONTRACTS)
    context = {**listing.context(), "filter_form": CONTRACTS.filter_form(request.GET), "nav": "contracts"}
    return render_list(request, "contracts/list.html", "contracts/_rows.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contract_new(request):
    """登记集体合同; ``?renews=<id>`` starts the renewal of a contract in effect or lapsed, its fields copied."""
    access.require_cadre(request.user)
    renews = None
    if "renews" in request.GET:
        renews = selectors.contract_for_read(request.user, int_param(request.GET["renews"]))
    initial = {}
    if renews is not None:
        initial = {
            f: getattr(renews, f)
            for f in (
                "level",
                "kind",
                "title",
                "union_party",
                "union_rep",
                "employer_party",
                "employer_rep",
                "employers_covered",
                "workers_covered",
                "term_years",
            )
        }
        initial["org"] = renews.org_id
    form = ContractForm(request.POST or None, orgs=org_selectors.writable_orgs(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(actor=request.user, renews=renews, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "合同已登记，下一步：提交职工代表大会审议。")
            return redirect("contracts:detail", pk=contract.pk)
    return render(
        request,
        "contracts/new.html",
        {"form": form, "renews": renews, "nav": "contracts"},
        status=400 if form.errors else 200,
    )


def _timeline(c: Contract) -> list[tuple[str, object, str]]:
    """The contract's dates as the page lists them: (label, date, note)."""
    today = timezone.localdate()
    rows = [("职代会审议通过", c.adopted_on, ""), ("签订", c.signed_on, "")]
    if c.filing_due:
        late = c.filed_on is None and c.filing_due < today or c.filed_on and c.filed_on > c.filing_due
        rows.append(("报送截止", c.filing_due, "逾期" if late else f"签订后 {terms.FILING_DAYS} 日内"))
    rows += [
        ("报送审查", c.filed_on, c.filed_with),
        ("审查异议期至", c.objection_until, f"{terms.OBJECTION_DAYS} 日内无异议即生效"),
        ("生效", c.effective_on, ""),
        ("续订提醒起", c.renewal_from, f"期满前 {terms.RENEWAL_MONTHS} 个月"),
        ("期满", c.expires_on, f"{c.term_years} 年"),
        ("终止", c.ended_on, c.end_reason),
    ]
    return sorted((row for row in rows if row[1]), key=lambda row: row[1])  # in the order of the calendar


def _detail(request, contract: Contract, bound: tuple[str, object] | None = None, status: int = 200):
    writable = access.can_write(request.user, contract.org)
    steps = []
    if writable:
        for key in NEXT.get(contract.status, []):
            form_class, _, label, _ = STEPS[key]
            form = bound[1] if bound and bound[0] == key else form_class()
            steps.append((key, label, form))
    context = {
        "c": contract,
        "steps": steps,
        "history": selectors.steps_of(contract),
        "timeline": _timeline(contract),
        "writable": writable,
        "text_form": TextForm() if writable else None,
        "nav": "contracts",
        "renewable": writable
        and contract.status in {Status.EFFECTIVE, Status.LAPSED}
        and not contract.renewals.filter(status__in=services.LIVE).exists(),
        "renewals": contract.renewals.order_by("pk"),
        "renewal_window": selectors.renewal_window(contract),
    }
    return render(request, "contracts/detail.html", context, status=status)


@login_required
@require_GET
def contract_detail(request, pk: int):
    return _detail(request, selectors.contract_for_read(request.user, pk))


@login_required
@require_POST
def contract_step(request, pk: int, step: str):
    if step not in STEPS:
        raise Http404("没有这个办理步骤")
    contract = selectors.contract_for_read(request.user, pk)
    form_class, service, _, done = STEPS[step]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, contract=contract, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, done)
            return redirect("contracts:detail", pk=pk)
    contract.refresh_from_db()
    return _detail(request, contract, (step, form), status=400)


@login_required
@require_POST
def text_upload(request, pk: int):
    contract = selectors.contract_for_read(request.user, pk)
    form = TextForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择合同文本文件。")
        return redirect("contracts:detail", pk=pk)
    upload = form.cleaned_data["file"]
    with flashed(request, "合同文本已上传。"):
        services.text_attach(actor=request.user, contract=contract, file=upload, file_name=upload.name)
    return redirect("contracts:detail", pk=pk)


@login_required
@require_GET
def text_download(request, pk: int):
    contract = selectors.contract_for_read(request.user, pk)
    if not files.exists(contract.text_file):
        raise Http404("合同文本尚未上传")
    audit_record(actor=request.user, action="contracts.text_download", obj=contract, org=contract.org)
    return FileResponse(files.open_private(contract.text_file), as_attachment=True, filename=contract.text_name)


@login_required
@require_GET
def coverage(request):
    """集体合同覆盖: the figures of a subtree (``?org=``, default the user's first granted union) by kind, and of
    each union directly under it."""
    access.require_cadre(request.user)
    tops = access.top_orgs(request.user)
    org = Org.objects.get_for_read(request.user, int_param(request.GET["org"])) if "org" in request.GET else tops[0]
    context = {
        "org": org,
        "cov": selectors.coverage_for(request.user, org),
        "tops": tops,
        "children": selectors.children_coverage(request.user, org),
        "nav": "contracts",
        "parent": org.parent if org.parent and access.grant_covering(request.user, org.parent) else None,
    }
    return render(request, "contracts/coverage.html", context)
