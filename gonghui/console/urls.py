from django.urls import path

from gonghui.console import views

app_name = "console"
urlpatterns = [
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/disable/", views.account_disable, name="account_disable"),
    path("accounts/<int:pk>/enable/", views.account_enable, name="account_enable"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<int:pk>/delete/", views.calendar_delete, name="calendar_delete"),
    path("grants/", views.grants, name="grants"),
    path("grants/new/", views.grant_create, name="grant_create"),
    path("grants/orgs/", views.grant_org_options, name="grant_org_options"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("policy/", views.policy, name="policy"),
    path("reset/", views.account_reset, name="account_reset"),
    path("audit/", views.audit, name="audit"),
    path("audit/analysis/", views.audit_analysis, name="audit_analysis"),
    path("audit/chain/", views.audit_chain, name="audit_chain"),
    path("audit/export/", views.audit_export, name="audit_export"),
]
