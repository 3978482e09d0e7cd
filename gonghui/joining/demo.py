"""演示数据: about thirty online joining applications in Zhejiang — pending (some past their deadline, some
escalated), accepted and rejected — and a couple of join codes, on the members demo's tree. Applications
are written as a worker would leave them; decisions go through the services with a demo cadre."""

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import Grant
from gonghui.accounts.services import user_create
from gonghui.cases.kinds import kind_of
from gonghui.cases.models import Case
from gonghui.cases.services import case_open, cases_escalate_overdue
from gonghui.core.registry import DemoRun
from gonghui.core.sealed import seal_id_number, seal_phone
from gonghui.joining import services
from gonghui.joining.cases import JOIN, SUBJECT
from gonghui.joining.models import JoinApplication, PhoneLogin
from gonghui.joining.pipl import CONSENT_CATEGORIES, CONSENT_PURPOSE, NOTICE_VERSION
from gonghui.joining.routing import responsible_union
from gonghui.members.demo import DEMO_PASSWORD
from gonghui.members.demo.people import PeopleGenerator
from gonghui.members.services import employer_resolve
from gonghui.orgs import access
from gonghui.orgs.models import Org, OrgType, Region
from gonghui.privacy.models import ConsentRecord
from gonghui.privacy.services import consents_give_by_account

GIG = ("courier", "food_delivery", "ride_hailing", "truck_driver", "designated_driver", "domestic")
PLATFORMS = ("某外卖平台杭州配送站", "某快递公司西湖网点", "某网约车平台浙江分公司", "某同城货运平台")
JOBS = {"courier": "快递员", "food_delivery": "外卖骑手", "ride_hailing": "网约车司机", "truck_driver": "货车司机",
        "designated_driver": "代驾司机", "domestic": "家政服务员", "standard": "操作工"}  # fmt: skip


def _writer(org: Org, grants: list[Grant]):
    covering = [g for g in grants if org.path.startswith(g.org.path)]
    return max(covering, key=lambda g: len(g.org.path)).user if covering else None


def _apply(people: PeopleGenerator, rng: random.Random, *, region: Region, employer, form: str,
           submitted: dt.date) -> JoinApplication | None:  # fmt: skip
    org, rule = responsible_union(employer=employer, region=region, employment_form=form)
    if org is None:
        return None
    gender = rng.choice("MMMF")
    number, born = people.id_number(region.code[:6], gender, young=True)
    identity, phone = seal_id_number(number), seal_phone(people.phone())
    people.next_person_id += 1
    name = people.name(gender, born.year)
    account = user_create(actor=None, username=f"w{rng.getrandbits(64):016x}", password=DEMO_PASSWORD,
                          display_name=name, check_password=False)  # fmt: skip
    PhoneLogin.objects.create(user=account, phone_bidx=phone.index, phone_masked=phone.masked)
    at = timezone.make_aware(dt.datetime.combine(submitted, dt.time(9 + rng.randrange(10), rng.randrange(60))))
    case = case_open(actor=account, kind=JOIN, org=org, subject=SUBJECT)
    case.deadline = kind_of(JOIN).deadline_from(case.status, submitted)
    Case.objects.filter(pk=case.pk).update(opened_at=at, deadline=case.deadline)
    case.steps.update(at=at)
    application = JoinApplication.objects.create(
        name=name, **identity.columns(), **phone.columns(), employer=employer, job_title=JOBS.get(form, ""),
        employment_form=form, region=region, org=org, routed_by=rule, account=account, due_on=case.deadline, case=case,
    )  # fmt: skip
    JoinApplication.objects.filter(pk=application.pk).update(submitted_at=at)
    consents = consents_give_by_account(account=account, categories=CONSENT_CATEGORIES, purpose=CONSENT_PURPOSE,
                                        text_version=NOTICE_VERSION)  # fmt: skip
    ConsentRecord.objects.filter(pk__in=[c.pk for c in consents]).update(given_at=at)
    return application


@transaction.atomic
def load_demo_applications(*, rng: random.Random, log: Callable[[str], None] | None = None, count: int = 30) -> int:
    """Returns how many applications were made (none if the tree has no Zhejiang township unions)."""
    log = log or (lambda message: None)
    townships = list(
        Org.objects.filter(org_type=OrgType.TOWNSHIP, region__code__startswith="33").select_related("region")
    )
    if not townships:
        return 0
    grants = [g for g in Grant.objects.select_related("user", "org") if g.role in access.WRITE_ROLES]
    companies = list(Org.objects.filter(org_type=OrgType.GRASSROOTS, region__code__startswith="33",
                                        employer__isnull=False).select_related("employer")[:50])  # fmt: skip
    people = PeopleGenerator(rng.randrange(10**6))
    today = timezone.localdate()
    made = []
    for i in range(count):
        region = rng.choice(townships).region
        if companies and i % 3 == 0:
            employer, form = rng.choice(companies).employer, "standard"
        else:
            form = rng.choice(GIG)
            employer = employer_resolve(name=rng.choice(PLATFORMS), region=region) if rng.random() < 0.6 else None
        submitted = today - dt.timedelta(days=rng.choice((1, 3, 7, 12, 20, 30, 45)))
        if application := _apply(people, rng, region=region, employer=employer, form=form, submitted=submitted):
            made.append(application)
    for application in made[: len(made) // 4]:
        if cadre := _writer(application.org, grants):
            services.application_accept(actor=cadre, application=application, version=1)
    for application in made[len(made) // 4 : len(made) // 4 + len(made) // 6]:
        if cadre := _writer(application.org, grants):
            reason = "经电话核实，申请人已在原单位工会入会，请办理会员关系接转。"
            services.application_reject(actor=cadre, application=application, version=1, reason=reason)
    escalated = cases_escalate_overdue(today=today, kind=JOIN)
    for org in townships[:2]:
        if cadre := _writer(org, grants):
            services.join_code_create(
                actor=cadre, org=org, label=rng.choice(("快递员流动入会服务站", "户外劳动者驿站入会点"))
            )
    log(f"网上入会：{len(made)} 份申请（{escalated} 份超期已升级），入会二维码 2 个。")
    return len(made)


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members demo)."""
    run.summary.append(f"{load_demo_applications(rng=run.rng, log=run.log)} 份入会申请")
