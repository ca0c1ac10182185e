"""One assessment run printed as a PDF, for the conference or for the family (WeasyPrint).

The view (tools/views.py, `run_pdf`) fetches the run through the access layer
(`case_record_for_export`) and writes the one EXPORT audit row once the file is made; this module
only lays the run out: the areas with each answer and its evidence, the scores with the rule
behind each and the sub-area grades they were made from, the child's voice and who was present
(tools/reading.py builds the same rows the run's page shows).

Nothing is fetched over the network: the document's only images would be `data:` URIs, and the
portal's one renderer (neglect_portal/pdf.py) refuses the network and every file outside static/,
so a link written into an answer cannot make the server call out while the PDF is made.
"""

from pathlib import Path

from django.template.loader import render_to_string

from neglect_portal.pdf import render_pdf

from .reading import answer_summary, score_lines

STYLESHEET = Path(__file__).resolve().parent / "print.css"

AUDIENCES = {
    "conference": "Prepared for the child protection conference",
    "family": "Prepared for the family",
}
DEFAULT_AUDIENCE = "conference"


def run_print_context(*, run, audience, partnership_name, printed_at, printed_by):
    """What the printed page shows (tools/run_pdf.html)."""
    band = run.structure.band(run.age_band)
    return {
        "run": run,
        "structure": run.structure,
        "audience": audience,
        "audience_text": AUDIENCES[audience],
        "partnership_name": partnership_name,
        "age_band_label": band.label if band else "",
        "score_rows": score_lines(run, run.scores),
        "summary": answer_summary(run),
        "printed_at": printed_at,
        "printed_by": printed_by,
    }


def run_pdf(*, context) -> bytes:
    """Render `tools/run_pdf.html` with `context` to PDF bytes (neglect_portal/pdf.py: `data:` URIs and static files only)."""
    return render_pdf(render_to_string("tools/run_pdf.html", context), stylesheets=[STYLESHEET])
