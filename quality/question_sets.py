"""Question sets as data: the case-audit questions and the family feedback questions, checked and typed.

A question set is a document the partnership owns, stored whole on `QuestionSet.structure` and
versioned like the assessment tools (tools/definitions.py, docs/tools.md): a published version is
locked, and a change is a new version. The product ships three (quality/shipped/): the neglect
themed multi-agency audit, and family feedback for parents and carers and for children (the
child's version answers on a picture scale).

Document shape (see quality/shipped/neglect_audit.json):

    key            short identifier shared by all versions of a set, e.g. "neglect_audit"
    name           the set's name
    kind           "case_audit" (graded by auditors: outstanding, good, requires improvement,
                   inadequate, not applicable, with evidence) or "family_feedback"
    audience       family feedback only: "parent" (parents and carers) or "child"
    introduction   optional text shown above the questions
    scale          family feedback only: [{"value", "label", "picture"?}], the answers offered
                   for every "scale" question, in order; `picture` ("happy", "okay", "sad",
                   "unsure") shows a face beside the words (the child's version)
    questions      [{"id", "text", "hint"?, "type"? ("grade" for audits; "scale" or "text" for
                   feedback, default "scale"), "required"? (default: true for audit questions, false for
                   feedback, where nobody has to answer every question),
                   "measure"? (audits: "impact_of_plan" or "use_of_gcp", the dashboard's two
                   audit measures read the question carrying the tag, whatever its id)}]

`check()` returns every problem at once, each naming its place ("questions[2]: unknown type
'stars'"), as tools/definitions.py does.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"
MAX_DOCUMENT_CHARACTERS = 100_000

CASE_AUDIT = "case_audit"
FAMILY_FEEDBACK = "family_feedback"
KINDS = (CASE_AUDIT, FAMILY_FEEDBACK)
AUDIENCES = ("parent", "child")
PICTURES = ("happy", "okay", "sad", "unsure")
# The dashboard's audit measures (quality/selectors.py, `audited_cases_good_or_better`).
MEASURE_TAGS = ("impact_of_plan", "use_of_gcp")

_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_TOP_FIELDS = {"key", "name", "kind", "audience", "introduction", "scale", "questions"}
_POINT_FIELDS = {"value", "label", "picture"}
_QUESTION_FIELDS = {"id", "text", "hint", "type", "required", "measure"}


class QuestionSetError(Exception):
    """A document that cannot be a question set; `messages` name each problem's place."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass(frozen=True)
class Point:
    value: str
    label: str
    picture: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    hint: str
    type: str
    required: bool
    measure: str = ""


@dataclass(frozen=True)
class ParsedSet:
    key: str
    name: str
    kind: str
    audience: str
    introduction: str
    scale: tuple
    questions: tuple

    @property
    def is_audit(self):
        return self.kind == CASE_AUDIT

    def question(self, question_id):
        return next((question for question in self.questions if question.id == question_id), None)

    def point(self, value):
        return next((point for point in self.scale if point.value == value), None)

    def label_of(self, value):
        point = self.point(value)
        return point.label if point else str(value)

    def coerce(self, question, raw):
        """An answer as stored: a scale point's value, or trimmed text. ValueError with a message for the person answering."""
        text = str(raw if raw is not None else "").strip()
        if question.type == "text":
            return text
        if self.point(text) is None:
            raise ValueError("Choose one of the answers")
        return text


def _text(value, where, problems, *, required=True):
    if value is None or value == "":
        if required:
            problems.append(f"{where}: required")
        return ""
    if not isinstance(value, str):
        problems.append(f"{where}: must be text")
        return ""
    return value.strip()


def _unknown(document, allowed, where, problems):
    for name in sorted(set(document) - allowed):
        problems.append(f"{where}: unknown field '{name}'")


def _scale(document, problems):
    raw = document.get("scale")
    if not isinstance(raw, list) or not raw:
        problems.append("scale: a family feedback set needs a list of answers")
        return ()
    points, seen = [], set()
    for index, entry in enumerate(raw):
        where = f"scale[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be an object")
            continue
        _unknown(entry, _POINT_FIELDS, where, problems)
        value = _text(entry.get("value"), f"{where}.value", problems)
        if value and not _ID.match(value):
            problems.append(f"{where}.value: use lower-case letters, digits and _ ('{value}')")
        if value in seen:
            problems.append(f"{where}.value: '{value}' twice")
        seen.add(value)
        picture = _text(entry.get("picture"), f"{where}.picture", problems, required=False)
        if picture and picture not in PICTURES:
            problems.append(f"{where}.picture: one of {', '.join(PICTURES)}")
        points.append(Point(value=value, label=_text(entry.get("label"), f"{where}.label", problems), picture=picture))
    return tuple(points)


