"""Workforce tests: a competition of 浙江省总工会 made through the services — an electricians' final with the
cast's 张伟 and 李娜 as entrants, five judges and an arbiter (accounts of their own) — and a model worker."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.workforce import services
from gonghui.workforce.models import Judge

YEAR = 2026


def judge_user(username: str, name: str) -> User:
    return User.objects.create(username=username, display_name=name)


def make_event(cast, *, judges: int = 5, theory=("80", "90"), seconds=(3000, 3600)) -> SimpleNamespace:
    actor = cast.users.province_admin
    competition = services.competition_create(actor=actor, org=cast.orgs.zhejiang, name="2026年浙江省职工职业技能大赛",
                                              year=YEAR)  # fmt: skip
    event = services.event_add(actor=actor, competition=competition, occupation="电工", grade="3",
                               held_on=timezone.localdate())  # fmt: skip
    entries, competitors = [], []
    for member, t, s in zip((cast.members.zhang, cast.members.li), theory, seconds, strict=True):
        entry = services.entry_register(actor=actor, event=event, name=member.person.name, unit="杭州示例科技有限公司",
                                        person_ids=[member.person.pk])  # fmt: skip
        competitor = entry.competitors.get()
        services.theory_record(actor=actor, competitor=competitor, theory=Decimal(t), seconds=s)
        entries.append(entry)
        competitors.append(competitor)
    panel = [services.judge_appoint(actor=actor, event=event, user=judge_user(f"judge{i}", f"裁判{i}"),
                                    name=f"裁判{i}") for i in range(judges)]  # fmt: skip
    arbiter = services.judge_appoint(actor=actor, event=event, user=judge_user("arbiter", "仲裁员"), name="仲裁员",
                                     role=Judge.Role.ARBITER)  # fmt: skip
    return SimpleNamespace(competition=competition, event=event, entries=entries, competitors=competitors,
                           judges=panel, arbiter=arbiter, actor=actor)  # fmt: skip


def score_all(ev, values: dict[int, list[str]], *, sign: bool = True) -> None:
    """``values``: competitor index -> one score per judge."""
    for index, scores in values.items():
        for judge, value in zip(ev.judges, scores, strict=True):
            services.score_set(actor=judge.user, judge=judge, competitor=ev.competitors[index], value=Decimal(value))
    if sign:
        for judge in ev.judges:
            services.sheet_sign(actor=judge.user, judge=judge)


def certified(cast, *, judges: int = 5) -> SimpleNamespace:
    """The event scored, signed, ended two days ago and certified (张伟 first)."""
    ev = make_event(cast, judges=judges)
    score_all(ev, {0: ["90", "91", "92", "93", "94"][:judges], 1: ["80", "81", "82", "83", "84"][:judges]})
    services.event_end(actor=ev.actor, event=ev.event, at=timezone.now() - dt.timedelta(days=2))
    services.certificates_issue(actor=ev.actor, event=ev.event)
    return ev


def make_model_worker(cast, person=None):
    worker = services.model_worker_add(actor=cast.users.province_admin, org=cast.orgs.zhejiang,
                                       person=person or cast.members.zhang.person, employer_name="杭州示例科技有限公司",
                                       occupation="电工", health="腰椎间盘突出")  # fmt: skip
    services.honour_add(actor=cast.users.province_admin, model_worker=worker, title="provincial_model", year=2020,
                        conferred_by="浙江省人民政府")  # fmt: skip
    return worker
