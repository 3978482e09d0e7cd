"""The authentication backend: Django's ModelBackend with the lockout rule (docs/security.md §3).

Every password check goes through here: the sign-in page, ``client.login`` and POST /api/v1/auth/token.
A locked username is refused before its password is looked at (PermissionDenied stops ``authenticate``
and Django sends ``user_login_failed``, which the audit log records); a wrong password, an unknown
username or a disabled account counts one failure; a good password clears the count."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from gonghui.accounts import lockout
from gonghui.core.audit import current_ip


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        username = str(username)
        if lockout.is_locked(username):
            raise PermissionDenied(lockout.locked_message())
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            ip = request.META.get("REMOTE_ADDR") if request is not None else current_ip.get()
            lockout.failure_record(username=username, ip=ip or None)
            return None
        lockout.failures_clear(user=user)
        return user
