"""工会财务."""

from django.urls import path

from gonghui.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.home, name="home"),
    path("org-options/", views.org_options, name="org_options"),
    path("entries/", views.entries, name="entries"),
    path("entries/new/", views.entry_new, name="entry_new"),
    path("entries/<int:pk>/", views.entry, name="entry"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("collections/", views.collections, name="collections"),
    path("collections/new/", views.collection_new, name="collection_new"),
    path("collections/<int:pk>/", views.collection, name="collection"),
    path("collections/<int:pk>/reverse/", views.collection_reverse, name="collection_reverse"),
    path("imports/", views.imports, name="imports"),
    path("imports/template/", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("imports/<int:pk>/resume/", views.import_resume, name="import_resume"),
    path("imports/<int:pk>/errors/", views.import_errors, name="import_errors"),
    path("arrears/", views.arrears, name="arrears"),
    path("counterparties/", views.counterparties, name="counterparties"),
    path("report/", views.report, name="report"),
    path("report/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("report/pdf/", views.report_pdf, name="report_pdf"),
    path("close/", views.period_close, name="close"),
    path("year-close/", views.year_close, name="year_close"),
    path("assets/", views.assets, name="assets"),
    path("assets/new/", views.asset_new, name="asset_new"),
    path("assets/<int:pk>/", views.asset, name="asset"),
    path("assets/<int:pk>/use/", views.asset_use, name="asset_use"),
    path("assets/moves/<int:pk>/", views.asset_move, name="asset_move"),
    path("assets/moves/<int:pk>/decide/", views.asset_move_decide, name="asset_move_decide"),
    path("reserves/", views.reserves, name="reserves"),
    path("reserves/return/", views.reserve_return, name="reserve_return"),
    path("arrears/payment-order/", views.payment_order, name="payment_order"),
    path("budgets/", views.budgets, name="budgets"),
    path("rules/", views.rules, name="rules"),
    path("spending/", views.spendings, name="spendings"),
    path("spending/new/", views.spending_new, name="spending_new"),
    path("spending/<int:pk>/", views.spending, name="spending"),
    path("spending/<int:pk>/decide/", views.spending_decide, name="spending_decide"),
]
