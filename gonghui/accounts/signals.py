"""Sign-in events into the audit log (docs/security.md §8). Django's auth signals are the only hook
for logins made through its views, so the receivers only record; they change nothing."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from gonghui.accounts.models import SecurityPolicy, UserSession
from gonghui.accounts.policy import policy_forget, session_mark_login
from gonghui.core.audit import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user)
    if request is not None and hasattr(request, "session"):
        session_mark_login(request.session)  # starts the idle and lifetime clocks (session_policy)
        if request.session.session_key is None:
            request.session.save()
        UserSession.objects.get_or_create(user=user, session_key=request.session.session_key)


@receiver(post_save, sender=SecurityPolicy)
def _policy_saved(sender, **kwargs):
    policy_forget()  # the cached copy (gonghui.accounts.policy.current_policy) is stale


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_record(actor=None, action="auth.login", result="failure",
                 detail={"username": str(credentials.get("username", ""))[:150]})  # fmt: skip
