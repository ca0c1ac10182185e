"""Access-matrix rows for census returns: partnership admins only (no case workers, no auditors)."""
from .matrix import ADMIN, Row, page

ROUTES = {
    ("census:home", "GET"): Row(page(ADMIN)),
    ("census:cin_census_download", "GET"): Row(page(ADMIN), data=lambda w: {"year": 2026, "la_code": "931"}),
    ("census:annex_a_download", "GET"): Row(page(ADMIN), data=lambda w: {"list_number": 7, "as_of": "2026-03-31"}),
}
