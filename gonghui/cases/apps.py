from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "gonghui.cases"
    verbose_name = "事项办理"
