"""The chronology as a PDF a practitioner takes to a conference (WeasyPrint).

The view passes entries it read through the access layer (selectors), so a restricted entry the
requester may not see is never in the document; this module only lays them out. Page numbers come
from CSS `@page` counters, so every page says "Page n of N" however long the chronology is.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from neglect_portal.pdf import render_pdf

STYLESHEET = Path(__file__).resolve().parent / "pdf.css"


def max_entries() -> int:
    """The most entries one PDF holds (`CHRONOLOGY_PDF_MAX_ENTRIES`, 1,000).

    WeasyPrint lays out about a hundred table rows a second, so 1,000 entries take some fifteen
    seconds inside a web request; a longer chronology is narrowed by date or significance first.
    """
    return getattr(settings, "CHRONOLOGY_PDF_MAX_ENTRIES", 1000)


def chronology_pdf(*, context: dict) -> bytes:
    """Render `chronologies/pdf.html` with `context` (see views.child_chronology_pdf) to PDF bytes.

    Through the portal's one renderer (neglect_portal/pdf.py): nothing is fetched over the network
    and no file outside static/ is read, whatever an entry's text holds.
    """
    return render_pdf(render_to_string("chronologies/pdf.html", context), stylesheets=[STYLESHEET])
