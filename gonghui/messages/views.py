"""消息中心 pages, phone first: the inbox, one message, mark all read, and the text-message preference."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from gonghui.core.registry import message_events
from gonghui.core.web import int_param
from gonghui.messages import selectors, services
from gonghui.messages.policy import messages_policy
from gonghui.orgs import access


def _inbox_user(request):
    if not selectors.has_inbox(request.user):
        raise access.deny(request.user, "消息中心供职工和工会干部使用。")
    return request.user


@login_required
@require_GET
def inbox(request):
    user = _inbox_user(request)
    page = Paginator(selectors.inbox(user), messages_policy().page_size).get_page(int_param(request.GET.get("page", 1)))
    context = {"page": page, "unread": selectors.unread_count(user), "nav": "messages"}
    return render(request, "messages/inbox.html", context)


@login_required
@require_GET
def detail(request, pk: int):
    """Opening a message marks it read; its page is one tap away."""
    message = services.message_read(actor=_inbox_user(request), pk=pk)
    link = message.link if url_has_allowed_host_and_scheme(message.link, allowed_hosts=None) else ""
    context = {"message": message, "body": selectors.body(message), "link": link, "nav": "messages"}
    return render(request, "messages/detail.html", context)


@login_required
@require_POST
def read_all(request):
    done = services.messages_read_all(actor=_inbox_user(request))
    flash.success(request, f"已将 {done} 条消息标为已读。" if done else "没有未读消息。")
    return redirect("messages:inbox")


@login_required
def preferences(request):
    """消息设置: text messages for the non-essential events on or off; the essential ones are listed."""
    user = _inbox_user(request)
    if request.method == "POST":
        services.preference_set(actor=user, sms_optional=request.POST.get("sms_optional") == "on")
        flash.success(request, "消息设置已保存。")
        return redirect("messages:preferences")
    events = sorted((e for e in message_events().values() if e.sms), key=lambda e: (not e.essential, e.order))
    context = {"events": events, "sms_optional": selectors.sms_optional(user), "nav": "messages"}
    return render(request, "messages/preferences.html", context)
