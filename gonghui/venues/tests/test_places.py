"""A typed address or place: resolved offline to the division it names (GB/T 2260 names), located by the
division-centre table when there is one, else by the centre of the venues registered there (and the page says
so); ambiguous names offer each place; nothing found is said in Chinese."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gonghui.venues import places
from gonghui.venues.tests.conftest import XIHU, XUANWU, make_station

KNOWN = {
    "杭州市西湖区": "330106",
    "浙江省杭州市西湖区文三路 90 号": "330106",
    "北京朝阳区建国路": "110105",
    "吉林长春朝阳区": "220104",
    "武汉市东西湖区": "420112",  # not 杭州's 西湖区 inside it
    "南京市鼓楼区中山路": "320106",
    "上海市浦东新区": "310115",
    "余杭区文一西路": "330110",
    "浙江杭州": "3301",
    "广西南宁": "4501",
    "内蒙古": "15",
}


@pytest.mark.parametrize(("text", "code"), KNOWN.items())
def test_known_places(text, code):
    assert places.resolve(text).code == code


def test_one_name_in_several_places_offers_each():
    with pytest.raises(places.Ambiguous) as found:
        places.resolve("朝阳区建国路")
    assert [d.full_name for d in found.value.choices] == ["北京市朝阳区", "吉林省长春市朝阳区"]
    assert "请加上省或市的名称" in found.value.messages[0]


@pytest.mark.parametrize(("text", "message"), [("", "请输入地址或地名"), ("   ", "请输入地址或地名"),
                                               ("西湖边的长椅", "没有找到“西湖边的长椅”所在的区县")])  # fmt: skip
def test_nothing_found_is_said_in_chinese(text, message):
    with pytest.raises(ValidationError, match=message):
        places.resolve(text)


def test_the_centre_table_gives_the_position(tmp_path, settings):
    table = tmp_path / "adcodes.csv"
    table.write_text("adcode,name,longitude,latitude\n330106000000,西湖区,120.130194,30.259463\n"
                     "110105000000,朝阳区,116.443205,39.921506\n330100000000,杭州市,,\n", encoding="utf-8")  # fmt: skip
    settings.GONGHUI_VENUES = {"places_file": str(table)}
    found = places.place_of("杭州西湖区")
    assert (found.lat, found.lng, found.estimated_from_venues) == (30.259463, 120.130194, 0)
    assert found.label == "浙江省杭州市西湖区" and "中心位置查找" in found.note
    assert places.place_of("北京朝阳区").lat == 39.921506


def test_the_shipped_table_locates_counties_across_the_country(settings):
    settings.GONGHUI_VENUES = {}
    found = places.place_of("杭州西湖区")
    assert (found.lat, found.lng, found.estimated_from_venues) == (30.259463, 120.130194, 0)
    assert places.place_of("北京市朝阳区").lng == pytest.approx(116.44, abs=0.01)
    assert places.place_of("深圳南山区").lat == pytest.approx(22.53, abs=0.01)


@pytest.mark.django_db
def test_without_a_table_the_centre_of_the_registered_venues(cast, settings, tmp_path):
    settings.GONGHUI_VENUES = {"places_file": str(tmp_path / "none.csv")}
    (tmp_path / "none.csv").write_text("adcode,name,longitude,latitude\n", encoding="utf-8")
    make_station(cast, lat=XIHU[0] + 0.01, lng=XIHU[1])
    make_station(cast, name="另一个驿站", lat=XIHU[0] - 0.01, lng=XIHU[1] + 0.02)
    make_station(cast, org=cast.orgs.logistics, actor=cast.users.sibling_admin, lat=XUANWU[0], lng=XUANWU[1])
    found = places.place_of("杭州市西湖区")
    assert (
        found.estimated_from_venues == 2
        and found.lat == pytest.approx(XIHU[0])
        and found.lng == pytest.approx(XIHU[1] + 0.01)
    )
    assert found.note.startswith("按西湖区已登记站点的中心位置估算（2 个站点）")
    with pytest.raises(ValidationError, match="北京市朝阳区还没有登记服务阵地，无法估算位置"):
        places.place_of("北京朝阳区")


@pytest.mark.django_db
def test_a_worker_types_a_place_on_the_phone_page(cast, client, settings, tmp_path):
    settings.GONGHUI_VENUES = {"places_file": str(tmp_path / "none.csv")}
    (tmp_path / "none.csv").write_text("adcode,name,longitude,latitude\n", encoding="utf-8")
    make_station(cast)
    page = client.get(reverse("venues:nearby"), {"q": "杭州市西湖区"})
    body = page.content.decode()
    assert page.status_code == 200 and "已定位到：浙江省杭州市西湖区" in body and "西溪路环卫工会驿站" in body
    assert "按西湖区已登记站点的中心位置估算" in body
    page = client.get(reverse("venues:nearby"), {"q": "朝阳区"})
    assert page.status_code == 400 and "data-place-choices" in page.content.decode()
    assert "?q=%E5%8C%97%E4%BA%AC%E5%B8%82%E6%9C%9D%E9%98%B3%E5%8C%BA" in page.content.decode()  # 北京市朝阳区
    page = client.get(reverse("venues:nearby"), {"q": "火星"})
    assert page.status_code == 400 and "没有找到“火星”所在的区县" in page.content.decode()
