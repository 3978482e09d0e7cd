"""On a phone, a member opens a notice from the feed and confirms 我已阅读; the cadre's pages on a desktop and a
phone. Screenshots go to /tmp/shots/news."""

import pytest

from gonghui.news import services
from gonghui.news.tests.conftest import draft, notice, publish
from gonghui.venues.tests import test_browser as kit

SHOTS = "/tmp/shots/news"  # noqa: S108 — screenshots for people to look at, not data


@pytest.mark.browser
def test_member_reads_a_notice_and_confirms_on_a_phone(browser, live_server, transactional_db, cast, monkeypatch):
    monkeypatch.setattr(kit, "SHOTS", SHOTS)
    body = ("<p>各基层工会：</p><p>请于本月底前组织会员核对本人<strong>工作单位、就业形态和联系方式</strong>。</p>"
            "<ul><li>登录智慧工会</li><li>打开“我的个人信息”</li><li>核对后点击“我已阅读”</li></ul>")  # fmt: skip
    article = notice(cast, title="关于开展会员信息核对工作的通知", body=body)
    services.moderation_set(actor=None, org=cast.orgs.company, premoderate=True)
    publish(cast, draft(cast, title="职工书屋新书推荐：《大国工匠》", body="<p>本月新到图书 120 册。</p>"))
    phone = kit._page(browser, live_server, cast.users.worker, kit.PHONE)
    phone.goto(f"{live_server.url}/news/feed/")
    kit._fits(phone)
    assert phone.locator("[data-unread]").count() == 2
    phone.screenshot(path=f"{SHOTS}/news-feed-phone.png", full_page=True)
    phone.locator(f"[data-article='{article.pk}']").click()
    phone.wait_for_selector("text=我已阅读")
    kit._fits(phone)
    phone.screenshot(path=f"{SHOTS}/news-read-phone.png", full_page=True)
    phone.locator("button:has-text('我已阅读')").click()
    phone.wait_for_selector("[data-receipt]")
    phone.fill("textarea[name=text]", "收到，我的电话 13812345678 有变化，已经改好了。")
    phone.locator("button:has-text('发表评论')").click()
    phone.wait_for_selector("[data-comment=pending]")
    assert "138****5678" in phone.content() and "13812345678" not in phone.content()
    kit._fits(phone)
    phone.screenshot(path=f"{SHOTS}/news-read-confirmed-phone.png", full_page=True)
    phone.goto(f"{live_server.url}/news/feed/")
    assert phone.locator("[data-unread]").count() == 1
    assert not phone.problems, phone.problems
    phone.context.close()
    for viewport, suffix in ((kit.DESKTOP, "desktop"), (kit.PHONE, "phone")):
        desk = kit._page(browser, live_server, cast.users.grassroots_admin, viewport)
        for name, path in (("list", "/news/"), ("detail", f"/news/{article.pk}/"), ("new", "/news/new/"),
                           ("receipts", f"/news/{article.pk}/receipts/?org={cast.orgs.company.pk}"),
                           ("comments", "/news/comments/")):  # fmt: skip
            desk.goto(f"{live_server.url}{path}")
            kit._fits(desk)
            desk.screenshot(path=f"{SHOTS}/news-{name}-{suffix}.png", full_page=True)
        assert "张伟" in desk.content()
        assert not desk.problems, desk.problems
        desk.context.close()


@pytest.mark.browser
def test_member_takes_a_quiz_on_a_phone(browser, live_server, transactional_db, cast, monkeypatch):
    """知识竞赛: from the tile's list to the result and the leaderboards; the cadre's contest page."""
    from gonghui.news.models import Attempt
    from gonghui.news.tests.conftest import a_contest

    monkeypatch.setattr(kit, "SHOTS", SHOTS)
    contest = a_contest(cast, org=cast.orgs.zhejiang, n=3, title="“安康杯”安全生产知识竞赛")
    phone = kit._page(browser, live_server, cast.users.worker, kit.PHONE)
    phone.goto(f"{live_server.url}/news/quizzes/")
    kit._fits(phone)
    phone.screenshot(path=f"{SHOTS}/quiz-list-phone.png", full_page=True)
    phone.locator(f"[data-contest='{contest.pk}']").click()
    phone.locator("button:has-text('开始答题')").click()
    phone.wait_for_selector("[data-deadline]")
    kit._fits(phone)
    phone.screenshot(path=f"{SHOTS}/quiz-attempt-phone.png", full_page=True)
    attempt = Attempt.objects.get(contest=contest)
    for item in attempt.items.select_related("question"):  # the right answers, known to the test only
        for letter in item.question.answer:
            phone.locator(f"#q{item.position}{letter}").check()
    phone.locator("button:has-text('交卷')").click()
    phone.wait_for_selector("[data-score]")
    assert "得分 100" in phone.locator("[data-score]").inner_text()
    kit._fits(phone)
    phone.screenshot(path=f"{SHOTS}/quiz-result-phone.png", full_page=True)
    phone.goto(f"{live_server.url}/news/quizzes/{contest.pk}/")
    assert "我的名次：第 1 名" in phone.content()
    kit._fits(phone)
    phone.screenshot(path=f"{SHOTS}/quiz-board-phone.png", full_page=True)
    assert not phone.problems, phone.problems
    phone.context.close()
    for viewport, suffix in ((kit.DESKTOP, "desktop"), (kit.PHONE, "phone")):
        desk = kit._page(browser, live_server, cast.users.province_admin, viewport)
        for name, path in (("contests", "/news/contests/"), ("contest", f"/news/contests/{contest.pk}/"),
                           ("bank", "/news/bank/"), ("import", "/news/bank/import/"),
                           ("contest-new", "/news/contests/new/")):  # fmt: skip
            desk.goto(f"{live_server.url}{path}")
            kit._fits(desk)
            desk.screenshot(path=f"{SHOTS}/quiz-{name}-{suffix}.png", full_page=True)
        assert not desk.problems, desk.problems
        desk.context.close()
