"""演示数据: 全总's public article, each demo province's news and a notice with read receipts (a part of its
members have confirmed), a notice to the riders of one province, and a scheduled article; written by the
province's demo cadre where there is one and reviewed by 全总's."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.core.registry import DemoRun
from gonghui.members.models import Membership
from gonghui.news import selectors, services
from gonghui.news.models import Article, Audience, Category, Kind, Reading, SensitiveWord, Status
from gonghui.orgs.models import Org, OrgType

PUBLIC = ("全国总工会发布新就业形态劳动者权益保障十项举措",
          "<p>全国总工会近日发布十项举措，推动快递员、外卖配送员、网约车司机等新就业形态劳动者<strong>应入尽入</strong>。</p>"
          "<ul><li>货车司机、网约车司机入会“一键办理”</li><li>工会驿站向所有户外劳动者开放</li>"
          "<li>职工法律援助覆盖新就业形态劳动者</li></ul>")  # fmt: skip
NEWS = ("{name}召开“中国梦·劳动美”主题宣传教育工作会议",
        "<p>会议部署了本年度职工思想政治引领、劳模工匠精神宣讲和职工书屋建设工作。</p>"
        "<p>各级工会要把宣讲送到车间班组、项目工地和新就业形态劳动者身边。</p>")  # fmt: skip
NOTICE = ("关于开展{year}年度会员信息核对工作的通知",
          "<p>各基层工会：</p><p>请于本月底前组织会员在“我的个人信息”中核对本人工作单位、就业形态和联系方式，"
          "发现错误及时向所在工会反映。</p><p>请会员阅读后点击“我已阅读”。</p>")  # fmt: skip
RIDERS = (
    "致全省快递员、外卖配送员的一封信",
    "<p>高温天气来临，工会驿站为您提供饮用水、防暑药品和休息场所，请注意防暑降温、安全驾驶。</p>",
)
MODEL_WORKERS = (
    "关于组织劳模参加年度健康体检的通知",
    "<p>请在册劳模于本月内到指定医院参加年度健康体检，体检费用由工会劳模专项经费列支。</p>",
)
SCHEDULED = ("“安康杯”竞赛活动启动", "<p>本年度“安康杯”竞赛活动将于下周启动，请各级工会做好准备。</p>")


def _banner() -> bytes:
    """The demo's article image: a red banner with a gold band (drawn, no file to ship)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 400), (196, 30, 36))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 960, 340), fill=(240, 190, 60))
    for x in range(60, 960, 180):
        draw.ellipse((x, 90, x + 100, 190), outline=(250, 220, 120), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _publish(*, author, reviewer, org: Org, title: str, body: str, image: bool = False, **extra) -> Article:
    article = services.article_create(actor=author, org=org, title=title, body=body, **extra)
    if image:  # a photo, inserted into the draft as a writer would
        from django.core.files.uploadedfile import SimpleUploadedFile

        services.image_add(actor=author, article=article, file=SimpleUploadedFile("驿站.png", _banner()),
                           version=article.version, alt="工会驿站")  # fmt: skip
        article.refresh_from_db()
    article = services.article_step(actor=author, article=article, to=Status.REVIEWING, version=article.version)
    return services.article_step(actor=reviewer, article=article, to=Status.PUBLISHED, version=article.version)


def _receipts(article: Article, rng, share: float) -> int:
    """A share of the members the notice reaches have confirmed (written directly: there is no request)."""
    members = list(Membership.objects.filter(selectors.audience_q(article)).values_list("person_id", "org_id",
                                                                                       "org__path")[:2000])  # fmt: skip
    chosen = [m for m in members if rng.random() < share]
    now = timezone.now()
    Reading.objects.bulk_create([Reading(article=article, person_id=p, org_id=o, org_path=path, read_at=now,
                                         confirmed_at=now) for p, o, path in chosen])  # fmt: skip
    Article.objects.filter(pk=article.pk).update(receipt_count=F("receipt_count") + len(chosen))
    return len(chosen)


@transaction.atomic
def load_demo_news(rng) -> tuple[int, int]:
    national = Org.objects.filter(org_type=OrgType.NATIONAL).order_by("pk").first()
    if national is None:
        return 0, 0
    users = {u.username: u for u in User.objects.filter(username__in=("quanzong", "zhejiang", "shengzong"))}
    reviewer = users.get("quanzong")
    _publish(author=None, reviewer=reviewer, org=national, title=PUBLIC[0], body=PUBLIC[1],
             audience=Audience.PUBLIC, category=Category.RIGHTS, image=True)  # fmt: skip
    year = timezone.localdate().year
    receipts = 0
    provinces = list(Org.objects.filter(parent=national, org_type=OrgType.PROVINCE).order_by("path"))
    for i, province in enumerate(provinces):
        author = next((users[u] for u in ("zhejiang", "shengzong") if u in users
                       and users[u].grants.filter(org=province).exists()), None)  # fmt: skip
        _publish(author=author, reviewer=reviewer, org=province, title=NEWS[0].format(name=province.name),
                 body=NEWS[1], category=Category.EDUCATION)  # fmt: skip
        notice = _publish(
            author=author,
            reviewer=reviewer,
            org=province,
            title=NOTICE[0].format(year=year),
            body=NOTICE[1],
            kind=Kind.NOTICE,
            category=Category.NOTICE,
            receipt_required=True,
        )
        if i == 0:
            services.article_pin(actor=reviewer, article=notice, pinned=True, version=notice.version)
            _publish(author=author, reviewer=reviewer, org=province, title=RIDERS[0], body=RIDERS[1],
                     kind=Kind.NOTICE, forms=["courier", "food_delivery"], receipt_required=True)  # fmt: skip
            _publish(author=author, reviewer=reviewer, org=province, title=MODEL_WORKERS[0], body=MODEL_WORKERS[1],
                     kind=Kind.NOTICE, groups=["model_workers"], receipt_required=True)  # fmt: skip
            later = services.article_create(actor=author, org=province, title=SCHEDULED[0], body=SCHEDULED[1],
                                            publish_at=timezone.now() + dt.timedelta(days=3))  # fmt: skip
            later = services.article_step(actor=author, article=later, to=Status.REVIEWING, version=later.version)
            services.article_step(actor=reviewer, article=later, to=Status.PUBLISHED, version=later.version)
        receipts += _receipts(notice, rng, 0.35 + 0.1 * (i % 4))
    _comments(users, national)
    return Article.objects.count(), receipts


# 全总's bank: (kind, text, options, answer, category, difficulty).
QUESTIONS = [
    ("single", "《中华人民共和国工会法》规定，工会是中国共产党领导的职工自愿结合的什么组织？",
     ["工人阶级群众组织", "行业协会", "事业单位", "社会团体联合会"], "A", "工会法", "easy"),
    ("single", "基层工会委员会每届任期为几年？", ["一至二年", "三年或者五年", "六年", "十年"], "B", "工会法", "medium"),
    ("single", "建立基层工会委员会，会员人数须达到多少人以上？", ["十人", "二十五人", "五十人", "一百人"], "B",
     "工会法", "medium"),
    ("single", "工会经费中，建立工会组织的用人单位按全部职工工资总额的多少向工会拨缴？",
     ["百分之一", "百分之二", "百分之三", "百分之五"], "B", "工会经费", "medium"),
    ("single", "全国劳动模范每几年评选表彰一次？", ["一年", "三年", "五年", "十年"], "C", "劳模工匠", "hard"),
    ("single", "职工因工作遭受事故伤害，应当在多少日内申请工伤认定（用人单位未申请时本人可在一年内申请）？",
     ["十日", "十五日", "三十日", "六十日"], "C", "安全生产", "hard"),
    ("multiple", "下列哪些人员属于新就业形态劳动者？", ["快递员", "外卖配送员", "网约车司机", "公务员"], "ABC",
     "新就业形态", "easy"),
    ("multiple", "工会的基本职责包括哪些？", ["维护职工合法权益", "竭诚服务职工群众", "决定企业经营方针",
     "组织职工参与民主管理"], "ABD", "工会章程", "medium"),
    ("multiple", "职工代表大会的职权包括哪些？", ["审议企业重大决策", "审议通过集体合同草案",
     "选举职工董事、职工监事", "决定企业股权转让价格"], "ABC", "民主管理", "hard"),
    ("multiple", "高温天气户外作业，用人单位应当做到哪些？", ["发放高温津贴", "调整作息时间", "提供防暑降温饮料",
     "要求职工延长加班"], "ABC", "安全生产", "easy"),
    ("judge", "工会会员享有选举权、被选举权和表决权。", [], "正确", "工会章程", "easy"),
    ("judge", "用人单位可以因职工参加工会活动而降低其工资。", [], "错误", "工会法", "easy"),
    ("judge", "集体合同订立后，应当报送劳动行政部门。", [], "正确", "集体合同", "medium"),
    ("judge", "劳务派遣工不能加入用工单位的工会。", [], "错误", "新就业形态", "medium"),
    ("judge", "女职工在孕期、产期、哺乳期内，用人单位不得降低其工资。", [], "正确", "女职工权益", "easy"),
]  # fmt: skip


@transaction.atomic
def load_demo_contest(rng) -> int:
    """全总's bank and 知识竞赛 open for two weeks to every member; entries of members in each demo province
    (written directly: there is no request), scored as the server scores them."""
    from gonghui.news import contest_services
    from gonghui.news.models import Attempt, AttemptQuestion, Question

    national = Org.objects.filter(org_type=OrgType.NATIONAL).order_by("pk").first()
    if national is None:
        return 0
    bank = [Question.objects.create(org=national, **contest_services.checked_question(
        kind=k, text=t, options=o, answer=a, category=c, difficulty=d)) for k, t, o, a, c, d in QUESTIONS]  # fmt: skip
    now = timezone.now()
    contest = contest_services.contest_create(
        actor=None, org=national, title=f"{timezone.localdate().year}年“尊法学法守法用法”职工法律知识竞赛",
        description="每次随机抽取 5 道题，10 分钟内答完，每人可答 2 次，取最好成绩。",
        starts_at=now - dt.timedelta(days=3), ends_at=now + dt.timedelta(days=14), question_count=5,
        time_limit_minutes=10, attempts_allowed=2)  # fmt: skip
    provinces = list(Org.objects.filter(parent=national, org_type=OrgType.PROVINCE).order_by("path"))
    entries = 0
    for province in provinces:
        members = list(Membership.objects.filter(org__path__startswith=province.path, status=Membership.Status.ACTIVE)
                       .exclude(person__account__username="zhigong").select_related("org")
                       .order_by("pk")[:8])  # fmt: skip
        for m in members:
            drawn = rng.sample(bank, contest.question_count)
            right = [rng.random() < 0.72 for _ in drawn]
            started = now - dt.timedelta(days=rng.randint(0, 2), minutes=rng.randint(20, 600))
            seconds = rng.randint(60, 540)
            attempt = Attempt.objects.create(
                contest=contest, person_id=m.person_id, number=1, org=m.org, org_path=m.org.path, started_at=started,
                deadline=started + dt.timedelta(minutes=10), submitted_at=started + dt.timedelta(seconds=seconds),
                correct=sum(right), total=len(drawn), score=round(sum(right) * 100 / len(drawn)),
                seconds=seconds)  # fmt: skip
            AttemptQuestion.objects.bulk_create([
                AttemptQuestion(attempt=attempt, question=q, position=i, right=ok,
                                chosen=q.answer if ok else ("B" if q.answer[:1] == "A" else "A"))
                for i, (q, ok) in enumerate(zip(drawn, right, strict=True), start=1)])  # fmt: skip
            entries += 1
    return entries


def _comments(users, national: Org) -> None:
    """The demo worker comments on what reaches them (one held by a sensitive word) and likes it; the demo
    province pre-moderates nothing, the sensitive-word list has two entries."""
    for word in ("罢工", "上访"):
        SensitiveWord.objects.get_or_create(word=word)
    worker = User.objects.filter(username="zhigong").select_related("person").first()
    if worker is None or worker.person_id is None:
        return
    shown = list(selectors.feed_for(worker)[:2])
    texts = ("学习了，我们班组周五一起核对信息。", "希望驿站夏天多备些绿豆汤，不然大家都想罢工了")
    for article, text in zip(shown, texts, strict=False):
        services.comment_create(actor=worker, article=article, text=text)
        services.like_toggle(actor=worker, article=article)


# (kind, topic, place, starts: days from now and the hour (None: half an hour ago), minutes, summary)
TALKS = [
    (
        "talk",
        "劳模工匠进车间：精益求精的质量故事",
        "一号车间休息室",
        (-20, 14),
        60,
        "劳模讲述技术攻关和质量改进的经历。",
    ),
    ("study", "班组学习：新修订《安全生产法》要点", "班组活动室", None, 90, "逐条学习从业人员的权利和义务。"),
    (
        "talk",
        "送教到基层：新就业形态劳动者入会与权益保障",
        "工会驿站",
        (3, 10),
        60,
        "讲解入会方式、驿站服务和法律援助。",
    ),
]
MATERIAL = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)  # the demo's handout


