"""The ``province`` of every person and membership (decision 0052): the GB/T 2260 two-digit code of the province
federation their union sits under (orgs.provinces), 0 national-level. Backfilled set-based: one UPDATE per
province federation for the memberships, one for the people (their active membership's province, else their
latest membership's)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Org = apps.get_model("orgs", "Org")
    Membership = apps.get_model("members", "Membership")
    Person = apps.get_model("members", "Person")
    for path, region_id in Org.objects.filter(depth=1, org_type="province").values_list("path", "region_id"):
        Membership.objects.filter(org__path__startswith=path).update(province=int(region_id[:2]))
    home = Membership.objects.filter(person=OuterRef("pk")).order_by(
        models.Case(models.When(status="active", then=0), default=1), "-joined_on", "-id"
    )
    Person.objects.filter(pk__in=Membership.objects.filter(province__gt=0).values("person_id")).update(
        province=Subquery(home.values("province")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0011_membership_roster_digest"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="province",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="省份代码"),
        ),
        migrations.AddField(
            model_name="person",
            name="province",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="省份代码"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
