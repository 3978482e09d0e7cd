"""Learning accounts through their services and selectors: the credit rule (property-tested), check-ins once a
book a day under the daily cap, completions only for the course's audience, the sheet import all or nothing, the
credits summed by the database, the report by child union, the figures, certificates, the person's copy and the
retention of check-ins."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.core.spreadsheets import read_sheets
from gonghui.learning import certificates, pipl, selectors, services
from gonghui.learning.credits import reading_credits
from gonghui.learning.models import CheckIn, Completion
from gonghui.learning.policy import ReadingRule, reading_rule
from gonghui.learning.tests.conftest import a_completion, a_course, sheet
from gonghui.testing.cast import LI_NA_ID, WANG_FANG_ID, ZHANG_WEI_ID
from gonghui.venues.models import Kind, Venue

RULE = ReadingRule()


def test_the_reading_rule_in_numbers():
    assert reading_credits(60, Decimal(0), RULE) == Decimal("1.0")
    assert reading_credits(30, Decimal(0), RULE) == Decimal("0.5")
    assert reading_credits(59, Decimal(0), RULE) == Decimal("0.9")  # tenths, rounded down
    assert reading_credits(5, Decimal(0), RULE) == Decimal("0.0")
    assert reading_credits(180, Decimal(0), RULE) == Decimal("2.0")  # the day's cap
    assert reading_credits(90, Decimal("1.2"), RULE) == Decimal("0.8")
    assert reading_credits(90, Decimal("2.0"), RULE) == Decimal("0.0")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sittings=st.lists(st.integers(min_value=1, max_value=600), max_size=12),
       per=st.integers(min_value=10, max_value=120), cap=st.integers(min_value=1, max_value=50))  # fmt: skip
def test_a_day_of_check_ins_never_passes_the_cap(sittings, per, cap):
    rule = ReadingRule(minutes_per_credit=per, daily_cap=Decimal(cap) / 10)
    earned, raw = Decimal(0), Decimal(0)
    for minutes in sittings:
        raw += reading_credits(minutes, Decimal(0), ReadingRule(minutes_per_credit=per, daily_cap=Decimal(10**6)))
        got = reading_credits(minutes, earned, rule)
        assert got >= 0 and got == got.quantize(Decimal("0.1"))
        assert got <= Decimal(minutes) / per  # never more than the time read gives
        assert reading_credits(minutes + 1, earned, rule) >= got  # reading longer never earns less
        earned += got
        assert earned <= rule.daily_cap
    assert earned == min(raw, rule.daily_cap)  # every tenth read counts until the cap


def test_a_province_may_set_its_own_rule(settings):
    settings.GONGHUI_LEARNING_READING = {"": {"daily_cap": 3}, "33": {"minutes_per_credit": 30}}
    assert reading_rule("33") == ReadingRule(minutes_per_credit=30, daily_cap=Decimal(3))
    assert reading_rule("32") == ReadingRule(daily_cap=Decimal(3))


def _library(cast, **extra):
    return Venue.objects.create(org=cast.orgs.xihu, kind=Kind.LIBRARY, name="西湖区职工书屋", address="文三路 1 号",
                                **extra)  # fmt: skip


def test_check_ins_once_a_book_a_day_under_the_cap(cast):
    worker, today = cast.users.worker, timezone.localdate()
    library = _library(cast)
    first = services.checkin_create(actor=worker, title="《平凡的世界》", minutes=90, note="孙少平的奋斗 13812345678",
                                    venue=library)  # fmt: skip
    assert first.credits == Decimal("1.5") and first.org == cast.orgs.company and first.venue == library
    assert "孙少平" not in first.note_enc and first.note.startswith("孙少平")  # the note is encrypted
    with pytest.raises(ValidationError, match="今天已经为《平凡的世界》打过卡了"):
        services.checkin_create(actor=worker, title=" 平凡的 世界 ", minutes=30)
    second = services.checkin_create(actor=worker, title="大国工匠", minutes=120)
    assert second.credits == Decimal("0.5")  # 2.0 a day
    third = services.checkin_create(actor=worker, title="人世间", minutes=60)
    assert third.credits == 0
    tomorrow = services.checkin_create(actor=worker, title="平凡的世界", minutes=60, today=today + dt.timedelta(days=1))
    assert tomorrow.credits == 1
    with pytest.raises(ValidationError) as refused:
        services.checkin_create(actor=worker, title="", minutes=0, note="长" * 501,
                                venue=Venue.objects.create(org=cast.orgs.xihu, kind=Kind.STATION, name="驿站",
                                                           address="文三路"))  # fmt: skip
    assert set(refused.value.message_dict) == {"title", "minutes", "note", "venue"}
    assert "阅读时长须为 1 到 600 分钟" in refused.value.message_dict["minutes"][0]
    with pytest.raises(ValidationError, match="需要本人在册的会员身份"):
        services.checkin_create(actor=cast.users.grassroots_admin, title="活着", minutes=30)
    assert CheckIn.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_two_check_ins_at_once_keep_the_cap(cast):
    """Two books checked in at the same moment (PostgreSQL: the person's row lock makes one wait)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")

    def check_in(title):
        try:
            return services.checkin_create(actor=cast.users.worker, title=title, minutes=120).credits
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        got = list(pool.map(check_in, ["平凡的世界", "大国工匠"]))
    assert sorted(got) == [Decimal(0), Decimal(2)]


def test_completions_only_for_the_courses_audience(cast):
    course = a_course(cast, credits="2.5")
    done = a_completion(cast, course, score="")
    assert done.credits == Decimal("2.5") and done.score is None and done.org_path == cast.orgs.company.path
    with pytest.raises(ValidationError, match="已有这门课程的结业记录"):
        a_completion(cast, course)
    with pytest.raises(ValidationError, match="不是浙江省总工会及其下属工会的在册会员"):
        a_completion(cast, course, member=cast.members.wang)
    with pytest.raises(ValidationError) as refused:
        a_completion(cast, course, member=cast.members.li, score="101", credits="-1",
                     completed_on=course.starts_on - dt.timedelta(days=1))  # fmt: skip
    assert set(refused.value.message_dict) == {"score", "credits", "completed_on"}
    with pytest.raises(PermissionDenied):
        services.completion_record(actor=cast.users.readonly, course=course, person=cast.members.li.person,
                                   completed_on=course.ends_on)  # fmt: skip
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        a_course(cast, days=(0, -1))


def test_the_sheet_is_imported_whole_or_not_at_all(cast):
    course, admin = a_course(cast), cast.users.grassroots_admin
    day = course.ends_on.isoformat()
    spec = services.completion_sheet(admin, course)
    bad = [["张伟", ZHANG_WEI_ID, day, "95", ""], ["李娜", LI_NA_ID, "2020-02-30", "", ""],
           ["王芳", WANG_FANG_ID, day, "", ""], ["=HYPERLINK(\"x\")", "1234", day, "", ""],
           ["张伟", ZHANG_WEI_ID, day, "", ""]]  # fmt: skip
    from gonghui.core import sheet_import

    check = sheet_import.check_sheet(sheet(bad), spec)
    assert [line for line, _ in check.listed_errors()] == [3, 4, 5, 6]
    assert "日期 2020-02-30 不存在" in check.errors[1] and "不是浙江省总工会" in check.errors[2]
    assert "出现了两次" in check.errors[4]
    with pytest.raises(ValidationError, match="有 4 行有误，未导入任何结业记录"):
        services.completions_import(actor=admin, course=course, upload=sheet(bad))
    assert not Completion.objects.exists()
    outcome = sheet_import.run("errors", sheet(bad), services.completion_sheet(admin, course), error_file="e.xlsx",
                               commit=lambda: 0)  # fmt: skip
    rows = list(next(iter(read_sheets(io.BytesIO(outcome.download.content), "xlsx"))).rows)
    assert rows[0][-1] == "错误原因" and len(rows) == 5 and rows[3][0] == '=HYPERLINK("x")'  # text, not a formula
    good = [
        ["张伟", ZHANG_WEI_ID, day, "95", ""],
        ["李 娜", LI_NA_ID, course.ends_on.strftime("%Y年%m月%d日"), "", "1"],
    ]
    assert services.completions_import(actor=admin, course=course, upload=sheet(good)) == 2
    assert sorted(Completion.objects.values_list("credits", flat=True)) == [Decimal(1), Decimal(2)]
    with pytest.raises(ValidationError, match="第一行须为表头"):
        services.completions_import(actor=admin, course=course, upload=sheet(good, header=["姓名", "编号"]))
    with pytest.raises(PermissionDenied):
        services.completions_import(actor=cast.users.readonly, course=course, upload=sheet(good))


def test_credits_reports_and_figures(cast):
    year = timezone.localdate().year
    course = a_course(cast, credits="2")
    a_completion(cast, course)
    a_completion(cast, course, member=cast.members.li)
    own = a_course(cast, org=cast.orgs.company, title="班组长培训", credits="3")
    a_completion(cast, own)
    services.checkin_create(actor=cast.users.worker, title="大国工匠", minutes=45)
    zhang = cast.members.zhang.person_id
    assert selectors.credits_of(zhang, year).total == Decimal("5.75") or selectors.credits_of(
        zhang, year
    ).total == Decimal("5.7")
    mine = selectors.credits_of(zhang, year)
    assert (mine.courses, mine.reading, mine.total) == (Decimal(5), Decimal("0.7"), Decimal("5.7"))
    assert selectors.credits_by_year(zhang)[0] == mine
    rows = {o.name: o for o in selectors.report_rows(cast.orgs.zhejiang, year)}
    assert list(rows)[0] == "浙江省总工会" and not rows["浙江省总工会"].total_row
    assert (rows["浙江省总工会"].learners, rows["浙江省总工会"].credits) == (2, Decimal(7))
    assert (rows["杭州市总工会"].learners, rows["杭州市总工会"].checkins) == (2, 1)
    assert selectors.average(rows["杭州市总工会"].credits, 2) == Decimal("3.5")
    assert selectors.learners_this_year(cast.users.province_admin) == 2
    assert selectors.learners_this_year(cast.users.sibling_admin) == 0
    assert selectors.learners_this_year_under(cast.orgs.xihu) == 2
    assert selectors.course_credits_this_year(cast.users.province_admin) == Decimal(7)
    assert selectors.reading_credits_this_year(cast.users.sibling_admin) == 0
    assert selectors.course_credits_this_year_under(cast.orgs.jiangsu) == 0
    assert selectors.reading_credits_this_year_under(cast.orgs.hangzhou) == Decimal("0.7")
    assert selectors.course_credits_this_year_by_org() == {cast.orgs.company.pk: Decimal(7)}
    assert selectors.reading_credits_this_year_by_org() == {cast.orgs.company.pk: Decimal("0.7")}


def test_certificates_verify_and_print(cast):
    done = a_completion(cast)
    result = certificates.verify(certificates.certificate_code(done))
    assert result.status == "valid" and result.holder == "张*" and result.certificate == done
    assert certificates.verify(done.key + ":forged").status == "forged"
    from gonghui.core.certificates import code_for
    from gonghui.workforce.certificates import SALT

    assert certificates.verify(code_for(done.key, salt=SALT)).status == "forged"  # another app's code
    body = certificates.pdf(done, "https://example.org/learning/verify/x/")
    assert body.startswith(b"%PDF") and b"FontFile2" in body


def test_the_persons_copy_and_retention(cast):
    a_completion(cast)
    old = timezone.localdate() - dt.timedelta(days=1200)
    services.checkin_create(actor=cast.users.worker, title="活着", minutes=30, note="心得", today=old)
    services.checkin_create(actor=cast.users.worker, title="活着", minutes=30)
    copy = pipl.learning_section(cast.members.zhang.person)
    assert copy["结业记录"][0]["课程"] == "劳模工匠精神宣讲培训" and copy["读书打卡"][0]["读书心得"] == "心得"
    assert services.checkins_delete(cutoff=timezone.now() - dt.timedelta(days=1095), batch_size=10) == 1
    assert CheckIn.objects.count() == 1
