"""Text messages (短信) to a mobile phone, through the backend named by ``settings.GONGHUI_SMS_BACKEND``:

- ``"console"`` (the default): the message goes to the server log, the number masked (development);
- ``"locmem"``: kept in ``outbox`` (tests read codes from it);
- anything else: the dotted path of a callable ``send(phone, text)`` — production plugs its SMS gateway
  (a carrier's or a cloud provider's, with a registered signature) in here."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from gonghui.core.masking import mask_phone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    phone: str
    text: str


outbox: list[Message] = []


def send_sms(phone: str, text: str) -> None:
    backend = getattr(settings, "GONGHUI_SMS_BACKEND", "console")
    if backend == "console":
        logger.info("短信发送至 %s：%s", mask_phone(phone), text)
    elif backend == "locmem":
        outbox.append(Message(phone, text))
    else:
        import_string(backend)(phone, text)
