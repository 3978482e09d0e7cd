"""The demo: the grassroots union 'jiceng' chairs gets its committee (its accountant kept off), this year's budget
review with one rectification closed by the director's work account and one still open."""

from gonghui.fundreview.demo import load_demo_fundreview
from gonghui.fundreview.models import CommitteeMember, Finding, Officer
from gonghui.members.demo import load_demo


def test_the_demo_audit(db):
    load_demo(members=120, seed=3, provinces={"33"}, batch_size=500)
    made = load_demo_fundreview()
    assert made is not None and made["members"] == 3
    assert dict(Finding.objects.values_list("status", "title").order_by("status")) == {
        "closed": "慰问品发放清单缺少签收记录", "rectifying": "职工活动支出超预算未履行调整程序"}  # fmt: skip
    accountant = Officer.objects.get().person
    assert not CommitteeMember.objects.filter(person=accountant).exists()
    assert CommitteeMember.objects.get(role="director").account.username == "jingshen"
    assert load_demo_fundreview() is None  # once
