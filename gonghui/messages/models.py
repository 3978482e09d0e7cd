"""消息中心: what the platform tells a person (a decision, a reminder), kept in their inbox, and its delivery
by text message and further channels. Messages are personal data: the body is encrypted, the delivery's
address too (a phone's ciphertext carried as it is)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gonghui.core.crypto import EncryptedTextField


class Message(models.Model):
    """消息 — one thing the platform told one account, from a declared event's templates: a title with no
    personal data, an encrypted body, and the page it is about. Unread until the account opens it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="收件账号", on_delete=models.CASCADE,
                             related_name="inbox")  # fmt: skip
    event = models.CharField("消息类型", max_length=64)
    title = models.CharField("标题", max_length=100)
    body_enc = EncryptedTextField("内容（密文）")
    link = models.CharField("相关页面", max_length=200, blank=True)
    essential = models.BooleanField("必要消息", default=False)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="message_inbox_idx"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="message_unread_idx"),
            models.Index(fields=["created_at"], name="message_created_idx"),  # retention
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """消息送达 — a message's delivery by one channel beyond the inbox (短信, 微信公众号模板消息): the text and
    the address (a phone's ciphertext) encrypted, sent once by the delivery task after the decision commits."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    message = models.ForeignKey(Message, verbose_name="消息", on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField("渠道", max_length=16)
    address_enc = EncryptedTextField("送达地址（密文）", blank=True)
    text_enc = EncryptedTextField("发送内容（密文）")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    attempted_at = models.DateTimeField("发送时间", null=True, blank=True)
    error = models.CharField("失败原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "消息送达"
        verbose_name_plural = "消息送达"
        indexes = [models.Index(fields=["status"], condition=Q(status="pending"), name="delivery_pending_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"


class Preference(models.Model):
    """消息设置 — the account's choice to receive the non-essential events by text message (and further
    channels) too; essential ones always go."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE,
                                related_name="message_preference")  # fmt: skip
    sms_optional = models.BooleanField("非必要消息也发短信", default=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "消息设置"
        verbose_name_plural = "消息设置"

    def __str__(self) -> str:
        return f"{self.user_id}"
