from gonghui.rosters.tests.support import _files_in_tmp  # noqa: F401
