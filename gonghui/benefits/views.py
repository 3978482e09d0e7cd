"""普惠 pages: the cadres' offers (the report of a subtree), a new offer, its closing; the merchants and their
invites; the member's offers, claim and voucher (its QR code) on the phone; the merchant's till page (scan or type
a code, redeem once) and their own redemptions; the invite that sets a merchant's password. Views validate and call
services or selectors."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.benefits import codes, selectors, services
from gonghui.benefits.forms import InviteForm, MerchantForm, OfferForm, RedeemForm
from gonghui.benefits.lists import MERCHANTS, OFFERS
from gonghui.core.lists import list_rows, render_list
from gonghui.core.qr import qr_svg
from gonghui.core.ratelimit import rate_limit
from gonghui.core.web import flashed
from gonghui.members.lists import org_filter
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors
from gonghui.venues.models import Venue

# ── cadres ──────────────────────────────────────────────────────────────────────────────────────────────────


@login_required
def offer_list(request):
    """普惠券 of the user's scope, narrowed to a subtree: each offer's figures and the subtree's totals."""
    access.require_cadre(request.user)
    listing = list_rows(request, OFFERS)
    filters = OFFERS.clean_filters(request.GET)
    offers = selectors.offers_visible_to(request.user, org=org_filter(request.user, filters),
                                         status=filters.get("status", ""))  # fmt: skip
    context = {**listing.context(), "filter_form": OFFERS.filter_form(request.GET), "totals": selectors.totals(offers),
               "org_options": org_selectors.org_search(request.user, limit=30), "selected": filters.get("org"),
               "nav": "benefits"}  # fmt: skip
    return render_list(request, "benefits/list.html", "benefits/_rows.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def offer_new(request):
    access.require_cadre(request.user)
    form = OfferForm(request.POST or None, orgs=org_selectors.writable_orgs(request.user),
                     merchants=selectors.merchants_usable_by(request.user))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "普惠券已发布，会员可在手机上领取。")
            return redirect("benefits:detail", pk=offer.pk)
    return render(request, "benefits/new.html", {"form": form, "nav": "benefits"},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def offer_detail(request, pk: int):
    offer = selectors.offer_for_read(request.user, pk)
    context = {"o": offer, "merchants": offer.merchants.order_by("name"), "nav": "benefits",
               "redemptions": selectors.offer_redemptions(offer),
               "can_write": access.can_write(request.user, offer.org)}  # fmt: skip
    return render(request, "benefits/detail.html", context)


@login_required
@require_POST
def offer_close(request, pk: int):
    offer = selectors.offer_for_write(request.user, pk)
    with flashed(request, "已停止发放；已领取的券在有效期内仍可使用。"):
        services.offer_close(actor=request.user, offer=offer)
    return redirect("benefits:detail", pk=offer.pk)


@login_required
def merchant_list(request):
    access.require_cadre(request.user)
    listing = list_rows(request, MERCHANTS)
    context = {**listing.context(), "nav": "benefits"}
    return render_list(request, "benefits/merchants.html", "benefits/_merchant_rows.html", context)


def _invite_page(request, merchant, raw: str):
    url = request.build_absolute_uri(reverse("benefits:invite", args=[raw]))
    context = {"m": merchant, "invite_url": url, "qr": qr_svg(url, title="商户账号邀请二维码", scale=5),
               "nav": "benefits"}  # fmt: skip
    response = render(request, "benefits/invite_issued.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def merchant_new(request):
    access.require_cadre(request.user)
    venues = Venue.objects.in_scope(request.user).order_by("name")
    form = MerchantForm(request.POST or None, orgs=org_selectors.writable_orgs(request.user), venues=venues)
    if request.method == "POST" and form.is_valid():
        try:
            merchant, raw = services.merchant_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已签约商户“{merchant.name}”并开设商户账号。")
            return _invite_page(request, merchant, raw)
    return render(request, "benefits/merchant_new.html", {"form": form, "nav": "benefits"},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def merchant_detail(request, pk: int):
    merchant = selectors.merchant_for_read(request.user, pk)
    context = {"m": merchant, "offers": merchant.offers.select_related("org").order_by("-valid_from"),
               "count": merchant.redemptions.count(), "can_write": access.can_write(request.user, merchant.org),
               "nav": "benefits"}  # fmt: skip
    return render(request, "benefits/merchant_detail.html", context)


@login_required
@require_POST
def merchant_invite(request, pk: int):
    merchant = selectors.merchant_for_read(request.user, pk)
    raw = services.merchant_invite_renew(actor=request.user, merchant=merchant)
    messages.success(request, "已生成新的邀请链接，原链接作废。")
    return _invite_page(request, merchant, raw)


# ── the member ──────────────────────────────────────────────────────────────────────────────────────────────


@login_required
def mine(request):
    """普惠福利 (phone first): the offers of the member's unions and their own vouchers."""
    own = list(selectors.own_vouchers(request.user))
    held: dict[int, int] = {}
    for voucher in own:
        held[voucher.offer_id] = held.get(voucher.offer_id, 0) + 1
    offers = [(o, held.get(o.pk, 0)) for o in selectors.open_for(request.user)]
    return render(request, "benefits/mine.html", {"offers": offers, "own": own, "now": timezone.now(), "nav": "me"})


@login_required
@require_POST
def claim(request, pk: int):
    offer = selectors.open_for(request.user).filter(pk=pk).first()
    if offer is None:
        raise Http404("普惠券不存在或已停止发放")
    try:
        claimed = services.voucher_claim(actor=request.user, offer=offer)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("benefits:mine")
    messages.success(request, "领取成功，到店出示券码即可使用。")
    return redirect("benefits:voucher", pk=claimed.voucher.pk)


@login_required
def voucher(request, pk: int):
    """One of the member's vouchers: the code as a QR code and in groups of four, or where it was used."""
    row = selectors.own_voucher(request.user, pk)
    if row is None:
        raise Http404("普惠券不存在")
    code = services.code_of(row)
    scan_url = request.build_absolute_uri(reverse("benefits:scan") + "?" + urlencode({"c": code}))
    context = {"v": row, "code": codes.grouped(code), "merchants": row.offer.merchants.order_by("name"), "nav": "me",
               "now": timezone.now(),
               "qr": "" if row.redeemed_at else qr_svg(scan_url, title="普惠券二维码", scale=6)}  # fmt: skip
    response = render(request, "benefits/voucher.html", context)
    response["Cache-Control"] = "no-store"
    return response


# ── the merchant ────────────────────────────────────────────────────────────────────────────────────────────


def _till(request, merchant, form, status=200, found=None):
    count, fen = selectors.merchant_today(merchant)
    context = {"merchant": merchant, "form": form, "found": found, "today_count": count, "today_fen": fen,
               "recent": selectors.redemptions_of(merchant)[:20], "nav": "benefits_redeem"}  # fmt: skip
    response = render(request, "benefits/redeem.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit(scope="benefits_redeem", limit=60, window_seconds=60)
def redeem(request):
    """核销 (the merchant's phone): type the code, or arrive here by scanning the member's QR code; redeem once."""
    merchant = services.merchant_of(request.user)
    form = RedeemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.voucher_redeem(actor=request.user, code=form.cleaned_data["voucher_code"],
                                          discount_fen=form.cleaned_data["discount_fen"])  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"核销成功：{row.offer.title}，优惠 {row.redeemed_fen / 100:.2f} 元。")
            return redirect("benefits:redeem")
    return _till(request, merchant, form, status=400 if form.errors else 200)


@login_required
@rate_limit(scope="benefits_scan", limit=60, window_seconds=60, methods=("GET",))
def scan(request):
    """What the member's QR code opens on the merchant's phone (``/benefits/r/?c=<code>``: in the query string, so
    the access log keeps its name and not its value): the till with the code filled in and the voucher described
    (anyone but a merchant is refused)."""
    merchant = services.merchant_of(request.user)
    code = request.GET.get("c", "")
    found = services.voucher_by_code(code)
    form = RedeemForm(initial={"voucher_code": codes.grouped(codes.normalised(code) or "")})
    refusal = services.redeem_refusal(found, merchant, timezone.now())
    return _till(request, merchant, form, found={"voucher": found, "refusal": refusal})


@login_required
def redemptions(request):
    """The merchant's own redemptions (only theirs), newest first."""
    merchant = services.merchant_of(request.user)
    rows = selectors.redemptions_of(merchant)[:200]
    return render(request, "benefits/redemptions.html", {"merchant": merchant, "rows": rows, "nav": "benefits_redeem"})


@require_http_methods(["GET", "POST"])
@rate_limit(scope="benefits_invite", limit=20, window_seconds=60)
def invite(request, token: str):
    """The merchant's invite: set the account's password (no sign-in needed; the link is the proof)."""
    merchant = services.invited_merchant(token)
    if merchant is None:
        return render(request, "benefits/invite.html", {"expired": True}, status=404)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_accept(raw=token, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"密码已设置，请用登录名 {merchant.account.username} 登录。")
            return redirect("accounts:login")
    response = render(request, "benefits/invite.html", {"form": form, "m": merchant},
                      status=400 if form.errors else 200)  # fmt: skip
    response["Cache-Control"] = "no-store"
    return response
