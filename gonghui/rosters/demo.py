"""演示数据: the demo grassroots union's roster imports, made through the page's own services (upload, dry run,
commit): one new-hires roster imported, with a few rows the dry run refused (so its error file can be downloaded)
and a member already on the register updated; a second one checked and waiting for the chairman's confirmation,
its preview on the page."""

import csv
import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.accounts.models import User
from gonghui.core import crypto
from gonghui.core.identifiers import id_check_character
from gonghui.core.registry import DemoRun
from gonghui.members.demo.words import FEMALE_CHARS, MALE_CHARS, SURNAMES
from gonghui.members.models import Membership
from gonghui.rosters import services

HEADER = ["姓名", "身份证号", "手机号", "民族", "学历", "就业形态", "农民工", "工作单位", "岗位", "入会日期"]
JOBS = ("操作工", "质检员", "仓管员", "叉车司机", "电工", "焊工", "包装工", "设备维修工")
EDUCATION = ("初中", "高中/中专/技校", "大专", "本科")


def _person(rng: random.Random, region: str, serial: int, today: dt.date) -> tuple[str, str, str]:
    """A name, a valid ID number of the union's region and a mobile number."""
    female = rng.random() < 0.45
    surname = rng.choices([s for s, _ in SURNAMES], weights=[w for _, w in SURNAMES])[0]
    name = surname + "".join(rng.choice(FEMALE_CHARS if female else MALE_CHARS) for _ in range(rng.choice((1, 2))))
    born = today - dt.timedelta(days=rng.randrange(21 * 366, 50 * 365))  # 21 to 50 years old
    sequence = f"{serial % 50:02d}{rng.choice('02468' if female else '13579')}"
    first17 = f"{region}{born:%Y%m%d}{sequence}"
    return name, first17 + id_check_character(first17), f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def _roster(rows: list[list]) -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return SimpleUploadedFile("roster.csv", out.getvalue().encode("utf-8-sig"), content_type="text/csv")


def _rows(rng: random.Random, org, count: int, start: int, today: dt.date) -> list[list]:
    employer = org.employer.name if org.employer_id else org.name.removesuffix("工会")
    rows = []
    for n in range(count):
        name, id_number, phone = _person(rng, org.region_id[:6].ljust(6, "0"), start + n, today)
        joined = today - dt.timedelta(days=rng.randrange(1, 60))
        rows.append([name, id_number, phone, "汉族", rng.choice(EDUCATION), "全日制用工", rng.choice(("是", "否")),
                     employer, rng.choice(JOBS), f"{joined:%Y-%m-%d}"])  # fmt: skip
    return rows


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members demo, whose grassroots chairman 'jiceng' imports)."""
    chairman = User.objects.filter(username="jiceng").prefetch_related("grants__org__region").first()
    if chairman is None:
        return
    org = chairman.grants.all()[0].org
    rng, today = run.rng, dt.date.today()
    rows = _rows(rng, org, 36, 0, today)
    rows[4][1] = rows[4][1][:17] + ("0" if rows[4][1][17] != "0" else "1")  # a wrong check digit
    rows[9][0] = ""  # no name
    rows[15][2] = "1381234"  # a phone number cut short
    rows.append(list(rows[20]))  # the same person twice in one file
    member = Membership.objects.filter(org=org, status=Membership.Status.ACTIVE).select_related("person").first()
    if member is not None:  # somebody already on the register, with a new job: updated, never duplicated
        id_number = crypto.decrypt(member.person.id_number_enc)
        rows.append([member.person.name, id_number, "", "", "", "", "", "", "设备维修工", ""])
    imported = services.import_upload(actor=chairman, org=org, file=_roster(rows), background=False,
                                      file_name=f"{org.name}新入职职工花名册{today:%Y%m}.csv")  # fmt: skip
    services.import_check(job=imported)
    services.import_run(job=services.import_commit(actor=chairman, job=imported, background=False), actor=chairman)
    waiting = services.import_upload(actor=chairman, org=org, file=_roster(_rows(rng, org, 12, 40, today)),
                                     background=False, file_name=f"{org.name}劳务派遣转正人员.csv")  # fmt: skip
    services.import_check(job=waiting)
    run.summary.append("2 次花名册导入（1 次已导入、1 次待确认）")
