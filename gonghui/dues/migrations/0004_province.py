"""The ``province`` of every dues payment and wage base (decision 0055): the GB/T 2260 two-digit code of the province
federation their union sits under (orgs.provinces), 0 national-level; the partition key when the member tables are
partitioned by province. Backfilled set-based: one UPDATE per province federation and table."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    Org = apps.get_model("orgs", "Org")
    for name in ("DuesPayment", "WageBase"):
        model = apps.get_model("dues", name)
        for path, region_id in Org.objects.filter(depth=1, org_type="province").values_list("path", "region_id"):
            model.objects.filter(org__path__startswith=path).update(province=int(region_id[:2]))


class Migration(migrations.Migration):
    dependencies = [
        ("dues", "0003_rollup_members_check"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="duespayment",
            name="province",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="省份代码"),
        ),
        migrations.AddField(
            model_name="wagebase",
            name="province",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="省份代码"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
