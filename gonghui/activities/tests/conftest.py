"""Activities tests: events of the cast's 西湖区 union, made through the service."""

import datetime as dt

from django.utils import timezone

from gonghui.activities import services


def make_activity(cast, *, org=None, capacity=2, **extra):
    starts = timezone.now() + dt.timedelta(days=7)
    fields = {
        "title": "夏送清凉慰问",
        "campaign": "summer",
        "place": "西溪路驿站",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "signup_deadline": starts - dt.timedelta(days=1),
    }
    fields |= extra
    return services.activity_create(actor=cast.users.grassroots_admin if org is None else None,
                                    org=org or cast.orgs.company, capacity=capacity, **fields)  # fmt: skip
