"""Monthly balances (docs/decisions/0051-monthly-balances.md): the table, then filled from the lines already
posted, per org, month, account, earmarked flag and other side. Plain SQL that PostgreSQL and SQLite both run;
the services keep it current from here on (``services.balances_add``)."""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models

BACKFILL = """INSERT INTO finance_balance (org_id, month, code, earmarked, party_id, counterparty, debit_fen, credit_fen)
SELECT org_id, month, code, earmarked, party_id, COALESCE(counterparty, ''), SUM(debit_fen), SUM(credit_fen)
FROM finance_line GROUP BY org_id, month, code, earmarked, party_id, COALESCE(counterparty, '')"""


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0011_care_entries"),
        ("orgs", "0005_org_subtree_member_count"),
    ]

    operations = [
        migrations.CreateModel(
            name="Balance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(verbose_name="会计期间")),
                ("code", models.CharField(max_length=16, verbose_name="科目编号")),
                ("earmarked", models.BooleanField(default=False, verbose_name="专项")),
                ("counterparty", models.CharField(blank=True, default="", max_length=100, verbose_name="往来单位")),
                ("debit_fen", models.BigIntegerField(default=0, verbose_name="借方发生额（分）")),
                ("credit_fen", models.BigIntegerField(default=0, verbose_name="贷方发生额（分）")),
                (
                    "org",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.org",
                        verbose_name="记账工会",
                    ),
                ),
                (
                    "party",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.org",
                        verbose_name="往来工会",
                    ),
                ),
            ],
            options={
                "verbose_name": "月度发生额",
                "verbose_name_plural": "月度发生额",
                "constraints": [
                    models.UniqueConstraint(
                        models.F("org"),
                        models.F("month"),
                        models.F("code"),
                        models.F("earmarked"),
                        django.db.models.functions.comparison.Coalesce("party", 0),
                        models.F("counterparty"),
                        name="finance_balance_key",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("credit_fen__gte", 0), ("debit_fen__gte", 0)), name="finance_balance_sides"
                    ),
                ],
            },
        ),
        migrations.RunSQL(BACKFILL, "DELETE FROM finance_balance"),
    ]
