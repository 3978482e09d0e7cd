from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "gonghui.console"
    verbose_name = "三员管理台"
