"""The subject access export as a PDF (WeasyPrint), laid out from the same document as the JSON file.

Items marked for redaction review carry a visible "REVIEW BEFORE DISCLOSURE" marker with their
reasons, so a reviewer sees at once what must be considered; nothing is left out of the document.
No network is used: the portal's one renderer (neglect_portal/pdf.py) loads `data:` URIs and static
files only, and fonts come from the system.
"""

from datetime import date, datetime
from pathlib import Path

from django.template.loader import render_to_string

from neglect_portal.pdf import render_pdf

STYLESHEET = Path(__file__).resolve().parent / "pdf.css"


def subject_access_pdf(*, document: dict) -> bytes:
    """Render `subject_access/pdf.html` for `document` (selectors.subject_access_document) to PDF bytes."""
    html = render_to_string("subject_access/pdf.html", {"doc": document, "dates": _readable_dates(document), "log": _readable_log(document)})
    return render_pdf(html, stylesheets=[STYLESHEET])


def _day(iso):
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _readable_dates(document):
    """The request's ISO dates (kept as ISO in the JSON file) as people read them."""
    request = document["request"]
    born = document["subject"].get("date_of_birth")
    generated = datetime.fromisoformat(document["generated_at"])
    return {
        "received_on": _day(request["received_on"]),
        "due_on": _day(request["due_on"]),
        "date_of_birth": _day(born) if born else "",
        "generated_at": f"{generated.day} {generated:%B %Y %H:%M}",
    }


def _readable_log(document):
    return [
        {**event, "at": f"{datetime.fromisoformat(event['at']):%d %b %Y %H:%M:%S}", "user": event["user"] or "System"} for event in document["disclosure_log"]
    ]
