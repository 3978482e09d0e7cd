"""A model worker in hardship flagged from their page: the note encrypted, audited, the page linking the
person's hardship file in the assistance app once there is one (the file is made only by that app's service)."""

from django.urls import reverse

from gonghui.assistance.tests.conftest import make_file
from gonghui.core.models import AuditEvent
from gonghui.workforce.models import ModelWorker
from gonghui.workforce.tests.conftest import make_model_worker


def test_a_cadre_flags_hardship_and_the_page_links_the_hardship_file(client, cast):
    worker = make_model_worker(cast)
    url = reverse("workforce:model_worker", args=[worker.pk])
    flag = reverse("workforce:hardship_flag", args=[worker.pk])
    client.force_login(cast.users.readonly)
    page = client.get(url).content.decode()
    assert "标记生活困难" not in page  # the read-only role sees the page, not the form
    assert client.post(flag, {"version": worker.version, "note": "配偶重病"}).status_code == 403
    client.force_login(cast.users.province_admin)
    assert url in client.get(reverse("workforce:model_workers")).content.decode()
    empty = client.post(flag, {"version": worker.version, "note": ""}, follow=True).content.decode()
    assert "困难情况说明" in empty and not ModelWorker.objects.get().in_hardship
    client.post(flag, {"version": worker.version, "note": "配偶重病，长期透析"})
    worker.refresh_from_db()
    assert worker.in_hardship and worker.hardship_flagged_by == cast.users.province_admin
    assert "配偶重病" not in worker.hardship_note_enc  # stored encrypted
    page = client.get(url).content.decode()
    assert "配偶重病，长期透析" in page and "尚无困难职工档案" in page and reverse("assistance:new") in page
    event = AuditEvent.objects.get(action="workforce.hardship_flag")
    assert event.detail == {"hardship_file": None}
    stale = client.post(flag, {"version": 1, "note": "再次标记"}, follow=True).content.decode()
    assert "已被他人修改" in stale
    # the grassroots union opens the file in the assistance app; the model worker's page now links it
    file = make_file(cast)
    page = client.get(url).content.decode()
    assert reverse("assistance:detail", args=[file.pk]) in page and "尚无困难职工档案" not in page
    client.force_login(cast.users.sibling_admin)
    assert client.get(url).status_code == 404
