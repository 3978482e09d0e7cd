from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "gonghui.rosters"
    verbose_name = "花名册"
