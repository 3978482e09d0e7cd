import pytest


@pytest.fixture(autouse=True)
def _private_var_dir(settings, tmp_path):
    """Attachments are written under a test's own VAR_DIR."""
    settings.VAR_DIR = tmp_path
