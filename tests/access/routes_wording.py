"""Access-matrix rows for the wording guide (partnership/wording.py).

Partnership admins edit the guide; everyone else is refused with 403 (the guide names no child, so
there is nothing to hide with 404). The wording check answers the case-working roles, whose forms
ask it for the hint beside a field; it reads and keeps nothing about a child.
"""

from partnership.models import WordingGuideEntry

from .matrix import ADMIN, CASE_WORKERS, Row, page


def entry(world):
    found, _ = WordingGuideEntry.objects.get_or_create(
        phrase="hard to reach", defaults={"why": "It puts the distance on the family.", "instead": "Say what was tried, and when."}
    )
    return {"entry_id": found.pk}


def entry_form(world):
    return {"phrase": "hard to reach", "why": "It puts the distance on the family.", "instead": "Say what was tried, when, and what would help."}


ROUTES = {
    ("partnership:wording_guide", "GET"): Row(page(ADMIN)),
    ("partnership:wording_guide", "POST"): Row(
        page(ADMIN, allowed_status=302), data=lambda w: {"phrase": "at risk family", "why": "A label.", "instead": "Describe the risk to the child."}
    ),
    ("partnership:wording_entry_edit", "GET"): Row(page(ADMIN), kwargs=entry),
    ("partnership:wording_entry_edit", "POST"): Row(page(ADMIN, allowed_status=302), kwargs=entry, data=entry_form),
    ("partnership:wording_entry_remove", "POST"): Row(page(ADMIN, allowed_status=302), kwargs=entry),
    ("partnership:wording_check", "POST"): Row(page(CASE_WORKERS), data=lambda w: {"text": "Mum refused to engage"}),
}
