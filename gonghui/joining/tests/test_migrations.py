"""Data migrations of online joining."""

import importlib

from django.apps import apps

from gonghui.core.sealed import phone_index
from gonghui.joining.models import JoinApplication
from gonghui.joining.tests.conftest import NEW_PHONE, submit


def test_applications_from_before_the_phone_index_get_theirs(cast):
    application = submit()
    JoinApplication.objects.filter(pk=application.pk).update(phone_bidx="")
    migration = importlib.import_module("gonghui.joining.migrations.0004_application_phone_index")
    migration.index_phones(apps, None)
    assert JoinApplication.objects.get(pk=application.pk).phone_bidx == phone_index(NEW_PHONE)
