"""Running subtree totals on the orgs (decision 0030), filled from the member counts already there."""

from collections import Counter

from django.db import migrations, models

WIDTH = 8  # PATH_SEGMENT_WIDTH + 1, as the paths were written when this migration was made


def fill(apps, schema_editor):
    Org = apps.get_model("orgs", "Org")
    rows = list(Org.objects.order_by().values_list("pk", "path", "member_count"))
    totals: Counter[str] = Counter()
    for _, path, count in rows:
        if count:
            for end in range(WIDTH, len(path) + 1, WIDTH):
                totals[path[:end]] += count
    filled = [Org(pk=pk, subtree_member_count=totals[path]) for pk, path, _ in rows if totals[path]]
    Org.objects.bulk_update(filled, ["subtree_member_count"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_org_name_pinyin"),
    ]

    operations = [
        migrations.AddField(
            model_name="org",
            name="subtree_member_count",
            field=models.PositiveIntegerField(default=0, verbose_name="含下级会员数"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
