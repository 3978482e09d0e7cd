"""The demo: the grassroots chairman's roster imports, made through the services — one imported with the rows the
dry run refused kept for the error file and a member already on the register updated, one waiting to be
confirmed."""

import io

from openpyxl import load_workbook

from gonghui.core.registry import DemoRun
from gonghui.members.demo import load_demo
from gonghui.members.models import Membership
from gonghui.orgs.models import Org
from gonghui.rosters import services
from gonghui.rosters.demo import demo_load
from gonghui.rosters.models import ImportJob


def test_demo_imports_one_roster_and_leaves_one_to_confirm(db):
    load_demo(members=300, seed=3, provinces={"33"})
    union = Org.objects.get(grants__user__username="jiceng")
    before = Membership.objects.filter(org=union).count()
    run = DemoRun(members=300, seed=3, provinces={"33"}, batch_size=1000, keep_existing=False, log=None)
    demo_load(run)
    assert run.summary == ["2 次花名册导入（1 次已导入、1 次待确认）"]
    imported, waiting = ImportJob.objects.order_by("pk")
    assert imported.status == ImportJob.Status.COMMITTED and waiting.status == ImportJob.Status.CHECKED
    assert (imported.counts["invalid"], imported.counts["duplicate"], imported.counts["update"]) == (3, 1, 1)
    assert imported.committed["create"] == 33 == Membership.objects.filter(org=union).count() - before
    assert waiting.counts["create"] == 12 and not waiting.committed
    errors = load_workbook(io.BytesIO(services.import_errors_file(actor=imported.created_by, job=imported)))
    reasons = [row[-1] for row in errors.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert len(reasons) == 3 and all(reasons)
