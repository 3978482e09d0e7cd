"""Signing in by phone number: a worker account made by online joining has a random username; a sign-in
whose "username" is a mobile number is mapped to it through the phone's blind index, then goes through
the accounts backend (lockout included). An unknown phone is counted under a pseudonym of its index, so
neither the failure log nor the lockout keeps the plain number."""

from django.core.exceptions import ValidationError

from gonghui.accounts.backends import LockoutModelBackend
from gonghui.core.identifiers import parse_phone
from gonghui.core.sealed import phone_index


def username_for_phone(value: str) -> str | None:
    """The username to check for ``value`` if it is a mobile number, else None."""
    from gonghui.joining.models import PhoneLogin

    try:
        bidx = phone_index(parse_phone(value))
    except ValidationError:
        return None
    login = PhoneLogin.objects.filter(phone_bidx=bidx).select_related("user").first()
    return login.user.username if login else f"phone:{bidx[:24]}"


class PhoneOrUsernameBackend(LockoutModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        mapped = username_for_phone(str(username)) if username is not None else None
        return super().authenticate(request, username=mapped or username, password=password, **kwargs)
