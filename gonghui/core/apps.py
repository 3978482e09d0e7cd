from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gonghui.core"
    verbose_name = "基础"

    def ready(self):
        from gonghui.core import checks  # noqa: F401
