"""网上舆论 items imported from a sheet: a dry run that imports nothing, all rows or none, an error file with the
reasons, masked text, idempotent by 编号; and the retention rule that deletes old items."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gonghui.core.spreadsheets import read_sheets, write_xlsx
from gonghui.governance import services
from gonghui.governance.models import OpinionItem
from gonghui.governance.policy import opinion_keep_days

HEADER = ["编号", "发生时间", "内容"]


def _sheet(rows, name="items.xlsx"):
    buffer = io.BytesIO()
    write_xlsx(buffer, [("条目", HEADER, rows)])
    return SimpleUploadedFile(name, buffer.getvalue())


GOOD = [["A-1", "2026-05-01 09:30", "公司拖欠工资三个月，电话 13812345678，太让人失望"],
        ["A-2", "2026-05-02", "工会帮我们讨回了加班费，非常感谢"]]  # fmt: skip
BAD = [*GOOD, ["A-1", "昨天", ""], ["", "2999-01-01", "很好"]]


def test_a_dry_run_an_error_file_then_all_rows_or_none(client, cast):
    client.force_login(cast.users.province_admin)
    url = reverse("governance:opinion_import")
    org = cast.orgs.hangzhou.pk
    response = client.post(url, {"org": org, "mode": "check", "file": _sheet(BAD)})
    body = response.content.decode()
    assert response.status_code == 200 and "共 4 行，其中 2 行有误" in body
    assert "第 4 行：编号与前面的行重复；发生时间无法识别或晚于现在" in body and "第 5 行：编号必填" in body
    assert not OpinionItem.objects.exists()
    response = client.post(url, {"org": org, "mode": "errors", "file": _sheet(BAD)})
    rows = list(next(read_sheets(io.BytesIO(response.content), "xlsx")).rows)
    assert rows[0] == [*HEADER, "错误原因"] and [r[0] for r in rows[1:]] == ["A-1", ""]
    response = client.post(url, {"org": org, "mode": "import", "file": _sheet(BAD)})
    assert response.status_code == 400 and "有 2 行有误，未导入任何条目" in response.content.decode()
    assert not OpinionItem.objects.exists()
    response = client.post(url, {"org": org, "mode": "import", "file": _sheet(GOOD)})
    assert response.status_code == 302 and response["Location"].endswith(f"?org={org}")
    items = {i.ref: i for i in OpinionItem.objects.all()}
    assert set(items) == {f"{org}:A-1", f"{org}:A-2"} and all(i.source == "import" for i in items.values())
    first = items[f"{org}:A-1"]
    assert "13812345678" not in first.text and "138****5678" in first.text and first.sentiment == "negative"
    assert items[f"{org}:A-2"].sentiment == "positive"
    assert timezone.localtime(items[f"{org}:A-2"].occurred_at).hour == 12  # a date alone: noon
    client.post(url, {"org": org, "mode": "import", "file": _sheet(GOOD)})
    assert OpinionItem.objects.count() == 2  # imported once


def test_an_import_for_a_union_out_of_reach_or_read_only_is_refused(client, cast):
    url = reverse("governance:opinion_import")
    client.force_login(cast.users.sibling_admin)
    response = client.post(url, {"org": cast.orgs.hangzhou.pk, "mode": "import", "file": _sheet(GOOD)})
    assert response.status_code == 400 and not OpinionItem.objects.exists()  # not a choice of the form
    client.force_login(cast.users.province_admin)
    response = client.post(url, {"org": cast.orgs.hangzhou.pk, "mode": "import",
                                 "file": SimpleUploadedFile("x.xlsx", b"MZ\x90\x00 not a sheet")})  # fmt: skip
    assert response.status_code == 400 and not OpinionItem.objects.exists()


def test_the_retention_rule_deletes_items_older_than_the_policy(cast):
    from gonghui.core.registry import retention_categories

    rule = next(r for r in retention_categories() if r.category == "opinion_item")
    assert rule.default() == opinion_keep_days() == 730
    now = timezone.now()
    for ref, back in (("old", 800), ("new", 10)):
        services._item(source="api", ref=ref, org=cast.orgs.company, occurred_at=now - dt.timedelta(days=back),
                       text="骑手讨薪难")  # fmt: skip
    assert services.opinion_items_delete(cutoff=now - dt.timedelta(days=730), batch_size=100) == 1
    assert list(OpinionItem.objects.values_list("ref", flat=True)) == ["new"]
