"""The demo loader, once: a competition with results, model workers, studios and a round in each province."""

import pytest

from gonghui.core import registry
from gonghui.core.registry import DemoRun
from gonghui.members.demo import demo_load as members_demo
from gonghui.orgs.models import Org
from gonghui.workforce.demo import demo_load
from gonghui.workforce.models import (
    CareItem,
    Certificate,
    Innovation,
    ModelWorker,
    Nomination,
    Publicity,
    RestEnrolment,
    Score,
    Studio,
    StudioAlliance,
    StudioEvaluation,
    UnitCheck,
)


@pytest.mark.django_db
def test_the_demo_has_results_registries_and_a_round():
    run = DemoRun(members=300, seed=7, provinces={"33"}, batch_size=1000, keep_existing=False, log=None)
    members_demo(run)
    demo_load(run)
    assert "名劳模" in run.summary[-1] and "caipan" in {a.username for a in run.accounts}
    assert Certificate.objects.exists() and ModelWorker.objects.count() >= 5
    assert set(Studio.objects.values_list("level", flat=True)) == {"national_demo", "provincial", "city", "grassroots"}
    assert Nomination.objects.filter(case__isnull=False).exists() and Score.objects.filter(signed=True).exists()
    assert not Score.objects.filter(judge__user__username="caipan", signed=False).exists()  # caipan still to score
    statuses = set(Innovation.objects.values_list("status", flat=True))
    assert statuses == {"submitted", "review", "adopted", "assessed", "rewarded", "rejected"}
    assert Innovation.objects.filter(status="rewarded", reward_fen__gt=0, benefit_fen__gt=0).exists()
    assert Innovation.objects.filter(person__account__username="zhigong", channel="phone").count() == 2
    assert UnitCheck.objects.count() == 8 and Nomination.objects.filter(employer__isnull=False).count() == 2
    assert StudioEvaluation.objects.count() == Studio.objects.count() and StudioAlliance.objects.exists()
    assert set(RestEnrolment.objects.values_list("attended", flat=True)) == {True, False, None}
    assert CareItem.objects.filter(kind="rest", done_on__isnull=False).count() == RestEnrolment.objects.filter(
        attended=True).count()  # fmt: skip
    assert ModelWorker.objects.exclude(hardship_note_enc="").exists()
    # 先进典型宣传 at national and provincial level in the plan period: the overview's figure is not 0
    assert set(Publicity.objects.values_list("level", flat=True)) == {"national", "provincial"}
    assert all(2021 <= year <= 2025 for year in Publicity.objects.values_list("year", flat=True))
    publicised = next(f for f in registry.overview_figures() if f.key == "workforce_publicised")
    national = Org.objects.get(parent=None)
    assert publicised.value_under(national) == 3 * ModelWorker.objects.values("org").distinct().count()
