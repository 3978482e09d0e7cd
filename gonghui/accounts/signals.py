"""Sign-in events into the audit log (SECURITY.md item 8). Django's auth signals are the only hook
for logins made through its views, so the receivers only record; they change nothing."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from gonghui.accounts.models import UserSession
from gonghui.core.audit import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user)
    if request is not None and hasattr(request, "session"):
        if request.session.session_key is None:
            request.session.save()
        UserSession.objects.get_or_create(user=user, session_key=request.session.session_key)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_record(actor=None, action="auth.login", result="failure",
                 detail={"username": str(credentials.get("username", ""))[:150]})  # fmt: skip
