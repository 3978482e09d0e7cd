"""Who the workforce tiles are for."""


def judge(user) -> bool:
    """An account appointed judge or arbiter of some event."""
    from gonghui.workforce.models import Judge

    return bool(getattr(user, "is_authenticated", False)) and Judge.objects.filter(user=user).exists()
