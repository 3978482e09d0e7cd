"""Loads the administrative divisions shipped in gonghui/orgs/data/divisions."""

from django.db import migrations

from gonghui.orgs.regions import load_regions


def forwards(apps, schema_editor):
    load_regions(apps.get_model("orgs", "Region"))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
