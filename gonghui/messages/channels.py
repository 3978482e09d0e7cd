"""The channels a message goes by besides the inbox (docs/decisions/0021-message-centre.md).

A channel has a ``key``, a Chinese ``label``, ``address(user, phone)`` — the ciphertext of what reaches this
account (kept in the delivery row), or None when the account cannot be reached this way — and
``send(address, title, text, link)``, which decrypts the address and raises on failure. Text messages always
exist (through ``gonghui.core.sms``, whose backend is pluggable); the further channels are the classes named in
``settings.GONGHUI_MESSAGE_CHANNELS``. A WeChat official-account integration implements ``send`` with the
platform's template-message API and ``address`` with the account's openid binding; shipped here is its
log backend, which writes what it would send (the title only, never the text) to the server log."""

import logging
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from gonghui.core import crypto
from gonghui.core.sealed import SealedPhone
from gonghui.core.sms import send_sms

logger = logging.getLogger(__name__)


class Channel:
    key = ""
    label = ""

    def address(self, user, phone: SealedPhone | None) -> str | None:
        raise NotImplementedError

    def send(self, *, address: str, title: str, text: str, link: str) -> None:
        raise NotImplementedError


class Sms(Channel):
    """短信 to the phone the caller gives (e.g. the one verified when applying) or the member record's."""

    key, label = "sms", "短信"

    def address(self, user, phone: SealedPhone | None) -> str | None:
        if phone is not None and phone.ciphertext:
            return phone.ciphertext
        person = user.person
        return person.phone_enc if person is not None and person.phone_enc else None

    def send(self, *, address: str, title: str, text: str, link: str) -> None:
        send_sms(crypto.decrypt(address), text)


class WechatTemplateLog(Channel):
    """微信公众号模板消息, log backend: the account's id stands for its openid binding; the log line carries
    the title and the page, no personal data."""

    key, label = "wechat", "微信公众号"

    def address(self, user, phone: SealedPhone | None) -> str | None:
        return crypto.encrypt(str(user.pk))

    def send(self, *, address: str, title: str, text: str, link: str) -> None:
        logger.info("微信公众号模板消息 → 账号 %s：%s %s", crypto.decrypt(address), title, link)


@cache
def _further(paths: tuple[str, ...]) -> tuple[Channel, ...]:
    return tuple(import_string(path)() for path in paths)


def channels() -> tuple[Channel, ...]:
    """Text messages, then the further channels configured."""
    return (SMS, *_further(tuple(getattr(settings, "GONGHUI_MESSAGE_CHANNELS", ()))))


def channel(key: str) -> Channel:
    return next(c for c in channels() if c.key == key)


SMS = Sms()
