"""The worker's own pages, phone first."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gonghui.members.models import Membership
from gonghui.members.selectors import memberships_of


@login_required
@require_GET
def me(request):
    """我的会员信息: only the signed-in worker's own record, masked."""
    person = request.user.person
    if person is None:
        raise PermissionDenied("此页面供会员本人查看自己的信息；您的账号没有关联会员档案。")
    history = list(memberships_of(person))
    current = next((m for m in history if m.status == Membership.Status.ACTIVE), None)
    return render(request, "portal/me.html", {"person": person, "current": current, "nav": "me"})
