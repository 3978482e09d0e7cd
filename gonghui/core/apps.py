from gonghui.core.registry import GonghuiAppConfig


class CoreConfig(GonghuiAppConfig):
    name = "gonghui.core"
    verbose_name = "基础"

    def ready(self):
        from gonghui.core import checks  # noqa: F401
