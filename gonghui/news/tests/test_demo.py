"""The demo: 全总's public article, news and a notice with receipts in each demo province, one to riders."""

import random

from gonghui.members.demo import load_demo
from gonghui.news.demo import load_demo_news
from gonghui.news.models import Article, Comment, Like, Reading


def test_demo_news(db):
    load_demo(members=300, seed=3, provinces={"33", "32"})
    articles, receipts = load_demo_news(random.Random(3))
    assert articles == Article.objects.count() == 7  # 1 public, 2 per province, the riders' letter and a scheduled one
    assert receipts == Reading.objects.filter(confirmed_at__isnull=False).count() > 20
    notices = Article.objects.filter(receipt_required=True, forms="")
    assert all(0 < n.receipt_count < n.audience_size for n in notices) and notices.count() == 2
    assert Article.objects.filter(reviewer__username="quanzong").count() == articles
    assert Article.objects.filter(author__username="zhejiang").exists()
    assert Article.objects.filter(forms=",courier,food_delivery,").exists()
    assert Comment.objects.filter(status="pending", flagged="罢工").count() == 1 and Like.objects.count() == 2
