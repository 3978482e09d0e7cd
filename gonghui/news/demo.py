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
SCHEDULED = ("“安康杯”竞赛活动启动", "<p>本年度“安康杯”竞赛活动将于下周启动，请各级工会做好准备。</p>")


def _publish(*, author, reviewer, org: Org, title: str, body: str, **extra) -> Article:
    article = services.article_create(actor=author, org=org, title=title, body=body, **extra)
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
             audience=Audience.PUBLIC, category=Category.RIGHTS)  # fmt: skip
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
            later = services.article_create(actor=author, org=province, title=SCHEDULED[0], body=SCHEDULED[1],
                                            publish_at=timezone.now() + dt.timedelta(days=3))  # fmt: skip
            later = services.article_step(actor=author, article=later, to=Status.REVIEWING, version=later.version)
            services.article_step(actor=reviewer, article=later, to=Status.PUBLISHED, version=later.version)
        receipts += _receipts(notice, rng, 0.35 + 0.1 * (i % 4))
    _comments(users, national)
    return Article.objects.count(), receipts


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


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members and activities demos)."""
    articles, receipts = load_demo_news(run.rng)
    run.summary.append(f"{articles} 条资讯通知（{receipts} 份阅读回执）")
