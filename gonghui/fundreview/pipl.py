"""The person's copy (个人信息副本): the posts they hold on fund review committees and in the register of
chairs and finance staff."""

from gonghui.fundreview.models import CommitteeMember, Officer


def posts_section(person) -> list[dict]:
    rows = [
        {
            "工会": m.committee.org.name,
            "职务": f"经费审查委员会{m.get_role_display()}",
            "任期": f"{m.committee.term_start:%Y-%m-%d} 至 {m.committee.term_end:%Y-%m-%d}",
        }
        for m in CommitteeMember.objects.filter(person=person).select_related("committee__org").order_by("pk")
    ]
    rows += [{"工会": o.org.name, "职务": o.get_post_display(),
              "任期": f"{o.since:%Y-%m-%d} 至 {o.until:%Y-%m-%d}" if o.until else f"{o.since:%Y-%m-%d} 起"}
             for o in Officer.objects.filter(person=person).select_related("org").order_by("pk")]  # fmt: skip
    return rows
