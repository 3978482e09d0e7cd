"""Learning tests: a course of 浙江 (reaching the cast's company union) and one of the company itself."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gonghui.core.spreadsheets import write_xlsx
from gonghui.learning import services
from gonghui.learning.models import Category, Mode

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def a_course(cast, *, org=None, title="劳模工匠精神宣讲培训", credits="2", days=(-30, -10), **extra):
    today = timezone.localdate()
    fields = {"provider": "省劳模宣讲团", "category": Category.POLITICAL, "mode": Mode.OFFLINE, "hours": "8",
              "credits": credits, "starts_on": today + dt.timedelta(days=days[0]),
              "ends_on": today + dt.timedelta(days=days[1])} | extra  # fmt: skip
    return services.course_create(actor=None, org=org or cast.orgs.zhejiang, title=title, **fields)


def a_completion(cast, course=None, member=None, **extra):
    course = course or a_course(cast)
    person = (member or cast.members.zhang).person
    fields = {"completed_on": course.ends_on, "score": "88"} | extra
    return services.completion_record(actor=None, course=course, person=person, **fields)


def sheet(rows, header=services.IMPORT_HEADER, name="结业.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    write_xlsx(buffer, [("结业记录", list(header), rows)])
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)
