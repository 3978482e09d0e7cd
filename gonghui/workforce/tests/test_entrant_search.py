"""报名 by name: the members' name and pinyin prefix search within the competition's union, several matches
offered to choose from, the ID number still accepted."""

from django.urls import reverse
from django.utils import timezone

from gonghui.members.services import member_create
from gonghui.testing.cast import valid_id
from gonghui.workforce import services
from gonghui.workforce.models import Entry


def test_a_cadre_finds_the_entrant_by_name_or_pinyin_within_the_competition(client, cast):
    member_create(actor=None, org=cast.orgs.company, name="张强", id_number=valid_id("33010619880101005"),
                  phone="13500007771")  # fmt: skip
    actor = cast.users.national_admin
    competition = services.competition_create(actor=actor, org=cast.orgs.zhejiang, name="浙江省职工技能大赛",
                                              year=timezone.localdate().year)  # fmt: skip
    event = services.event_add(actor=actor, competition=competition, occupation="电工", grade="3",
                               held_on=timezone.localdate())  # fmt: skip
    client.force_login(actor)
    url = reverse("workforce:entry_new", args=[event.pk])
    form = {"name": "张伟", "unit": "杭州示例科技有限公司"}
    # "张" matches 张伟 and 张强 of Zhejiang
    several = client.post(url, form | {"id_number_0": "张"})
    page = several.content.decode()
    assert several.status_code == 400 and "有多位会员与“张”匹配" in page
    assert "张伟（" in page and "张强（" in page
    assert "330106199003071236" not in page  # the choices show the masked ID number
    # 王芳 is a member the national cadre sees, but in Jiangsu, outside the competition's union
    nobody = client.post(url, form | {"id_number_0": "王"})
    assert nobody.status_code == 400 and "没有找到姓名或拼音以“王”开头的会员" in nobody.content.decode()
    short = client.post(url, form | {"id_number_0": "33010619900307123"})  # one digit missing
    assert short.status_code == 400 and "身份证号码应为 18 位" in short.content.decode()
    assert not Entry.objects.exists()
    zhang = cast.members.zhang.person
    assert client.post(url, form | {"id_number_0": "张", "pick_0": zhang.pk}).status_code == 302
    assert list(Entry.objects.get().competitors.values_list("person", flat=True)) == [zhang.pk]
    # full pinyin prefix and initials find one member each, who is entered without choosing
    Entry.objects.all().delete()
    assert client.post(url, {"name": "李娜", "unit": "示例", "id_number_0": "lin"}).status_code == 302
    assert client.post(url, {"name": "张强", "unit": "示例", "id_number_0": "zq"}).status_code == 302
    assert sorted(Entry.objects.values_list("competitors__person__name", flat=True)) == ["张强", "李娜"]
