"""Access-matrix rows for chronology PDFs prepared in the background (issue 18, chronologies/pdf_exports.py).

An export belongs to the user who asked for it (here children's social care's practitioner): only
they read its page or download it, and only while they may still see the child. Everyone else gets
404, as for a record they may not see (its existence is not leaked).
"""

from chronologies.models import ChronologyExport, ExportStatus
from tests.conftest import USER_KINDS

from .matrix import Row


def export_id(world):
    export = ChronologyExport.objects.create(
        child=world.case.child,
        requested_by=world.users["csc_practitioner"],
        entry_count=1200,
        status=ExportStatus.DONE,
        pdf=b"%PDF-1.7 test",
    )
    return {"export_id": export.pk}


def requester_only(allowed_status):
    return {kind: 302 if kind in ("anonymous", "inactive") else (allowed_status if kind == "csc_practitioner" else 404) for kind in USER_KINDS}


ROUTES = {
    ("chronologies:pdf_export", "GET"): Row(requester_only(200), kwargs=export_id),
    ("chronologies:pdf_export_download", "GET"): Row(requester_only(200), kwargs=export_id),
}
