"""Member pages: the searchable list, a member's page, registration and correction."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gonghui.core import masking
from gonghui.core.errors import ConflictError
from gonghui.core.lists import SEARCH_PARAM, list_rows, render_list, saved_search, search_redirect
from gonghui.core.web import flashed, int_param
from gonghui.members import selectors, services
from gonghui.members.forms import (
    LapseCounselForm,
    MemberCreateForm,
    MemberEditForm,
    MemberSearchForm,
    TransferRejectForm,
    TransferStartForm,
)
from gonghui.members.lists import LAPSE_WARNINGS, MEMBERS, TRANSFERS, org_filter
from gonghui.members.models import LapseWarning, Membership, Person, TransferRequest
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org


def _search_org(user, org_id):
    return Org.objects.get_for_read(user, org_id) if org_id else None


def _org_options(orgs, selected) -> list:
    options = list(orgs)
    if selected is not None and selected.pk not in {o.pk for o in options}:
        options.insert(0, selected)
    return options


@login_required
@require_http_methods(["GET", "POST"])
def member_list(request):
    """The search is POSTed once and redirected to a page carrying only a saved search's token (core.lists:
    Post/Redirect/Get), so that nothing personal reaches a URL and Back, refresh and paging are plain GETs.
    A GET without a token shows the first page (optionally of one org's subtree)."""
    user = request.user
    access.require_cadre(user)
    status, searched_for = 200, ""
    if request.method == "POST":
        form = MemberSearchForm(request.POST)
        if form.is_valid():
            org_filter(user, form.cleaned_data)  # 404 outside the user's scope, before anything is saved
            return search_redirect(request, MEMBERS, request.POST)
        filters, data, status = {}, request.POST, 400
    elif (data := saved_search(request, MEMBERS)) is not None:
        checked = MemberSearchForm(data)
        filters = checked.cleaned_data if checked.is_valid() else {}
        # An ID or phone number searched for is not written back into the page (it stays in the history).
        searched_for = masking.mask_text(data.get("q", ""))
        if searched_for != data.get("q", ""):
            data = data.copy()
            data["q"] = ""
        form = MemberSearchForm(data)
    else:
        if request.GET.get(SEARCH_PARAM):
            messages.info(request, "查找条件已过期，请重新查找。")
        form = MemberSearchForm(initial={"org": request.GET.get("org")})
        filters = {"org": int_param(request.GET["org"])} if request.GET.get("org") else {}
        data = request.GET
    org = org_filter(user, filters)
    listing = list_rows(request, MEMBERS, data, filters={**filters, "org": org})
    context = {
        **listing.context(), "form": form, "selected_org": org, "nav": "members",
        "org_options": _org_options(org_selectors.org_search(user, limit=30), org),
        "can_unmask": org is not None and access.can_export_unmasked(user, org), "searched_for": searched_for,
    }  # fmt: skip
    return render_list(request, "members/list.html", "members/_list_rows.html", context, status=status)


@login_required
@require_GET
def org_options(request):
    """<option>s for an org chooser: ``purpose=write`` lists unions where members can be registered."""
    access.require_cadre(request.user)
    q = request.GET.get("org_q", "")
    if request.GET.get("purpose") == "write":
        orgs, blank = org_selectors.member_org_choices(request.user, q=q), False
    else:
        orgs, blank = org_selectors.org_search(request.user, q=q, limit=30), True
    return render(request, "orgs/_picker_options.html", {"orgs": orgs, "blank": blank})


def _history(user, person) -> tuple[list[Membership], Membership | None]:
    history = selectors.memberships_of(person)
    for membership in history:
        membership.visible = access.grant_covering(user, membership.org) is not None
    current = next((m for m in history if m.status == Membership.Status.ACTIVE), None)
    return history, current


@login_required
@require_GET
def detail(request, pk: int):
    return _detail_page(request, pk)


def _detail_page(request, pk: int, kwargs_form=None, status=200):
    user = request.user
    person = Person.objects.get_for_read(user, pk)
    history, current = _history(user, person)
    home = current.org if current else history[0].org
    can_edit = access.can_write(user, home)
    transfers = list(selectors.transfers_of(user, person))
    open_transfer = next((t for t in transfers if t.is_open), None)
    context = {
        "person": person, "history": history, "current": current, "nav": "members",
        "can_unmask": access.can_unmask(user, home), "can_edit": can_edit, "transfers": transfers,
        "can_transfer": can_edit and current is not None and open_transfer is None,
        "can_retire": can_edit and current is not None and not current.is_retired,
        "can_revoke_card": can_edit and current is not None and bool(current.card_key),
        "transfer_form": kwargs_form or TransferStartForm(),
    }  # fmt: skip
    return render(request, "members/detail.html", context, status=status)


@login_required
@require_POST
def unmask(request, pk: int):
    """查看完整信息: the service checks the permission and writes the audit event either way."""
    person = Person.objects.get_for_read(request.user, pk)
    values = services.member_unmask(actor=request.user, person=person)
    return render(request, "members/_unmasked.html", {"person": person, "values": values})


def _employer_from(form):
    data = form.cleaned_data
    return services.EmployerNamed(name=data["employer_name"], uscc=data["employer_uscc"])


def _create_page(request, form, selected, status=200):
    choices = org_selectors.member_org_choices(request.user)
    context = {"form": form, "org_options": _org_options(choices, selected), "nav": "members"}
    return render(request, "members/create.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    user = request.user
    access.require_cadre(user)
    if not Org.objects.writable_by(user).exists():
        raise access.deny(user, "您的角色没有登记会员的权限。")
    preset = request.GET.get("org")
    selected = Org.objects.get_for_write(user, int_param(preset)) if preset else None
    form = MemberCreateForm(request.POST or None, initial={"org": selected.pk if selected else None})
    if not form.is_bound:
        return _create_page(request, form, selected)
    if not form.is_valid():
        return _create_page(request, form, selected, status=400)
    org = Org.objects.get_for_write(user, form.cleaned_data["org"])
    data = form.cleaned_data
    try:
        membership = services.member_create(
            actor=user, org=org, id_number=data["id_number"], phone=data["phone"],
            joined_on=data["joined_on"], card_number=data["card_number"],
            **form.person_fields(_employer_from(form)),
        )  # fmt: skip
    except ValidationError as error:
        form.add_service_error(error)
        return _create_page(request, form, org, status=400)
    messages.success(request, f"已为{membership.person.name}登记入会，会员证号 {membership.card_number}。")
    return redirect("members:detail", pk=membership.person_id)


def _edit_page(request, person, form, status=200):
    return render(request, "members/edit.html", {"person": person, "form": form, "nav": "members"}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    user = request.user
    person = Person.objects.get_for_write(user, pk)
    form = MemberEditForm(request.POST or None, initial=MemberEditForm.initial_for(person), person=person)
    if not form.is_bound:
        return _edit_page(request, person, form)
    if not form.is_valid():
        return _edit_page(request, person, form, status=400)
    data = form.cleaned_data
    try:
        services.member_update(
            actor=user, person=person, version=data["version"], id_number=data["id_number"] or None,
            phone=data["phone"] or None, **form.person_fields(_employer_from(form)),
        )  # fmt: skip
    except ConflictError as error:
        form.add_error(None, error.message)
        return _edit_page(request, Person.objects.get_for_read(user, pk), form, status=409)
    except ValidationError as error:
        form.add_service_error(error)
        return _edit_page(request, Person.objects.get_for_read(user, pk), form, status=400)
    messages.success(request, "已保存。")
    return redirect("members:detail", pk=person.pk)


# ----- 会员关系接转 and retirement ---------------------------------------------------------------------------------


def _current_membership(person) -> Membership:
    current = selectors.current_membership(person)
    if current is None:
        raise Http404("没有有效会籍")
    return current


@login_required
@require_POST
def transfer_start(request, pk: int):
    """发起转会 from the member's page; the receiving union may lie outside the user's scope."""
    user = request.user
    person = Person.objects.get_for_write(user, pk)
    membership = _current_membership(person)
    form = TransferStartForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, pk, form, status=400)
    to_org = org_selectors.transfer_target(form.cleaned_data["to_org"])
    if to_org is None:
        form.add_error("to_org", "请选择正常状态、可接收会员的工会。")
        return _detail_page(request, pk, form, status=400)
    try:
        services.transfer_start(actor=user, membership=membership, to_org=to_org, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        form.add_error(None, "；".join(error.messages))
        return _detail_page(request, pk, form, status=400)
    messages.success(request, f"已发起转会，转入“{to_org.name}”，等待转出工会办理。")
    return redirect("members:detail", pk=pk)


@login_required
@require_POST
def retire(request, pk: int):
    user = request.user
    person = Person.objects.get_for_write(user, pk)
    with flashed(request, "已登记为退休会员，会籍保留。"):
        services.membership_retire(actor=user, membership=_current_membership(person))
    return redirect("members:detail", pk=pk)


@login_required
@require_GET
def transfer_targets(request):
    """<option>s of unions a member can transfer to: name and type only (cadres, and members choosing
    their own new union)."""
    if request.user.person_id is None:
        access.require_cadre(request.user)
    orgs = selectors.transfer_target_choices(request.GET.get("to_org_q", ""))
    return render(request, "orgs/_picker_options.html", {"orgs": orgs, "empty_label": "输入名称或拼音后选择转入工会"})


def _transfer_rows(user, rows: list[TransferRequest]) -> list[TransferRequest]:
    for t in rows:
        t.can_release = t.status == "requested" and access.can_write(user, t.from_org)
        t.can_accept = t.status == "released" and access.can_write(user, t.to_org)
        t.can_reject = t.can_release or t.can_accept
        t.can_cancel = t.is_open and access.can_write(user, t.from_org)
        t.outgoing = access.grant_covering(user, t.from_org) is not None
        holder = t.to_org if t.status == "accepted" else t.from_org  # the receiving union sees the member only now
        t.person_visible = access.grant_covering(user, holder) is not None
    return rows


@login_required
@require_GET
def transfer_list(request):
    """转入和转出: the transfers the user's scope sends or receives, with the steps the user may take."""
    access.require_cadre(request.user)
    listing = list_rows(request, TRANSFERS)
    _transfer_rows(request.user, listing.rows)
    context = {**listing.context(), "nav": "members", "reject_form": TransferRejectForm()}
    return render_list(request, "members/transfers.html", "members/_transfer_rows.html", context)


@login_required
@require_POST
def transfer_act(request, pk: int, action: str):
    user = request.user
    transfer = TransferRequest.objects.get_for_read(user, pk)
    with flashed(request) as outcome:
        if action == "release":
            services.transfer_release(actor=user, transfer=transfer)
        elif action == "accept":
            services.transfer_accept(actor=user, transfer=transfer)
        elif action == "reject":
            services.transfer_reject(actor=user, transfer=transfer, reason=request.POST.get("reason", ""))
        else:
            services.transfer_cancel(actor=user, transfer=transfer, reason=request.POST.get("reason", ""))
    if outcome.done:
        done = {"release": "已转出", "accept": "已接收", "reject": "已拒绝", "cancel": "已撤回"}[action]
        messages.success(request, f"{transfer.membership.person.name}的转会{done}。")
    return redirect("members:transfers")


@login_required
@require_POST
def card_revoke(request, pk: int):
    """作废电子会员证 for a member of the user's union (e.g. the member lost their phone)."""
    user = request.user
    person = Person.objects.get_for_write(user, pk)
    with flashed(request, "电子会员证已作废，此前的二维码不再通过核验；会员重新打开即得到新的二维码。"):
        services.ecard_revoke(actor=user, membership=_current_membership(person), reason=request.POST.get("reason", ""))
    return redirect("members:detail", pk=pk)


# ----- 会籍预警 ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def lapse_list(request):
    """会籍预警: members six months without dues or activity, with the counselling step before lapse."""
    user = request.user
    access.require_cadre(user)
    listing = list_rows(request, LAPSE_WARNINGS)
    for w in listing.rows:
        w.can_act = access.can_write(user, w.org)
    context = {**listing.context(), "nav": "members", "today": timezone.localdate()}
    return render_list(request, "members/lapse.html", "members/_lapse_rows.html", context)


@login_required
@require_POST
def lapse_act(request, pk: int, action: str):
    user = request.user
    warning = LapseWarning.objects.get_for_read(user, pk)
    with flashed(request) as outcome:
        if action == "counsel":
            form = LapseCounselForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            services.lapse_counsel(actor=user, warning=warning, **form.cleaned_data)
        else:
            services.membership_lapse(actor=user, warning=warning)
    if outcome.done:
        name = warning.membership.person.name
        done = {"counsel": f"已记录与{name}的谈话情况。", "lapse": f"{name}的会籍已终止（视为自动退会）。"}[action]
        messages.success(request, done)
    return redirect("members:lapse")
