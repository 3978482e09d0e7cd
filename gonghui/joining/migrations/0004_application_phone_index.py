"""The application keeps its phone's blind index, so that accepting it carries the sealed phone over to the
member record as it is (no decrypting to seal again). Existing applications get theirs from the phone."""

from django.db import migrations, models


def index_phones(apps, schema_editor):
    from gonghui.core.crypto import decrypt
    from gonghui.core.sealed import phone_index

    JoinApplication = apps.get_model("joining", "JoinApplication")
    for application in JoinApplication.objects.filter(phone_bidx="").only("phone_enc").iterator():
        application.phone_bidx = phone_index(decrypt(application.phone_enc))
        application.save(update_fields=["phone_bidx"])


class Migration(migrations.Migration):
    dependencies = [
        ("joining", "0003_encrypted_text_field"),
    ]

    operations = [
        migrations.AddField(
            model_name="joinapplication",
            name="phone_bidx",
            field=models.CharField(default="", max_length=64, verbose_name="手机号码索引"),
            preserve_default=False,
        ),
        migrations.RunPython(index_phones, migrations.RunPython.noop),
    ]
