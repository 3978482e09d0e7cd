"""Review before publishing, scheduled publishing, withdrawal, pinning; the audience a notice reaches
(property-tested over the cast's tree); read receipts and their counts per union; the overview figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.accounts.services import user_create
from gonghui.cases.models import Case
from gonghui.core.models import AuditEvent
from gonghui.members.models import Membership
from gonghui.members.services import member_create
from gonghui.news import sanitize, selectors, services
from gonghui.news.models import Article, Audience, Kind, Status
from gonghui.news.tests.conftest import draft, notice, publish
from gonghui.testing.cast import valid_id
from gonghui.workforce.models import ModelWorker

pytestmark = pytest.mark.django_db


def test_the_author_may_not_review_and_the_reviewer_is_named(cast):
    article = draft(cast)
    assert article.status == Status.DRAFT and article.case.kind == "news_article"
    article = services.article_step(actor=cast.users.grassroots_admin, article=article, to=Status.REVIEWING,
                                    version=article.version)  # fmt: skip
    with pytest.raises(ValidationError, match="审核人不能是撰稿人本人"):
        services.article_step(actor=cast.users.grassroots_admin, article=article, to=Status.PUBLISHED,
                              version=article.version)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.article_step(actor=cast.users.readonly, article=article, to=Status.PUBLISHED, version=article.version)
    with pytest.raises(Http404):
        services.article_step(actor=cast.users.sibling_admin, article=article, to=Status.PUBLISHED,
                              version=article.version)  # fmt: skip
    with pytest.raises(ValidationError, match="须填写理由"):
        services.article_step(
            actor=cast.users.province_admin, article=article, to=Status.DRAFT, version=article.version
        )
    returned = services.article_step(actor=cast.users.province_admin, article=article, to=Status.DRAFT,
                                     version=article.version, note="标题请写明范围")  # fmt: skip
    assert returned.status == Status.DRAFT and returned.case.status == Status.DRAFT
    edited = services.article_update(actor=cast.users.grassroots_admin, article=returned, version=returned.version,
                                     title="关于做好本公司夏季防暑降温工作的通知", body="请做好防暑降温。",
                                     kind=Kind.ARTICLE, category="news", audience=Audience.SUBTREE)  # fmt: skip
    assert edited.body == "<p>请做好防暑降温。</p>"
    done = publish(cast, edited)
    assert done.status == Status.PUBLISHED and done.reviewer == cast.users.province_admin and done.reviewed_at
    assert done.audience_size == 2  # 张伟 and 李娜 in the company
    assert Case.objects.get(pk=done.case_id).closed_at is not None
    actions = list(AuditEvent.objects.filter(object_id=str(done.pk), action__startswith="news.").values_list(
        "action", flat=True))  # fmt: skip
    assert actions.count("news.article_step") == 4 and "news.article_create" in actions
    with pytest.raises(ValidationError, match="只有草稿可以修改"):
        services.article_update(actor=cast.users.grassroots_admin, article=done, version=done.version, title="x",
                                body="y", kind=Kind.ARTICLE, category="news", audience=Audience.SUBTREE)  # fmt: skip


def test_bad_input_is_reported_at_once_and_nothing_is_saved(cast):
    with pytest.raises(ValidationError) as error:
        draft(
            cast,
            title=" ",
            body="<script>alert(1)</script>",
            audience=Audience.CHOSEN,
            targets=[cast.orgs.nanjing],
            receipt_required=True,
            publish_at=timezone.now() - dt.timedelta(hours=1),
        )
    assert set(error.value.message_dict) == {"title", "body", "targets", "receipt_required", "publish_at"}
    assert error.value.message_dict["targets"] == ["只能选择发布工会的下属工会。"]
    with pytest.raises(ValidationError, match="公开发布的资讯不能限定就业形态"):
        draft(cast, audience=Audience.PUBLIC, forms=["courier"])
    with pytest.raises(Http404):
        draft(cast, author=cast.users.sibling_admin)
    assert not Article.objects.exists() and not Case.objects.exists()


def test_scheduled_withdrawn_and_pinned(cast):
    zhang = Membership.objects.select_related("org", "person").get(person=cast.members.zhang.person)
    later = timezone.now() + dt.timedelta(days=2)
    article = publish(cast, draft(cast, publish_at=later))
    assert article.status == Status.PUBLISHED and article.published_at == later and article.scheduled
    assert not selectors.reaching(zhang).filter(pk=article.pk).exists()  # checked on read: not yet
    assert selectors.reaching(zhang, now=later + dt.timedelta(minutes=1)).filter(pk=article.pk).exists()
    assert selectors.published_this_year(cast.users.province_admin) == 0
    now = publish(cast, draft(cast, title="职工书屋开放时间调整"))
    now = services.article_pin(actor=cast.users.grassroots_admin, article=now, pinned=True, version=now.version)
    assert [a.pk for a in selectors.feed_for(cast.users.worker)] == [now.pk]
    with pytest.raises(ValidationError, match="须填写理由"):
        services.article_step(actor=cast.users.grassroots_admin, article=now, to=Status.WITHDRAWN, version=now.version)
    gone = services.article_step(actor=cast.users.grassroots_admin, article=now, to=Status.WITHDRAWN,
                                 version=now.version, note="内容有误")  # fmt: skip
    assert gone.status == Status.WITHDRAWN and not gone.pinned and gone.withdrawn_at
    assert not selectors.feed_for(cast.users.worker).exists()
    with pytest.raises(ValidationError, match="只有已发布的资讯可以置顶"):
        services.article_pin(actor=cast.users.grassroots_admin, article=gone, pinned=True, version=gone.version)


XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="JaVaScRiPt:alert(1)">点我</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">点我</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg onload="alert(1)"><circle /></svg>',
    '<p onclick="alert(1)" style="background:url(javascript:alert(1))">段落</p>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example/"><input name="pw"></form>',
    '<object data="x.swf"></object><embed src="x.swf">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="&#106;avascript:alert(1)">编码</a>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    "<div><p>正常<strong>加粗</strong></p></div><!-- <script>alert(1)</script> -->",
]


@pytest.mark.security
@pytest.mark.parametrize("payload", XSS)
def test_rich_text_is_sanitised(payload):
    out = sanitize.clean("<p>前言</p>" + payload).lower()
    for bad in ("<script", "onerror", "onload", "onclick", "javascript:", "data:", "<iframe", "<img", "<svg",
                "style", "<form", "<input", "<object", "<embed", "<meta", "<base", "<!--"):  # fmt: skip
        assert bad not in out, (payload, out)
    assert "前言" in out


def test_links_keep_their_address_and_get_rel():
    assert sanitize.clean('<a href="https://www.acftu.org/" target="_blank">全总</a>') == (
        '<a href="https://www.acftu.org/" rel="noopener noreferrer nofollow">全总</a>'
    )


# ----- the audience ----------------------------------------------------------------------------------------------

FORMS = ("standard", "courier", "food_delivery", "ride_hailing")


@pytest.fixture
def tree(cast):
    """Members in more places of the cast's tree (the cast has two in the company and one in Nanjing); two of
    them, in different unions, are model workers (the group "model_workers" the workforce app declares)."""
    o = cast.orgs
    for i, (org, form) in enumerate([(o.xixi, "courier"), (o.company, "ride_hailing"), (o.logistics, "standard"),
                                     (o.xixi, "food_delivery")]):  # fmt: skip
        person = member_create(actor=None, org=org, name=f"会员{i}", id_number=valid_id(f"33010619900101{i:02d}3"),
                               phone="", employment_form=form).person  # fmt: skip
        if i in (0, 2):
            ModelWorker.objects.create(org=org, person=person, employer_name="示例单位")
    return cast


def _published(org, audience, targets, forms, groups=()):
    """A published article written straight to the tables (the property is about the audience, the workflow is
    tested above; this keeps each example to a few statements)."""
    fields = services._checked(org=org, kind="notice", category="notice", title="通知", body="正文", audience=audience,
                               targets=targets, forms=forms, groups=list(groups), receipt_required=True,
                               publish_at=None)  # fmt: skip
    fields.pop("targets")
    case = Case.objects.create(org=org, kind="news_article", status=Status.PUBLISHED, subject="资讯通知审核发布")
    article = Article.objects.create(org=org, case=case, status=Status.PUBLISHED, published_at=timezone.now(),
                                     **fields)  # fmt: skip
    services._set_targets(article, targets)
    article.audience_size = selectors.audience_count(article)
    return article


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_notice_reaches_exactly_its_subtree_forms_and_groups(tree, data):
    o = tree.orgs
    publisher = data.draw(st.sampled_from([o.national, o.zhejiang, o.hangzhou, o.xihu, o.jiangsu]), label="by")
    audience = data.draw(st.sampled_from(Audience.values), label="audience")
    below = [x for x in vars(o).values() if x.path.startswith(publisher.path) and x.pk != publisher.pk]
    targets = data.draw(st.lists(st.sampled_from(below), min_size=1, max_size=3, unique_by=lambda x: x.pk),
                        label="targets") if audience == Audience.CHOSEN else []  # fmt: skip
    forms = [] if audience == Audience.PUBLIC else data.draw(st.lists(st.sampled_from(FORMS), unique=True, max_size=2))
    groups = [] if audience == Audience.PUBLIC else data.draw(st.sampled_from([[], ["model_workers"]]), label="groups")
    article = _published(publisher, audience, targets, forms, groups)
    model_workers = set(ModelWorker.objects.values_list("person_id", flat=True))
    reached = 0
    for m in Membership.objects.filter(status="active").select_related("org", "person"):
        expected = (m.org.path.startswith(publisher.path)
                    and (audience != Audience.CHOSEN or any(m.org.path.startswith(t.path) for t in targets))
                    and (not forms or m.person.employment_form in forms)
                    and (not groups or m.person_id in model_workers))  # fmt: skip
        reached += expected
        assert selectors.reaching(m).filter(pk=article.pk).exists() == expected, (m.org.name, m.person.name)
    assert article.audience_size == reached


# ----- receipts --------------------------------------------------------------------------------------------------


def test_receipts_counted_per_union_and_drilled_down(tree, django_assert_num_queries):
    o = tree.orgs
    article = notice(tree, org=o.zhejiang, author=tree.users.province_admin, reviewer=tree.users.national_admin)
    zhang = tree.users.worker
    li = user_create(actor=None, username="lina", password="Gonghui-test-2021", person=tree.members.li.person,
                     check_password=False)  # fmt: skip
    services.reading_mark(user=li, article=article)  # opened, not confirmed
    services.receipt_confirm(actor=zhang, article=article)
    again = services.receipt_confirm(actor=zhang, article=article)  # a second time changes nothing
    article = Article.objects.select_related("org").get(pk=article.pk)  # as the page reads it
    assert article.receipt_count == 1 and again.confirmed_at
    with django_assert_num_queries(3):
        rows = selectors.receipt_breakdown(article, o.zhejiang)
    assert [(r["org"].name, r["reached"], r["read"]) for r in rows] == [("杭州市总工会", 5, 1)]
    rows = selectors.receipt_breakdown(article, o.xihu)
    assert [(r["org"].name, r["own"], r["reached"], r["read"]) for r in rows] == [
        ("西溪街道工会", False, 2, 0),
        ("杭州示例科技有限公司工会", False, 3, 1),
    ]
    assert [r.person.name for r in selectors.readers_at(article, o.company)] == ["张伟"]
    with pytest.raises(Http404):
        selectors.receipt_node(tree.users.province_admin, article, o.nanjing.pk)
    plain = publish(tree, draft(tree))
    with pytest.raises(ValidationError, match="不需要阅读回执"):
        services.receipt_confirm(actor=zhang, article=plain)
    assert AuditEvent.objects.filter(action="news.receipt_confirm").count() == 1
    # the figures: this year's notice read by 1 of the 5 it reached, two published articles
    assert selectors.read_rate(tree.users.province_admin) == Decimal("20.0") == selectors.read_rate_under(o.zhejiang)
    assert selectors.published_this_year(tree.users.province_admin) == 2 == selectors.published_this_year_under(
        o.zhejiang)  # fmt: skip
    assert selectors.published_this_year(tree.users.sibling_admin) == 0 == selectors.read_rate_under(o.jiangsu)