def _demo_unions() -> list[Org]:
    """The demo worker's union, and one grassroots union in each other demo province."""
    worker = User.objects.filter(username="zhigong").first()
    membership = selectors.membership_of(worker) if worker else None
    unions = [membership.org] if membership else []
    national = Org.objects.filter(org_type=OrgType.NATIONAL).order_by("pk").first()
    for province in Org.objects.filter(parent=national, org_type=OrgType.PROVINCE).order_by("path"):
        if any(u.path.startswith(province.path) for u in unions):
            continue
        union = Org.objects.filter(path__startswith=province.path, org_type=OrgType.GRASSROOTS).order_by("path").first()
        if union is not None:
            unions.append(union)
    return unions


def load_demo_talks(rng) -> tuple[int, int]:
    """Talks of the demo unions: a past one by a model worker of the registry above the union with a handout and
    sign-ins, a study session under way (the demo worker can sign in), one next week; (talks, sign-ins)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gonghui.news import talk_services
    from gonghui.news.models import Talk, TalkAttendance
    from gonghui.workforce.models import ModelWorker

    now = timezone.localtime()
    talks = signins = 0
    for union in _demo_unions():
        chain = [*union.ancestor_paths(), union.path]
        speaker = ModelWorker.objects.filter(org__path__in=chain).select_related("person").order_by("pk").first()
        for i, (kind, topic, place, when, minutes, summary) in enumerate(TALKS):
            if when is None:
                starts = now - dt.timedelta(minutes=30)
            else:
                starts = (now + dt.timedelta(days=when[0])).replace(hour=when[1], minute=0, second=0, microsecond=0)
            by_model_worker = i == 0 and speaker is not None
            talk = talk_services.talk_create(actor=None, org=union, kind=kind, topic=topic, place=place,
                                             starts_at=starts, minutes=minutes, summary=summary,
                                             speaker=speaker if by_model_worker else None,
                                             speaker_name="" if by_model_worker else "市总工会职工宣讲团")  # fmt: skip
            talks += 1
            if i:
                continue
            talk_services.material_add(actor=None, talk=talk, file=SimpleUploadedFile("宣讲提纲.pdf", MATERIAL),
                                       file_name="宣讲提纲.pdf")  # fmt: skip
            people = (Membership.objects.filter(org__path__startswith=union.path, status=Membership.Status.ACTIVE)
                      .exclude(person__account__username="zhigong").values_list("person_id", "org__path"))  # fmt: skip
            chosen = [p for p in people[:40] if rng.random() < 0.6]
            TalkAttendance.objects.bulk_create([TalkAttendance(talk=talk, person_id=p, org_path=path,
                                                               recorded_at=starts + dt.timedelta(minutes=5))
                                                for p, path in chosen])  # fmt: skip
            Talk.objects.filter(pk=talk.pk).update(attendance=len(chosen))
            signins += len(chosen)
    return talks, signins


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members, activities and workforce demos)."""
    articles, receipts = load_demo_news(run.rng)
    entries = load_demo_contest(run.rng)
    talks, signins = load_demo_talks(run.rng)
    run.summary.append(
        f"{articles} 条资讯通知（{receipts} 份阅读回执），1 场知识竞赛（{len(QUESTIONS)} 道题，{entries} 份答卷），"
        f"{talks} 场宣讲和班组学习（{signins} 人次签到）"
    )
