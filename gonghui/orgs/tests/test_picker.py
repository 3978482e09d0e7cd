"""选择工会: the one union picker — options labelled with the place (省 › 市 › 区 › 街道), the upper union added
where two unions share a name and a place, found by name, full pinyin or initials; the org's pinyin follows a
rename."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from gonghui.orgs.models import Org, OrgType
from gonghui.orgs.selectors import named
from gonghui.orgs.services import org_update
from gonghui.testing.cast import add_org


def _options(orgs) -> str:
    return Template('{% include "orgs/_picker_options.html" %}').render(Context({"orgs": orgs}))


def test_an_option_shows_the_place_and_identical_names_show_their_upper_union(cast):
    twin_a = add_org(cast.orgs.xixi, "示例快递站工会", OrgType.GRASSROOTS, "330106004")  # the same name and place
    twin_b = add_org(cast.orgs.xihu, "示例快递站工会", OrgType.GRASSROOTS, "330106004")
    html = _options(Org.objects.filter(pk__in=[twin_a.pk, twin_b.pk, cast.orgs.company.pk]).order_by("path"))
    place = twin_a.region.path_label()
    assert place == "浙江省 › 杭州市 › 西湖区 › 西溪街道"
    assert f"示例快递站工会（{place}；上级：{cast.orgs.xixi.name}）" in html
    assert f"示例快递站工会（{place}；上级：{cast.orgs.xihu.name}）" in html
    assert f"{cast.orgs.company.name}（{cast.orgs.company.region.path_label()}）" in html  # no twin: no upper union


@pytest.mark.parametrize("q", ["西湖", "hangzhoushixihu", "hzsxh", "HZSXH", "  hzs "])
def test_found_by_name_full_pinyin_or_initials(cast, q):
    assert cast.orgs.xihu in named(Org.objects.all(), q)


def test_a_rename_updates_the_pinyin(cast):
    org_update(actor=None, org=cast.orgs.company, version=cast.orgs.company.version, name="鸿达科技工会")
    orgs = Org.objects.all()
    assert cast.orgs.company in named(orgs, "hdkj") and cast.orgs.company not in named(orgs, "hzsl")


def test_the_member_orgs_picker_searches_by_pinyin_through_the_page(client, cast):
    client.force_login(cast.users.province_admin)
    html = client.get(reverse("members:org_options"), {"org_q": "hzsl", "purpose": "write"}).content.decode()
    assert f'<option value="{cast.orgs.company.pk}">' in html and "浙江省 › 杭州市" in html
