"""Every sign-in and account page × every member of the cast (see gonghui.testing.matrix)."""

from gonghui.testing.matrix import USERS, Page

EVERYONE = dict.fromkeys(USERS, 200)


def signed_in(status: int) -> dict:
    """Pages of one's own account: every signed-in user gets ``status``; the anonymous go to sign in."""
    return dict.fromkeys(USERS, status) | {"anonymous": 302}


def password_change_data(cast):
    return {"old_password": cast.password, "new_password1": "Xihu-Union-2026!", "new_password2": "Xihu-Union-2026!"}


def enrolment_started(cast):
    """Each account has opened the two-factor page, which shows the QR code of a pending authenticator."""
    from gonghui.accounts.two_factor import totp_enrol_start

    for user in vars(cast.users).values():
        totp_enrol_start(actor=user)


PAGES = [
    Page("accounts:home", signed_in(302)),  # to the user's own start page
    Page("accounts:login", EVERYONE),
    Page("accounts:login", EVERYONE, method="post",
         data=lambda c: {"username": "zhejiang", "password": "wrong-password"}),
    Page("accounts:logout", dict.fromkeys(USERS, 302), method="post"),
    Page("accounts:password_change", signed_in(200)),
    Page("accounts:password_change", signed_in(302), method="post", data=password_change_data),
    Page("accounts:2fa_setup", signed_in(200)),
    Page("accounts:2fa_setup", signed_in(400), method="post", setup=enrolment_started,
         data=lambda c: {"code": "000000"}),
    Page("accounts:2fa_verify", signed_in(302)),
    Page("accounts:2fa_verify", signed_in(302), method="post", data=lambda c: {"code": "000000"}),
    Page("accounts:2fa_recovery", signed_in(302), method="post", data=lambda c: {"code": "000000"}),
    Page("accounts:2fa_disable", signed_in(302), method="post", data=lambda c: {"code": "000000"}),
]  # fmt: skip
