"""The demo: 全总's public article, news and a notice with receipts in each demo province, one to riders."""

import random

from gonghui.members.demo import load_demo
from gonghui.news.demo import QUESTIONS, load_demo_contest, load_demo_news
from gonghui.news.models import Article, ArticleImage, Attempt, Comment, Contest, Like, Question, Reading
from gonghui.orgs.models import PATH_SEGMENT_WIDTH


def test_demo_news(db):
    load_demo(members=300, seed=3, provinces={"33", "32"})
    articles, receipts = load_demo_news(random.Random(3))
    # 1 public, 2 per province, the riders' letter, the model workers' notice and a scheduled one
    assert articles == Article.objects.count() == 8
    assert receipts == Reading.objects.filter(confirmed_at__isnull=False).count() > 20
    notices = Article.objects.filter(receipt_required=True, forms="", groups="")
    assert all(0 < n.receipt_count < n.audience_size for n in notices) and notices.count() == 2
    assert Article.objects.filter(reviewer__username="quanzong").count() == articles
    assert Article.objects.filter(author__username="zhejiang").exists()
    assert Article.objects.filter(forms=",courier,food_delivery,").exists()
    assert Article.objects.filter(groups=",model_workers,", receipt_required=True).exists()
    assert Article.objects.filter(body__contains='<img src="/news/images/').count() == ArticleImage.objects.count() == 1
    assert Comment.objects.filter(status="pending", flagged="罢工").count() == 1 and Like.objects.count() == 2
    entries = load_demo_contest(random.Random(3))
    contest = Contest.objects.get()
    assert Question.objects.count() == len(QUESTIONS) and contest.is_open()
    provinces = {
        path[: len(contest.org.path) + PATH_SEGMENT_WIDTH + 1]
        for path in Attempt.objects.values_list("org_path", flat=True)
    }
    assert entries == Attempt.objects.filter(submitted_at__isnull=False).count() > 8 and len(provinces) == 2
    assert all(a.score == round(a.items.filter(right=True).count() * 100 / a.total) for a in Attempt.objects.all())
    from gonghui.news.demo import TALKS, load_demo_talks
    from gonghui.news.models import Talk, TalkAttendance, TalkMaterial

    talks, signins = load_demo_talks(random.Random(3))
    unions = TalkMaterial.objects.count()
    assert talks == Talk.objects.count() == unions * len(TALKS) and unions == 2  # the demo worker's and 江苏's
    assert signins == TalkAttendance.objects.count() > 0
