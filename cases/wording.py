"""Family-friendly wording: a gentle hint when free text uses blaming terms.

The strategies ask practitioners to describe what they saw and its impact on the child in plain,
non-blaming words. The word list lives in settings (`BLAMING_TERMS`) so a partnership can tune it;
hints never block saving.
"""
import re

from django.conf import settings


def wording_hints(text):
    """The blaming terms found in `text` (case-insensitive, whole words), each with a suggestion."""
    found = []
    for term, suggestion in settings.BLAMING_TERMS.items():
        if re.search(rf"\b{re.escape(term)}\b", text or "", flags=re.IGNORECASE):
            found.append({"term": term, "suggestion": suggestion})
    return found
