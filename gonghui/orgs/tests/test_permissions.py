"""Every page × every member of the cast: who gets the page, who gets 403, who reads 404."""

import importlib

from django.urls import reverse

from gonghui.testing.cast import valid_id
from gonghui.testing.matrix import app_matrices, expect, page_tests


def org_edit_data(cast):
    org = cast.orgs.company
    return {"name": "杭州示例科技有限公司工会（改）", "region": org.region_id, "status": "active",
            "leadership": "committee", "term_years": 3, "version": org.version}  # fmt: skip


def member_edit_data(cast):
    return {"name": "张伟", "ethnicity": "汉族", "employment_form": "standard", "version": 1}


def member_create_data(cast):
    return {"org": cast.orgs.company.pk, "name": "赵敏", "id_number": valid_id("33010619950101002"),
            "ethnicity": "汉族", "employment_form": "standard"}  # fmt: skip


def org_create_data(cast):
    return {"name": "西湖区某某公司工会", "org_type": "grassroots", "region": "330106", "status": "active",
            "leadership": "committee", "term_years": 5}  # fmt: skip


def _transfer(cast, *, released=False):
    """张伟 (杭州示例科技) → 南京示例物流: the sending side is in Zhejiang, the receiving side in Jiangsu."""
    from gonghui.members.services import transfer_release, transfer_start

    transfer = transfer_start(actor=cast.users.grassroots_admin, membership=cast.members.zhang,
                              to_org=cast.orgs.logistics, reason="工作调动")  # fmt: skip
    if released:
        transfer = transfer_release(actor=cast.users.grassroots_admin, transfer=transfer)
    return transfer


def transfer_url(action, *, released):
    return lambda c: reverse("members:transfer_act", args=[_transfer(c, released=released).pk, action])


def _warning(cast):
    import datetime as dt

    from gonghui.members.models import LapseWarning, Membership
    from gonghui.members.services import lapse_warnings_raise

    Membership.objects.filter(pk=cast.members.zhang.pk).update(last_active_on=dt.date(2020, 1, 1))
    lapse_warnings_raise(today=dt.date.today())
    return LapseWarning.objects.get(membership=cast.members.zhang)


