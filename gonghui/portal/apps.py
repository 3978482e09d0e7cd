from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gonghui.portal"
    verbose_name = "职工服务"
