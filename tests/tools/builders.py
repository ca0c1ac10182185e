"""Tool definitions and runs for tests, built through the services the product uses.

`published(key)` does not rely on migration 0003's rows: a transactional test (the browser tests)
flushes every table, so a later test may find the shipped definitions gone and loads them again.
"""

import json
from datetime import date

from tools.definitions import SHIPPED_VERSION, shipped_documents
from tools.models import DefinitionStatus, ToolDefinition
from tools.services import definition_load, definition_publish, run_finalise, run_save_draft, run_start

EVIDENCE = "Seen on a home visit."
VOICE = "Said she likes it when her mum makes toast."
PRESENT = "The child, her mother, the health visitor."


def shipped_document(key, version=SHIPPED_VERSION):
    """The shipped definition of `key` as `version` (by default the newest, which migration 0004 publishes)."""
    return json.loads(json.dumps(shipped_documents(version)[f"{key}.json"]))


def published(key):
    definition = ToolDefinition.objects.filter(key=key, status=DefinitionStatus.PUBLISHED).first()
    return definition or definition_publish(definition=definition_load(document=shipped_document(key)))


def answers_for(definition, values, *, age_band=""):
    """Answers for every applicable item: `values` maps area id -> one value for all its items, or a list in item order."""
    answers = {}
    for area in definition.parsed.areas:
        given = values.get(area.id)
        if given is None:
            continue
        items = area.items_for(age_band)
        per_item = given if isinstance(given, list) else [given] * len(items)
        answers[area.id] = {item.id: {"value": value, "evidence": EVIDENCE} for item, value in zip(items, per_item)}
    return answers


def draft_run(case, user, key="gcp2", *, values=None, on=date(2026, 3, 2), complete_details=True):
    """A draft on `case`, dated `on`, with the given answers (and details and voice unless told not to)."""
    definition = published(key)
    run = run_start(case=case, definition=definition, actor=user, today=on)
    details = {"people_present": PRESENT, "child_voice": VOICE} if complete_details else {}
    answers = answers_for(definition, values or {}, age_band=run.age_band)
    return run_save_draft(run=run, actor=user, details=details, answers=answers, today=on)


def final_run(case, user, key="gcp2", *, values, on=date(2026, 3, 2)):
    return run_finalise(run=draft_run(case, user, key, values=values, on=on), actor=user)


def all_grades(grade):
    """The same grade in every GCP2 area."""
    return dict.fromkeys(("physical_care", "safety", "emotional_care", "developmental_care"), grade)
