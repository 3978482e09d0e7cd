"""The worker's own pages, phone first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gonghui.accounts import audiences
from gonghui.cases import selectors as case_selectors
from gonghui.core import registry
from gonghui.core.qr import qr_svg
from gonghui.core.ratelimit import rate_limit
from gonghui.core.web import flashed
from gonghui.members import ecard, services
from gonghui.members.ecard import CARD_VERIFY_LIMIT
from gonghui.members.forms import TransferStartForm
from gonghui.members.models import Membership
from gonghui.members.selectors import current_membership, memberships_of, own_transfers
from gonghui.messages import selectors as message_selectors
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors


def _person(request):
    person = request.user.person
    if person is None:
        raise access.deny(request.user, "此页面供会员本人查看自己的信息；您的账号没有关联会员档案。")
    return person


@login_required
@require_GET
def me(request):
    """一网通办, the worker's home: the e-card one tap away, the services the apps declare for this worker,
    their open cases with status and deadline, unread messages and the 公示 addressed to them. A member
    sees their (masked) record too; an applicant not yet a member sees what they can do now."""
    user = request.user
    if not audiences.worker(user):
        raise access.deny(user, "此页面供职工本人使用；您的账号没有关联会员档案或入会申请。")
    person = user.person
    history = memberships_of(person) if person is not None else []
    context = {
        "person": person,
        "current": next((m for m in history if m.status == Membership.Status.ACTIVE), None),
        "tiles": registry.worker_tiles(user),
        "cases": case_selectors.own_open_cases(user),
        "unread": list(message_selectors.inbox(user).filter(read_at__isnull=True)[:3]),
        "unread_count": message_selectors.unread_count(user),
        "notices": list(case_selectors.notices_for_member(user)) if person is not None else [],
        "nav": "me",
    }
    return render(request, "portal/me.html", context)


def card_verify_url(request, membership: Membership) -> str:
    return request.build_absolute_uri(reverse("public:card_verify", args=[ecard.card_code(membership)]))


@login_required
def card(request):
    """电子会员证: name, card number, union and a QR code anyone can verify; the member may revoke it."""
    person = _person(request)
    membership = current_membership(person)
    if membership is None:
        raise Http404("您目前没有有效的会籍，没有电子会员证。")
    if request.method == "POST":
        with flashed(request, "原电子会员证已作废，以前的二维码不再能通过核验。这是新的会员证。"):
            services.ecard_revoke(actor=request.user, membership=membership, reason=request.POST.get("reason", ""))
        return redirect("portal:card")
    services.ecard_issue(actor=request.user, membership=membership)
    verify_url = card_verify_url(request, membership)
    context = {"person": person, "current": membership, "verify_url": verify_url, "nav": "me",
               "qr": qr_svg(verify_url, title="电子会员证核验二维码", scale=4)}  # fmt: skip
    return render(request, "portal/card.html", context)


@require_GET
@rate_limit(scope="card_verify", limit=CARD_VERIFY_LIMIT, window_seconds=60, methods=("GET",))
def card_verify_page(request, code: str):
    """The public verification page a QR code opens: the union and validity, no personal data."""
    return render(request, "portal/card_verify.html", {"result": ecard.verify(code)})


@login_required
def transfer(request):
    """我的转会: the member starts a transfer to a new union (e.g. a new job; with no union there, the
    township or sector federation where they live or work), follows it, and may withdraw it."""
    person = _person(request)
    membership = current_membership(person)
    transfers = list(own_transfers(person)[:20])
    form = TransferStartForm(request.POST or None)
    if request.method == "POST":
        try:
            if "cancel" in request.POST:
                open_transfer = next((t for t in transfers if t.is_open and str(t.pk) == request.POST["cancel"]), None)
                if open_transfer is None:
                    raise Http404("接转记录不存在")
                services.transfer_cancel(actor=request.user, transfer=open_transfer,
                                         reason=request.POST.get("reason", ""))  # fmt: skip
                messages.success(request, "转会申请已撤回，会籍不变。")
                return redirect("portal:transfer")
            if membership is None:
                raise ValidationError("您目前没有有效的会籍，不能申请转会。")
            if form.is_valid():
                to_org = org_selectors.transfer_target(form.cleaned_data["to_org"])
                if to_org is None:
                    raise ValidationError("请选择正常状态、可接收会员的工会。")
                services.transfer_start(actor=request.user, membership=membership, to_org=to_org,
                                        reason=form.cleaned_data["reason"])  # fmt: skip
                messages.success(request, f"已提交转会申请，转入“{to_org.name}”，请等待原工会办理转出。")
                return redirect("portal:transfer")
        except ValidationError as error:
            form.add_error(None, "；".join(error.messages))
    context = {"person": person, "current": membership, "transfers": transfers, "form": form, "nav": "me",
               "can_start": membership is not None and not any(t.is_open for t in transfers)}  # fmt: skip
    return render(request, "portal/transfer.html", context, status=400 if form.errors else 200)
