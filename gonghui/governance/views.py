"""一屏总览 pages: the overview of the user's node and of any node in their scope (drill-down by clicking a
child), the targets set at a node and their split among its children. Views validate and call services or
selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from gonghui.core.errors import ConflictError
from gonghui.governance import selectors, services
from gonghui.governance.forms import RiskWeightsForm, TargetForm, TargetSplitForm
from gonghui.orgs import access


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
    data = selectors.overview(user, org)
    key = request.GET.get("f", "members")
    chosen = next((f for f in data.figures if f.key == key), data.figures[0])
    for child in data.children:
        child.chosen = child.values.get(chosen.key, 0)
    risks = [row for row in selectors.children_risk(data.children) if row[1].score > 0]
    context = {
        "data": data, "org": org, "chosen": chosen, "nav": "governance", "chart": _chart_data(data, chosen),
        "can_set_targets": access.can_manage(user, org), "risks": risks,
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
    from gonghui.governance.risk import PER_MEMBERS, SIGNALS

    access.require_cadre(request.user)
    weights = selectors.risk_weights()
    signals = [(key, label, "千名会员" if PER_MEMBERS[key] == 1000 else "名会员（元）", weights[key])
               for key, (label, _) in SIGNALS.items()]  # fmt: skip
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
