"""Who sees a navigation entry: predicates ``user -> bool`` that the apps' ``nav`` declarations name."""

from gonghui.orgs import access


def cadre(user) -> bool:
    """A cadre: holds a grant on some union (the grants are cached on the request's user)."""
    return bool(access.grants_of(user))


def member(user) -> bool:
    """A worker with a member record of their own."""
    return bool(user.person_id)


def applicant(user) -> bool:
    """A worker who signed in by phone to join online and is not a member yet."""
    return not user.person_id and not user.platform_role and not cadre(user) and hasattr(user, "phone_login")


def worker(user) -> bool:
    """A worker: a member, or an applicant not a member yet (their home is 一网通办)."""
    return member(user) or applicant(user)


def system_admin(user) -> bool:
    return user.platform_role == "system"


def security_admin(user) -> bool:
    return user.platform_role == "security"


def audit_admin(user) -> bool:
    return user.platform_role == "audit"
