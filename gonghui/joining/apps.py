from django.apps import AppConfig


class JoiningConfig(AppConfig):
    name = "gonghui.joining"
    verbose_name = "网上入会"
