"""A run as people read it: its scores with the rule behind each, and its answers with their evidence.

The run's pages (final and "check and finalise") and its printed copy (tools/printing.py) show the
same rows, built here once, so a score never appears without the rule that made it, and a grade
is never shown without the sub-area grades behind it (docs/tools.md, "Scoring as data").
"""

from dataclasses import dataclass, field

from .scoring import to_json_number


@dataclass(frozen=True)
class ScoreLine:
    """One score as shown: what it is, the score, the band's label (lookup rules) and the rule in words.

    `parts` are the grades it was made from (sub-area title and grade), shown beside an area score.
    """

    title: str
    score: object
    rule: str
    label: str = ""
    on_scale: bool = True
    parts: tuple = field(default=())


def _grade(item, answer):
    point = item.scale.point(answer.get("value"))
    return to_json_number(point.score) if point is not None and point.score is not None else None


def score_lines(run, scores):
    """Scored areas (each with its items' grades), then the overall score, for `scores` of `run`."""
    structure = run.structure
    lines = []
    for area in structure.areas:
        if not area.rule.is_scored:
            continue
        score = (scores.get("areas") or {}).get(area.id)
        parts = tuple((item.title, _grade(item, run.answer(area.id, item.id))) for item in area.items_for(run.age_band) if item.scale.is_scored)
        row = area.rule.row_for(score)
        lines.append(ScoreLine(area.title, score, structure.area_rule_text(area), row.label if row else "", area.rule.on_scale, parts))
    if structure.overall_rule.is_scored:
        score = scores.get("overall")
        row = structure.overall_rule.row_for(score)
        lines.append(ScoreLine("Overall", score, structure.overall_rule_text(), row.label if row else "", structure.overall_rule.on_scale))
    return lines


def answer_summary(run):
    """Each area's applicable items with their answer (in the item's own words) and evidence, and the area's score."""
    rows = []
    for area in run.structure.areas:
        items = []
        for item in area.items_for(run.age_band):
            answer = run.answer(area.id, item.id)
            point = item.scale.point(answer.get("value"))
            items.append({"item": item, "answer": item.label_for(point) if point else answer.get("value", ""), "evidence": answer.get("evidence", "")})
        rows.append({"area": area, "items": items, "score": (run.scores.get("areas") or {}).get(area.id)})
    return rows


def tool_questions(structure):
    """Each area's items, with the age bands they are asked in and what each answer means for the item."""
    bands = {band.id: band.label for band in structure.age_bands}
    return [
        {
            "area": area,
            "items": [
                {"item": item, "bands": [bands[band] for band in item.age_bands], "answers": [item.label_for(point) for point in item.scale.points]}
                for item in area.items
            ],
        }
        for area in structure.areas
    ]
