from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from gonghui.orgs import access


@login_required
def home(request):
    """Cadres land on their part of the tree, workers on their own page."""
    if access.grants_of(request.user):
        return redirect("orgs:tree")
    if request.user.person_id:
        return redirect("portal:me")
    return render(request, "accounts/no_grant.html", status=200)
