"""Governance tests: the cast's tree (全总 → 浙江/江苏 → … → two company unions) rolled up for this month."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gonghui.governance import rollup, services
from gonghui.governance.models import Target

DUE = dt.date(timezone.localdate().year + 1, 12, 31)


def rolled(cast):
    """The cast with this month's rollup computed (once per test)."""
    if not getattr(cast, "rolled", False):
        rollup.rollup_month()
        cast.rolled = True
    return cast


def zhejiang_target(cast, value="10") -> Target:
    if not hasattr(cast, "target"):
        cast.target = services.target_create(actor=None, org=cast.orgs.zhejiang, key="members", due_on=DUE,
                                             value=Decimal(value), source="测试")  # fmt: skip
    return cast.target


def zhejiang_report(cast):
    """浙江's report of last year (once per test)."""
    if not hasattr(cast, "report"):
        cast.report = services.year_report_generate(actor=None, org=cast.orgs.zhejiang,
                                                    year=timezone.localdate().year - 1)  # fmt: skip
    return cast.report


def zhejiang_job(cast):
    """浙江's report of last year asked for as a long job and run by the task body (once per test)."""
    if not hasattr(cast, "job"):
        job = services.year_report_request(actor=cast.users.province_admin, org=cast.orgs.zhejiang,
                                           year=timezone.localdate().year - 1)  # fmt: skip
        cast.job = services.year_report_run(job_id=job.pk)
    return cast.job


def company_dues_arrears(cast, owed="25000"):
    """杭州示例科技 owes dues (this month's dues rollup of its union): 25 points at the default weight."""
    from gonghui.dues.models import DuesOrgMonth
    from gonghui.dues.selectors import current_month

    DuesOrgMonth.objects.update_or_create(org=cast.orgs.company, month=current_month(),
                                          defaults={"arrears_total": Decimal(owed)})  # fmt: skip


def zhejiang_alert(cast):
    """An open risk alert for the company's employer, raised by the daily job (once per test)."""
    if not hasattr(cast, "alert"):
        from gonghui.governance.models import RiskAlert

        company_dues_arrears(cast)
        services.risk_alerts_raise(today=timezone.localdate())
        cast.alert = RiskAlert.objects.get(subject_key=f"employer:{cast.orgs.company.employer_id}")
    return cast.alert


@pytest.fixture(autouse=True)
def _private_var_dir(settings, tmp_path):
    """Generated files (the yearly reports' xlsx and PDF) go to the test's own folder."""
    settings.VAR_DIR = tmp_path
