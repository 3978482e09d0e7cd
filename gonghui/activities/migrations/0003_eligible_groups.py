"""仅限在档困难职工 becomes one of the groups an event may be limited to (decision 0050): an event that asked for it
keeps asking for the group "hardship"."""

from django.db import migrations, models


def hardship_to_group(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    for activity in Activity.objects.filter(hardship_only=True):
        activity.groups = ["hardship"]
        activity.save(update_fields=["groups"])


def group_to_hardship(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    for activity in Activity.objects.exclude(groups=[]):
        activity.hardship_only = "hardship" in activity.groups
        activity.save(update_fields=["hardship_only"])


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_checkin_feedback"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="groups",
            field=models.JSONField(blank=True, default=list, verbose_name="限定人群"),
        ),
        migrations.RunPython(hardship_to_group, group_to_hardship),
        migrations.RemoveField(
            model_name="activity",
            name="hardship_only",
        ),
    ]
