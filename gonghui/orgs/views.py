"""Pages of the union tree: the tree, an org's page, and the forms that create, edit and move orgs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gonghui.accounts.models import Grant
from gonghui.core import registry
from gonghui.core.errors import ConflictError
from gonghui.core.lists import list_rows, render_list
from gonghui.core.web import flashed, int_param, region_context
from gonghui.members import selectors as member_selectors
from gonghui.members.services import EmployerNamed, employer_closable, employer_close
from gonghui.orgs import access, selectors, services
from gonghui.orgs.forms import OrgCreateForm, OrgEditForm, OrgMoveForm
from gonghui.orgs.lists import ORG_SEARCH, OrgSearchForm
from gonghui.orgs.models import ALLOWED_CHILDREN, MEMBER_HOLDING_TYPES, Org, Region

DIRECT_MEMBERS_SHOWN = 10


@login_required
@require_GET
def tree(request):
    """组织架构: the tree from the top of the user's scope; with ``q``, the unions found by name or pinyin, each with
    its breadcrumb (org names are public: the search may sit in the URL)."""
    user = request.user
    access.require_cadre(user)
    form = OrgSearchForm(request.GET or None)
    context = {"form": form, "nav": "orgs"}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        listing = list_rows(request, ORG_SEARCH)
        crumbs = selectors.ancestors_of_many(user, listing.rows)
        for org in listing.rows:
            org.crumbs = crumbs[org.pk]
        return render_list(request, "orgs/tree.html", "orgs/_search_rows.html", {**context, **listing.context()})
    context["roots"] = selectors.tree_roots(user)
    context["figures"] = [(figure, figure.value(user)) for figure in registry.overview_figures()]
    return render(request, "orgs/tree.html", context)


@login_required
@require_GET
def children(request, pk: int):
    org = Org.objects.get_for_read(request.user, pk)
    nodes = selectors.tree_children(request.user, org)
    return render(request, "orgs/_nodes.html", {"nodes": nodes, "parent": org})


def _permissions(user, org: Org) -> dict:
    role = access.grant_covering(user, org).role
    return {
        "can_close_employer": (
            employer_closable(org) and org.status != Org.Status.REVOKED and access.can_manage(user, org.parent)
        ),
        "can_manage": role == Grant.Role.ADMIN,
        "can_have_children": role == Grant.Role.ADMIN and bool(ALLOWED_CHILDREN[org.org_type]),
        "can_add_members": access.can_write(user, org) and org.org_type in MEMBER_HOLDING_TYPES,
    }


@login_required
@require_GET
def detail(request, pk: int):
    user = request.user
    org = Org.objects.get_for_read(user, pk)
    children, total = selectors.children_and_total(user, org)
    direct = member_selectors.members_visible_to(user).filter(org=org)[:DIRECT_MEMBERS_SHOWN]
    context = {
        "org": org,
        "nav": "orgs",
        "region_name": org.region.full_name(),
        "breadcrumb": selectors.ancestors_visible(user, org),
        "children": children,
        "subtree_members": total,
        "rule": selectors.committee_rule(org, total),
        "direct_members": direct,
        **_permissions(user, org),
    }
    return render(request, "orgs/detail.html", context)


def _employer_from(form):
    data = form.cleaned_data
    return EmployerNamed(name=data["employer_name"], uscc=data["employer_uscc"], region=data["region"])


def _form_region(form, fallback: Region | None) -> Region | None:
    code = form["region"].value() if form.is_bound else None
    return selectors.region_by_code(code) if code else fallback


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    parent = Org.objects.get_for_write(request.user, int_param(request.GET.get("parent")), manage=True)
    form = OrgCreateForm(request.POST or None, parent=parent, initial={"region": parent.region_id})
    if request.method == "POST" and form.is_valid():
        try:
            fields = form.service_fields(_employer_from(form))
            org_type = form.cleaned_data["org_type"]
            org = services.org_create(actor=request.user, parent=parent, org_type=org_type, **fields)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已成立“{org.name}”。")
            return redirect("orgs:detail", pk=org.pk)
    context = {"form": form, "parent": parent, "nav": "orgs", **region_context(_form_region(form, parent.region))}
    return render(request, "orgs/create.html", context, status=400 if form.errors else 200)


def _edit_page(request, org: Org, form, move_form, status: int = 200):
    context = {
        "org": org, "form": form, "move_form": move_form, "nav": "orgs",
        **region_context(_form_region(form, org.region)),
    }  # fmt: skip
    return render(request, "orgs/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    org = Org.objects.get_for_write(request.user, pk, manage=True)
    form = OrgEditForm(request.POST or None, initial=OrgEditForm.initial_for(org), org=org)
    if request.method != "POST":
        return _edit_page(request, org, form, OrgMoveForm())
    if not form.is_valid():
        return _edit_page(request, org, form, OrgMoveForm(), status=400)
    try:
        fields = form.service_fields(_employer_from(form))
        services.org_update(actor=request.user, org=org, version=form.cleaned_data["version"], **fields)
    except ConflictError as error:
        form.add_error(None, error.message)
        return _edit_page(request, Org.objects.get_for_read(request.user, pk), form, OrgMoveForm(), status=409)
    except ValidationError as error:
        form.add_service_error(error)
        return _edit_page(request, org, form, OrgMoveForm(), status=400)
    messages.success(request, "已保存。")
    return redirect("orgs:detail", pk=org.pk)


@login_required
@require_POST
def move(request, pk: int):
    org = Org.objects.get_for_write(request.user, pk, manage=True)
    move_form = OrgMoveForm(request.POST)
    if move_form.is_valid():
        new_parent = Org.objects.get_for_write(request.user, move_form.cleaned_data["new_parent"], manage=True)
        try:
            services.org_move(actor=request.user, org=org, new_parent=new_parent)
        except ValidationError as error:
            move_form.add_service_error(error)
        else:
            messages.success(request, f"已将“{org.name}”移至“{new_parent.name}”之下。")
            return redirect("orgs:detail", pk=org.pk)
    form = OrgEditForm(initial=OrgEditForm.initial_for(org), org=org)
    return _edit_page(request, org, form, move_form, status=400)


@login_required
@require_GET
def move_candidates(request, pk: int):
    org = Org.objects.get_for_write(request.user, pk, manage=True)
    candidates = selectors.parent_candidates(request.user, org, q=request.GET.get("q", ""))
    return render(request, "orgs/_move_candidates.html", {"candidates": candidates})


@login_required
@require_GET
def region_picker(request):
    access.require_cadre(request.user)
    region = selectors.region_by_code(request.GET.get("code", ""))
    return render(request, "orgs/_region_picker.html", region_context(region))


@login_required
@require_POST
def close_employer(request, pk: int):
    """单位关闭: the upper-level union revokes a grassroots union and takes its members in one step."""
    org = Org.objects.get_for_read(request.user, pk)
    if request.POST.get("confirm_name", "").strip() != org.name:
        messages.error(request, "请输入工会的完整名称以确认撤销。")
        return redirect("orgs:detail", pk=pk)
    with flashed(request) as outcome:
        moved = employer_close(actor=request.user, org=org)
        outcome.success = f"“{org.name}”已撤销，{moved} 名会员的会籍已转至“{org.parent.name}”。"
    return redirect("orgs:detail", pk=pk)