# (page, method, url builder, data builder, expected statuses)
PAGES = [
    ("org_tree", "get", lambda c: reverse("orgs:tree"), None, expect(200, 200, 200, 200, 200)),
    ("org_children", "get", lambda c: reverse("orgs:children", args=[c.orgs.zhejiang.pk]), None,
     expect(200, 200, 404, 404, 200)),
    ("org_detail", "get", lambda c: reverse("orgs:detail", args=[c.orgs.company.pk]), None,
     expect(200, 200, 404, 200, 200)),
    ("org_create_form", "get", lambda c: reverse("orgs:create") + f"?parent={c.orgs.xihu.pk}", None,
     expect(200, 200, 404, 404, 403)),
    ("org_create", "post", lambda c: reverse("orgs:create") + f"?parent={c.orgs.xihu.pk}", org_create_data,
     expect(302, 302, 404, 404, 403)),
    ("org_edit_form", "get", lambda c: reverse("orgs:edit", args=[c.orgs.company.pk]), None,
     expect(200, 200, 404, 200, 403)),
    ("org_update", "post", lambda c: reverse("orgs:edit", args=[c.orgs.company.pk]), org_edit_data,
     expect(302, 302, 404, 302, 403)),
    ("org_move", "post", lambda c: reverse("orgs:move", args=[c.orgs.company.pk]),
     lambda c: {"new_parent": c.orgs.xixi.pk}, expect(302, 302, 404, 404, 403)),
    ("org_move_candidates", "get", lambda c: reverse("orgs:move_candidates", args=[c.orgs.company.pk]), None,
     expect(200, 200, 404, 200, 403)),
    ("org_close_employer", "post", lambda c: reverse("orgs:close_employer", args=[c.orgs.company.pk]),
     lambda c: {"confirm_name": c.orgs.company.name}, expect(302, 302, 404, 404, 403)),
    ("region_picker", "get", lambda c: reverse("orgs:regions") + "?code=330106", None,
     expect(200, 200, 200, 200, 200)),
    ("member_list", "get", lambda c: reverse("members:list"), None, expect(200, 200, 200, 200, 200)),
    ("member_search", "post", lambda c: reverse("members:list"), lambda c: {"q": "zw"},
     expect(200, 200, 200, 200, 200)),
    ("member_org_options", "get", lambda c: reverse("members:org_options") + "?purpose=write", None,
     expect(200, 200, 200, 200, 200)),
    ("member_detail", "get", lambda c: reverse("members:detail", args=[c.members.zhang.person_id]), None,
     expect(200, 200, 404, 200, 200)),
    ("member_create_form", "get", lambda c: reverse("members:create"), None, expect(200, 200, 200, 200, 403)),
    ("member_create", "post", lambda c: reverse("members:create"), member_create_data,
     expect(302, 302, 404, 302, 403)),
    ("member_edit_form", "get", lambda c: reverse("members:edit", args=[c.members.zhang.person_id]), None,
     expect(200, 200, 404, 200, 403)),
    ("member_update", "post", lambda c: reverse("members:edit", args=[c.members.zhang.person_id]), member_edit_data,
     expect(302, 302, 404, 302, 403)),
    ("member_unmask", "post", lambda c: reverse("members:unmask", args=[c.members.zhang.person_id]), None,
     expect(200, 403, 404, 200, 403)),
    ("member_transfer_start", "post", lambda c: reverse("members:transfer_start", args=[c.members.zhang.person_id]),
     lambda c: {"to_org": c.orgs.logistics.pk, "reason": "工作调动"}, expect(302, 302, 404, 302, 403)),
    ("member_retire", "post", lambda c: reverse("members:retire", args=[c.members.zhang.person_id]), None,
     expect(302, 302, 404, 302, 403)),
    ("transfer_list", "get", lambda c: reverse("members:transfers"), None, expect(200, 200, 200, 200, 200)),
    ("transfer_targets", "get", lambda c: reverse("members:transfer_targets") + "?to_org_q=物流", None,
     expect(200, 200, 200, 200, 200, worker=200)),  # a member chooses their own new union
    # The step of the other side is refused (403); someone who sees neither side reads 404.
    ("transfer_release", "post", transfer_url("release", released=False), None, expect(302, 302, 403, 302, 403)),
    ("transfer_accept", "post", transfer_url("accept", released=True), None, expect(302, 403, 302, 403, 403)),
    ("transfer_reject", "post", transfer_url("reject", released=True), lambda c: {"reason": "岗位未落实"},
     expect(302, 403, 302, 403, 403)),
    ("portal_me", "get", lambda c: reverse("portal:me"), None, expect(403, 403, 403, 403, 403, worker=200)),
    ("portal_card", "get", lambda c: reverse("portal:card"), None, expect(403, 403, 403, 403, 403, worker=200)),
    ("portal_transfer", "get", lambda c: reverse("portal:transfer"), None,
     expect(403, 403, 403, 403, 403, worker=200)),
    ("member_card_revoke", "post", lambda c: reverse("members:card_revoke", args=[c.members.zhang.person_id]),
     lambda c: {"reason": "手机遗失"}, expect(302, 302, 404, 302, 403)),
    ("lapse_list", "get", lambda c: reverse("members:lapse"), None, expect(200, 200, 200, 200, 200)),
    ("lapse_counsel", "post", lambda c: reverse("members:lapse_act", args=[_warning(c).pk, "counsel"]),
     lambda c: {"note": "电话联系"}, expect(302, 302, 404, 302, 403)),
]  # fmt: skip


test_page_permissions = page_tests(PAGES)


def test_every_routed_page_is_in_the_matrix():
    from gonghui.members.urls import urlpatterns as member_urls
    from gonghui.orgs.urls import urlpatterns as org_urls
    from gonghui.portal.urls import urlpatterns as portal_urls

    routed = {p.name for p in org_urls + member_urls + portal_urls}
    covered = {"tree", "children", "detail", "create", "edit", "move", "move_candidates", "regions", "list",
               "close_employer",
               "org_options", "unmask", "me", "transfer_start", "retire", "transfers", "transfer_targets",
               "transfer_act", "card", "transfer", "card_revoke", "lapse", "lapse_act"}  # fmt: skip
    assert routed == covered


def test_every_routed_page_of_the_other_apps_is_in_their_matrices():
    for app, module in app_matrices():
        routed = {p.name for p in importlib.import_module(f"gonghui.{app}.urls").urlpatterns}
        assert routed == module.PAGE_ROUTES, app
