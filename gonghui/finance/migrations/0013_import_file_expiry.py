"""Stored statement files expire (retention category ``finance_import_file``): the time the file went."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0012_monthly_balances"),
    ]

    operations = [
        migrations.AddField(
            model_name="collectionimport",
            name="file_expired_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="文件到期删除时间"),
        ),
    ]