def _questions(document, kind, problems):
    raw = document.get("questions")
    if not isinstance(raw, list) or not raw:
        problems.append("questions: at least one question")
        return ()
    questions, seen, tags = [], set(), set()
    for index, entry in enumerate(raw):
        where = f"questions[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be an object")
            continue
        _unknown(entry, _QUESTION_FIELDS, where, problems)
        question_id = _text(entry.get("id"), f"{where}.id", problems)
        if question_id and not _ID.match(question_id):
            problems.append(f"{where}.id: use lower-case letters, digits and _ ('{question_id}')")
        if question_id in seen:
            problems.append(f"{where}.id: '{question_id}' twice")
        seen.add(question_id)
        default_type = "grade" if kind == CASE_AUDIT else "scale"
        question_type = entry.get("type", default_type)
        allowed_types = ("grade",) if kind == CASE_AUDIT else ("scale", "text")
        if question_type not in allowed_types:
            problems.append(f"{where}.type: one of {', '.join(allowed_types)}")
        required = entry.get("required", kind == CASE_AUDIT)
        if not isinstance(required, bool):
            problems.append(f"{where}.required: true or false")
            required = True
        measure = _text(entry.get("measure"), f"{where}.measure", problems, required=False)
        if measure and kind != CASE_AUDIT:
            problems.append(f"{where}.measure: only audit questions feed the audit measures")
        if measure and measure not in MEASURE_TAGS:
            problems.append(f"{where}.measure: one of {', '.join(MEASURE_TAGS)}")
        if measure in tags:
            problems.append(f"{where}.measure: '{measure}' is on two questions")
        tags.add(measure or None)
        questions.append(
            Question(
                id=question_id,
                text=_text(entry.get("text"), f"{where}.text", problems),
                hint=_text(entry.get("hint"), f"{where}.hint", problems, required=False),
                type=question_type,
                required=required,
                measure=measure,
            )
        )
    return tuple(questions)


def check(document):
    """The typed set a document describes, or QuestionSetError listing every problem."""
    if not isinstance(document, dict):
        raise QuestionSetError(["The document must be an object with key, name, kind and questions."])
    problems = []
    _unknown(document, _TOP_FIELDS, "document", problems)
    key = _text(document.get("key"), "key", problems)
    if key and not _ID.match(key):
        problems.append(f"key: use lower-case letters, digits and _ ('{key}')")
    kind = document.get("kind")
    if kind not in KINDS:
        problems.append(f"kind: one of {', '.join(KINDS)}")
    audience = _text(document.get("audience"), "audience", problems, required=kind == FAMILY_FEEDBACK)
    if kind == FAMILY_FEEDBACK and audience and audience not in AUDIENCES:
        problems.append(f"audience: one of {', '.join(AUDIENCES)}")
    if kind == CASE_AUDIT and audience:
        problems.append("audience: only family feedback sets have an audience")
    scale = ()
    if kind == FAMILY_FEEDBACK:
        scale = _scale(document, problems)
    elif "scale" in document:
        problems.append("scale: audit questions are graded on the fixed audit grades")
    questions = _questions(document, kind, problems)
    parsed = ParsedSet(
        key=key,
        name=_text(document.get("name"), "name", problems),
        kind=kind if kind in KINDS else "",
        audience=audience,
        introduction=_text(document.get("introduction"), "introduction", problems, required=False),
        scale=scale,
        questions=questions,
    )
    if problems:
        raise QuestionSetError(problems)
    return parsed


def parse_text(text):
    """A JSON document typed or pasted on the load page, checked (QuestionSetError when it is not one)."""
    if len(text) > MAX_DOCUMENT_CHARACTERS:
        raise QuestionSetError([f"The document is longer than {MAX_DOCUMENT_CHARACTERS:,} characters."])
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise QuestionSetError([f"Not JSON: {error.msg} at line {error.lineno}, column {error.colno}."]) from error
    check(document)
    return document


def shipped_document(name):
    """One of the shipped documents (quality/shipped/<name>.json)."""
    return json.loads((SHIPPED_DIR / f"{name}.json").read_text(encoding="utf-8"))
