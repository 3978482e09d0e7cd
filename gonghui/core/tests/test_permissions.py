"""The pages of the one list export (/exports/) × every member of the cast (see gonghui.testing.matrix).

Any cadre may export a list they see; an export is the requester's alone: every other cadre, whatever their
scope, reads it as not found. The export in the cases is the grassroots admin's, of the join codes list."""

from gonghui.core import exports
from gonghui.core.models import ExportJob
from gonghui.core.tasks import export_task
from gonghui.testing.matrix import USERS, Page, expect

OWNER_ONLY = expect(404, 404, 404, 200, 404)


def export(cast) -> ExportJob:
    if not hasattr(cast, "export"):
        job = exports.export_start(actor=cast.users.grassroots_admin, spec=exports.cadre_list("joining.codes"),
                                   params={})  # fmt: skip
        export_task.call(job.pk)
        cast.export = job
    return cast.export


def _export(cast):
    return [export(cast).pk]


PAGES: list = [
    Page("exports:list", expect(200, 200, 200, 200, 200)),
    Page("exports:list", expect(302, 302, 302, 302, 302), method="post", data=lambda c: {"list": "joining.codes"}),
    Page("exports:detail", OWNER_ONLY, args=_export),
    Page("exports:progress", OWNER_ONLY, args=_export),
    Page("exports:download", OWNER_ONLY, args=_export),
    # The probes (gonghui.core.health) answer anyone, signed in or not.
    Page("ops:healthz", dict.fromkeys(USERS, 200)),
    Page("ops:readyz", dict.fromkeys(USERS, 200)),
]


# Responses that may carry full values (gonghui.testing.pii_guard): an export for the person who asked.
UNMASKED = {r"^/exports/\d+/download/$": "列表导出文件：仅申请人本人下载；完整信息须有导出权限"}
