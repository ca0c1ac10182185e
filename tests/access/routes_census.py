"""Access-matrix rows for census returns: partnership admins only (agencies.access.can_exchange_statutory_returns).

An upload is seen and confirmed by its uploader only; the rows make one owned by the admin.
"""

import hashlib

from .matrix import ADMIN, Row, page


def admin_upload(world):
    from census.importing import ImportResult
    from census.models import CensusUpload
    from tests.census.returns import VALID_RETURN

    content = VALID_RETURN.encode()
    upload = CensusUpload.objects.create(
        uploaded_by=world.users["admin"],
        filename="return.xml",
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        dry_run=ImportResult(dry_run=True).as_dict(),
    )
    return {"upload_id": upload.pk}


ROUTES = {
    ("census:home", "GET"): Row(page(ADMIN)),
    ("census:cin_census_download", "GET"): Row(page(ADMIN), data=lambda w: {"year": 2026, "la_code": "931"}),
    ("census:annex_a_download", "GET"): Row(page(ADMIN), data=lambda w: {"list_number": 7, "as_of": "2026-03-31"}),
    ("census:import_upload", "GET"): Row(page(ADMIN)),
    # No file posted: the admin gets the form back with its error (400); everyone else is refused first.
    ("census:import_upload", "POST"): Row(page(ADMIN, allowed_status=400)),
    ("census:import_review", "GET"): Row(page(ADMIN), kwargs=admin_upload),
    ("census:import_apply", "POST"): Row(page(ADMIN, allowed_status=302), kwargs=admin_upload),
}
