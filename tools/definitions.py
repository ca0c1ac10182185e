"""Assessment-tool definitions as data: reading a file, checking it, and the typed view of it.

A definition is a document (JSON or YAML) that the partnership owns. It holds the structure:
areas, their items, the scale each item is answered on (with a label for every point, and
optionally a descriptor per item and point), the scoring rule for each area and for the whole
(tools/scoring.py), optional age bands with guidance, and what a practitioner reads about the
tool (its aims, methodology, adaptations and guidance). The product ships its own neutral wording
(tools/shipped/, docs/tools.md); a partnership holding a licence for a tool's published wording
loads its copy with `manage.py load_tool` or on the definitions page.

The stored document is exactly what was checked here, so a definition reads the same in ten
years: `structure_of()` turns it into frozen dataclasses with defaults applied, and `check()`
returns every problem at once, each naming its place in the file ("areas[2].items[0]: unknown
scale 'grade7'"), because a partnership fixing a long file by trial and error would give up.

Document shape (see tools/shipped/gcp2.json for a full example):

    key            short identifier shared by all versions of a tool, e.g. "gcp2"
    name           the tool's name
    summary        optional; what the tool is for, in a sentence (shown when choosing a tool)
    aims, methodology, adaptations, guidance
                   optional texts (a string, or a list of paragraphs): what the tool is for, how it
                   is used, how it may be adapted (age, disability, language), and anything else a
                   practitioner should read once (for example that the wording is neutral)
    higher_is      "worse" or "better": how to read a higher score (needed when anything is scored)
    scales         {scale id: {"kind": "points" | "choices" | "text", ...}}
                   points:  [{"value": 1, "label": "..."}, ...] whole numbers, ascending (1-5, 1-10)
                   choices: [{"value": "yes", "label": "Yes", "score": 0,
                              "evidence_required"?: true}, ...] score may be null (not known, not
                   applicable: answered, but not counted); evidence_required: this answer needs
                   its evidence (the checklist's "No" and "Borderline")
    age_bands      optional [{"id", "label", "from_months", "to_months"}]; months from birth,
                   negative before birth; to_months is exclusive and optional on the last band
    scoring        {"area": rule, "overall": rule}; a rule is a name (none, mean, worst, sum,
                   rounded_mean) or an object: {"rule": name, "places"? (mean), "grade"
                   (count_at_or_above), "of" + "table" (lookup: [{"at_least", "score", "label"?}]),
                   "over"? ("areas" or "items", overall only), "explain"? (the rule in words)}
    areas          [{"id", "title", "description"?, "scoring"? (overrides scoring.area),
                     "items": [{"id", "title", "prompt"?, "scale", "required"? (default true),
                                "evidence_required"? (default false), "age_bands"? [band ids],
                                "guidance"? {band id or "all": text},
                                "descriptors"? {point value: what that grade means for this item}}]}]
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from .scoring import RULE_KINDS, LookupRow, Rule

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"
MAX_DOCUMENT_CHARACTERS = 500_000

SCALE_KINDS = ("points", "choices", "text")
SCORING_RULES = RULE_KINDS
TEXT_FIELDS = ("aims", "methodology", "adaptations", "guidance")
DIRECTIONS = ("worse", "better")
ALL_BANDS = "all"

_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_TOP_FIELDS = {"key", "name", "summary", "higher_is", "scales", "age_bands", "scoring", "areas", *TEXT_FIELDS}
_SCALE_FIELDS = {"kind", "points", "choices"}
_POINT_FIELDS = {"value", "label"}
_CHOICE_FIELDS = {"value", "label", "score", "evidence_required"}
_BAND_FIELDS = {"id", "label", "from_months", "to_months"}
_SCORING_FIELDS = {"area", "overall"}
_AREA_FIELDS = {"id", "title", "description", "scoring", "items"}
_ITEM_FIELDS = {"id", "title", "prompt", "scale", "required", "evidence_required", "age_bands", "guidance", "descriptors"}
_RULE_FIELDS = {"rule", "places", "grade", "of", "table", "over", "explain"}
_LOOKUP_ROW_FIELDS = {"at_least", "score", "label"}


class DefinitionError(Exception):
    """A document that cannot be a definition; `messages` name each problem's place in the file."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


# --- The typed view ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    value: object
    label: str
    score: Decimal | None
    evidence_required: bool = False


@dataclass(frozen=True)
class Scale:
    id: str
    kind: str
    points: tuple = ()

    @property
    def is_scored(self):
        return any(point.score is not None for point in self.points)

    @property
    def bounds(self):
        """Lowest and highest score a point can carry (None for free text)."""
        scores = [point.score for point in self.points if point.score is not None]
        return (min(scores), max(scores)) if scores else None

    def point(self, value):
        return next((point for point in self.points if point.value == value), None)

    def coerce(self, raw):
        """An answer as stored: the point's value for a scale, the trimmed text for free text.

        Accepts what a form or JSON sends ("3" or 3 for a points scale). Raises ValueError with a
        message for the person answering when the value is not one of the scale's points.
        """
        if self.kind == "text":
            return str(raw).strip()
        text = str(raw).strip()
        for point in self.points:
            if str(point.value) == text:
                return point.value
        allowed = ", ".join(str(point.value) for point in self.points)
        raise ValueError(f"Choose one of the answers given ({allowed})")


@dataclass(frozen=True)
class AgeBand:
    id: str
    label: str
    from_months: int | None
    to_months: int | None

    def contains(self, months):
        if self.from_months is not None and months < self.from_months:
            return False
        return self.to_months is None or months < self.to_months


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    prompt: str
    scale: Scale
    required: bool
    evidence_required: bool
    age_bands: tuple
    guidance: dict = field(hash=False)
    descriptors: dict = field(default_factory=dict, hash=False)

    def needs_evidence(self, value):
        """Whether an answer of `value` needs its evidence: always for some items, for some answers on others."""
        if self.evidence_required:
            return True
        point = self.scale.point(value)
        return bool(point and point.evidence_required)

    @property
    def evidence_rule(self):
        """In words, when evidence is needed: "always", the answers that need it, or ""."""
        if self.evidence_required:
            return "always"
        return " or ".join(point.label for point in self.scale.points if point.evidence_required)

    def descriptor(self, value):
        """What this item's answer `value` means, in the definition's words for this item ("" when none)."""
        return self.descriptors.get(str(value), "")

    def label_for(self, point):
        """A point's label for this item: "3 – <this item's descriptor>" when the definition gives one."""
        text = self.descriptor(point.value)
        if not text:
            return point.label
        return f"{point.value} – {text}" if self.scale.kind == "points" else f"{point.label} – {text}"

    def applies_to(self, age_band):
        """An item limited to some age bands is asked only in those; with no band chosen, all are asked."""
        return not self.age_bands or not age_band or age_band in self.age_bands

    def guidance_for(self, age_band):
        """Guidance for every age, then for the run's age band (all bands when none is chosen)."""
        texts = [self.guidance[ALL_BANDS]] if ALL_BANDS in self.guidance else []
        if age_band:
            if age_band in self.guidance:
                texts.append(self.guidance[age_band])
        else:
            texts += [text for band, text in self.guidance.items() if band != ALL_BANDS]
        return texts


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    description: str
    rule: Rule
    items: tuple

    def items_for(self, age_band):
        return [item for item in self.items if item.applies_to(age_band)]


@dataclass(frozen=True)
class Structure:
    key: str
    name: str
    summary: str
    higher_is: str
    scales: dict = field(hash=False)
    age_bands: tuple = ()
    overall_rule: Rule = Rule("none")
    areas: tuple = ()
    aims: tuple = ()
    methodology: tuple = ()
    adaptations: tuple = ()
    guidance: tuple = ()

    @property
    def is_scored(self):
        return self.overall_rule != "none" or any(area.rule != "none" for area in self.areas)

    def area_rule_text(self, area):
        """How `area` is scored, in words (shown beside its score)."""
        return area.rule.describe(reads="its items' scores", higher_is=self.higher_is)

    def overall_rule_text(self):
        reads = "every item's score" if self.overall_rule.over == "items" else "the area scores"
        return self.overall_rule.describe(reads=reads, higher_is=self.higher_is)

    def area(self, area_id):
        return next((area for area in self.areas if area.id == area_id), None)

    def band(self, band_id):
        return next((band for band in self.age_bands if band.id == band_id), None)

    def band_for_age_in_months(self, months):
        return next((band for band in self.age_bands if band.contains(months)), None)

    def score_bounds(self):
        """The lowest and highest score any scored item can have, for chart axes."""
        bounds = [scale.bounds for scale in self.scales.values() if scale.bounds]
        if not bounds:
            return None
        return min(low for low, _ in bounds), max(high for _, high in bounds)


# --- Reading a file ----------------------------------------------------------------------------


def parse_text(text, *, filename=""):
    """The document in `text` (JSON or YAML), or DefinitionError naming the line that broke.

    The format follows the file name; pasted text starting with "{" is read as JSON, else YAML.
    """
    if len(text) > MAX_DOCUMENT_CHARACTERS:
        raise DefinitionError([f"The definition is longer than {MAX_DOCUMENT_CHARACTERS:,} characters."])
    suffix = Path(filename).suffix.lower()
    as_json = suffix == ".json" or (suffix not in (".yaml", ".yml") and text.lstrip().startswith("{"))
    try:
        document = json.loads(text) if as_json else yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise DefinitionError([f"line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"]) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or "cannot be read"
        raise DefinitionError([f"{where}not valid YAML ({problem})"]) from error
    if not isinstance(document, dict):
        raise DefinitionError(["The file must hold one definition: an object with key, name, scales, scoring and areas."])
    return document


SHIPPED_VERSION = 2  # the newest version of the shipped definitions (tools/shipped/v2/, migration 0004)


def shipped_documents(version=1):
    """The definitions shipped with the product as `version`, by file name.

    Version 1 is tools/shipped/*.json (loaded by migration 0003); a later version n is
    tools/shipped/v<n>/*.json, loaded by its own migration as the next version of each tool. A
    shipped file is never edited once released.
    """
    folder = SHIPPED_DIR if version == 1 else SHIPPED_DIR / f"v{version}"
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}


# --- Checking ----------------------------------------------------------------------------------


class _Checker:
    """Walks a document once, collecting every problem with its place, and builds the Structure."""

    def __init__(self):
        self.errors = []
        self.rule_problem = False  # a rule was refused: checks that depend on rules stay quiet

    def error(self, where, message):
        self.errors.append(f"{where}: {message}")

    def fields(self, where, value, allowed):
        if not isinstance(value, dict):
            self.error(where, "must be an object with named fields")
            return False
        for name in sorted(set(value) - allowed):
            self.error(where, f"unknown field '{name}' (allowed: {', '.join(sorted(allowed))})")
        return True

    def text(self, where, value, *, required=True):
        if value is None or value == "":
            if required:
                self.error(where, "missing")
            return ""
        if not isinstance(value, str):
            self.error(where, "must be text")
            return ""
        return value.strip()

    def identifier(self, where, value):
        if value is None or value == "":
            self.error(where, "missing")
            return ""
        if not isinstance(value, str) or not _ID.match(value):
            self.error(where, f"{value!r} is not a valid id (lower-case letters, digits and _, starting with a letter)")
            return ""
        return value

    def whole_number(self, where, value, *, required=True):
        if value is None:
            if required:
                self.error(where, "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, f"{value!r} must be a whole number")
            return None
        return value

    def flag(self, where, value, default):
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(where, "must be true or false")
            return default
        return value

    def rule(self, where, value, default=None, *, overall=False, inner=False):
        """The rule stated at `where`: a name, or an object with the rule's settings (tools/scoring.py).

        A problem is reported here and the rule passed on as None, so checks that depend on it stay
        quiet rather than report a second, misleading problem.
        """
        if value is None and default is not None:
            return default
        errors_before = len(self.errors)
        rule = self._rule(where, value, overall=overall, inner=inner)
        if rule is None or len(self.errors) > errors_before:
            self.rule_problem = True
        return rule

    def _rule(self, where, value, *, overall, inner):
        if value is None:
            self.error(where, f"missing (known rules: {', '.join(SCORING_RULES)})")
            return None
        named = isinstance(value, str)
        if named:
            value = {"rule": value}
        if not self.fields(where, value, _RULE_FIELDS):
            return None
        kind = value.get("rule")
        if kind not in SCORING_RULES:
            self.error(where if named else f"{where}.rule", f"unknown scoring rule {kind!r} (known rules: {', '.join(SCORING_RULES)})")
            return None
        if inner and kind in ("none", "lookup"):
            self.error(where if named else f"{where}.rule", f"a lookup reads a rule that gives a number, not {kind!r}")
            return None
        for name, allowed_for in (("places", ("mean",)), ("grade", ("count_at_or_above",)), ("of", ("lookup",)), ("table", ("lookup",))):
            if name in value and kind not in allowed_for:
                self.error(f"{where}.{name}", f"only a {' or '.join(allowed_for)} rule has '{name}'")
        places = 1
        if "places" in value:
            places = self.whole_number(f"{where}.places", value["places"])
            if places is not None and not 0 <= places <= 2:
                self.error(f"{where}.places", "must be 0, 1 or 2")
            places = places if places is not None else 1
        grade = self.score(f"{where}.grade", value.get("grade")) if kind == "count_at_or_above" else None
        if kind == "count_at_or_above" and grade is None and value.get("grade") is None:
            self.error(f"{where}.grade", "missing: the grade at or above which an answer is counted")
        of, table = None, ()
        if kind == "lookup":
            of = self.rule(f"{where}.of", value.get("of"), inner=True)
            table = self.lookup_table(f"{where}.table", value.get("table"))
        over = value.get("over", "areas")
        if "over" in value:
            if not overall:
                self.error(f"{where}.over", "only the overall rule may say what it reads ('over')")
            elif over not in ("areas", "items"):
                self.error(f"{where}.over", "must be 'areas' or 'items'")
        explain = self.text(f"{where}.explain", value.get("explain"), required=False)
        return Rule(kind=kind, places=places, grade=grade, of=of, table=table, over=over if over in ("areas", "items") else "areas", explain=explain)

    def lookup_table(self, where, raw):
        rows = []
        for index, entry in enumerate(self.listing(where, raw)):
            place = f"{where}[{index}]"
            if not self.fields(place, entry, _LOOKUP_ROW_FIELDS):
                continue
            at_least = self.score(f"{place}.at_least", entry.get("at_least"))
            score = self.score(f"{place}.score", entry.get("score"))
            if entry.get("at_least") is None:
                self.error(f"{place}.at_least", "missing")
            if entry.get("score") is None:
                self.error(f"{place}.score", "missing")
            label = self.text(f"{place}.label", entry.get("label"), required=False)
            if at_least is None or score is None:
                continue
            if rows and at_least <= rows[-1].at_least:
                self.error(f"{place}.at_least", "rows must go from the lowest 'at_least' to the highest")
            rows.append(LookupRow(at_least=at_least, score=score, label=label))
        return tuple(rows)

    def paragraphs(self, where, value):
        """A text field given as one string or a list of paragraphs, as a tuple of paragraphs."""
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split("\n\n") if part.strip())
        if isinstance(value, list) and all(isinstance(part, str) for part in value):
            return tuple(part.strip() for part in value if part.strip())
        self.error(where, "must be text, or a list of paragraphs")
        return ()

    def listing(self, where, value, *, required=True):
        if value is None:
            if required:
                self.error(where, "missing")
            return []
        if not isinstance(value, list) or (required and not value):
            self.error(where, "must be a non-empty list")
            return []
        return value

    # --- parts ---

    def scale(self, where, scale_id, raw):
        if not self.fields(where, raw, _SCALE_FIELDS):
            return None
        kind = raw.get("kind")
        if kind not in SCALE_KINDS:
            self.error(f"{where}.kind", f"unknown scale kind {kind!r} (known kinds: {', '.join(SCALE_KINDS)})")
            return None
        if kind == "text":
            for extra in ("points", "choices"):
                if extra in raw:
                    self.error(f"{where}.{extra}", "a text scale has no points")
            return Scale(id=scale_id, kind=kind)
        listed, other = ("points", "choices") if kind == "points" else ("choices", "points")
        if other in raw:
            self.error(f"{where}.{other}", f"a {kind} scale lists its answers under '{listed}'")
        entries = self.listing(f"{where}.{listed}", raw.get(listed))
        if entries and len(entries) < 2:
            self.error(f"{where}.{listed}", "a scale needs at least two answers")
        points, seen = [], set()
        for index, entry in enumerate(entries):
            place = f"{where}.{listed}[{index}]"
            if not self.fields(place, entry, _POINT_FIELDS if kind == "points" else _CHOICE_FIELDS):
                continue
            label = self.text(f"{place}.label", entry.get("label"))
            if kind == "points":
                value = self.whole_number(f"{place}.value", entry.get("value"))
                score = Decimal(value) if value is not None else None
            else:
                value = self.identifier(f"{place}.value", entry.get("value"))
                score = self.score(f"{place}.score", entry.get("score"))
            evidence = self.flag(f"{place}.evidence_required", entry.get("evidence_required"), False)
            if value is None or value == "":
                continue
            if value in seen:
                self.error(f"{place}.value", f"duplicate answer {value!r}")
                continue
            seen.add(value)
            points.append(Point(value=value, label=label, score=score, evidence_required=evidence))
        if kind == "points" and [p.value for p in points] != sorted(p.value for p in points):
            self.error(f"{where}.points", "points must be listed from the lowest value to the highest")
        return Scale(id=scale_id, kind=kind, points=tuple(points))

    def score(self, where, value):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(where, f"{value!r} must be a number or null")
            return None
        return Decimal(str(value))

    def band(self, where, raw, seen):
        if not self.fields(where, raw, _BAND_FIELDS):
            return None
        band_id = self.identifier(f"{where}.id", raw.get("id"))
        label = self.text(f"{where}.label", raw.get("label"))
        start = self.whole_number(f"{where}.from_months", raw.get("from_months"), required=False)
        end = self.whole_number(f"{where}.to_months", raw.get("to_months"), required=False)
        if start is not None and end is not None and end <= start:
            self.error(f"{where}.to_months", "must be greater than from_months")
        if band_id in seen:
            self.error(f"{where}.id", f"duplicate age band id {band_id!r}")
            return None
        seen.add(band_id)
        return AgeBand(id=band_id, label=label, from_months=start, to_months=end) if band_id else None

    def item(self, where, raw, scales, band_ids, item_places):
        if not self.fields(where, raw, _ITEM_FIELDS):
            return None
        item_id = self.identifier(f"{where}.id", raw.get("id"))
        if item_id in item_places:
            self.error(where, f"duplicate item id {item_id!r} (first used at {item_places[item_id]})")
        elif item_id:
            item_places[item_id] = where
        title = self.text(f"{where}.title", raw.get("title"))
        prompt = self.text(f"{where}.prompt", raw.get("prompt"), required=False)
        scale_id = raw.get("scale")
        scale = None
        if scale_id is None or scale_id == "":
            self.error(where, "missing scale")
        elif scale_id not in scales:
            known = ", ".join(sorted(scales)) or "none defined"
            self.error(where, f"unknown scale {scale_id!r} (scales in this file: {known})")
        else:
            scale = scales[scale_id]
        bands = raw.get("age_bands") or []
        if not isinstance(bands, list):
            self.error(f"{where}.age_bands", "must be a list of age band ids")
            bands = []
        for band in bands:
            if band not in band_ids:
                self.error(f"{where}.age_bands", f"unknown age band {band!r}")
        guidance = raw.get("guidance") or {}
        if not isinstance(guidance, dict):
            self.error(f"{where}.guidance", "must map age band ids (or 'all') to text")
            guidance = {}
        for band, text in guidance.items():
            if band != ALL_BANDS and band not in band_ids:
                self.error(f"{where}.guidance", f"unknown age band {band!r} (use an age band id or 'all')")
            self.text(f"{where}.guidance.{band}", text)
        required = self.flag(f"{where}.required", raw.get("required"), True)
        evidence_required = self.flag(f"{where}.evidence_required", raw.get("evidence_required"), False)
        if evidence_required and scale and scale.kind == "text":
            self.error(f"{where}.evidence_required", "a free-text item's answer is its own evidence: remove evidence_required")
        descriptors = self.descriptors(f"{where}.descriptors", raw.get("descriptors"), scale)
        if not (item_id and scale):
            return None
        return Item(
            id=item_id,
            title=title,
            prompt=prompt,
            scale=scale,
            required=required,
            evidence_required=evidence_required,
            age_bands=tuple(bands),
            guidance={band: str(text).strip() for band, text in guidance.items() if isinstance(text, str)},
            descriptors=descriptors,
        )

    def descriptors(self, where, raw, scale):
        """{point value as text: descriptor}: what each answer means for this item."""
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.error(where, "must map each answer's value to what it means for this item")
            return {}
        if scale is None:
            return {}
        if scale.kind == "text":
            self.error(where, "a free-text item has no answers to describe")
            return {}
        values = {str(point.value) for point in scale.points}
        found = {}
        for value, text in raw.items():
            if str(value) not in values:
                self.error(where, f"{value!r} is not an answer on scale '{scale.id}' (answers: {', '.join(sorted(values))})")
                continue
            found[str(value)] = self.text(f"{where}.{value}", text)
        return found

    def area(self, where, raw, default_rule, scales, band_ids, area_ids, item_places):
        if not self.fields(where, raw, _AREA_FIELDS):
            return None
        area_id = self.identifier(f"{where}.id", raw.get("id"))
        if area_id in area_ids:
            self.error(f"{where}.id", f"duplicate area id {area_id!r}")
        area_ids.add(area_id)
        title = self.text(f"{where}.title", raw.get("title"))
        description = self.text(f"{where}.description", raw.get("description"), required=False)
        rule = self.rule(f"{where}.scoring", raw.get("scoring"), default=default_rule)
        items = []
        for index, entry in enumerate(self.listing(f"{where}.items", raw.get("items"))):
            item = self.item(f"{where}.items[{index}]", entry, scales, band_ids, item_places)
            if item:
                items.append(item)
        if rule is not None and rule.is_scored and items and not any(item.scale.is_scored for item in items):
            self.error(where, f"scoring rule {rule.kind!r} needs at least one item on a scored scale")
        rule = rule or Rule("none")
        return Area(id=area_id, title=title, description=description, rule=rule, items=tuple(items))

    def document(self, raw):
        if not self.fields("definition", raw, _TOP_FIELDS):
            return None
        key = self.identifier("key", raw.get("key"))
        name = self.text("name", raw.get("name"))
        summary = self.text("summary", raw.get("summary"), required=False)

        scales = {}
        raw_scales = raw.get("scales")
        if not isinstance(raw_scales, dict) or not raw_scales:
            self.error("scales", 'missing: define at least one scale, e.g. {"grade": {"kind": "points", ...}}')
        else:
            for scale_id, scale_raw in raw_scales.items():
                if not _ID.match(str(scale_id)):
                    self.error(f"scales.{scale_id}", "is not a valid id (lower-case letters, digits and _)")
                    continue
                scale = self.scale(f"scales.{scale_id}", scale_id, scale_raw)
                if scale:
                    scales[scale_id] = scale

        bands, band_ids = [], set()
        for index, entry in enumerate(self.listing("age_bands", raw.get("age_bands"), required=False)):
            band = self.band(f"age_bands[{index}]", entry, band_ids)
            if band:
                bands.append(band)

        texts = {name: self.paragraphs(name, raw.get(name)) for name in TEXT_FIELDS}

        scoring = raw.get("scoring")
        area_rule = overall_rule = Rule("none")
        if scoring is None:
            self.error("scoring", 'missing, e.g. {"area": "worst", "overall": "none"} (use "none" for unscored tools)')
        elif self.fields("scoring", scoring, _SCORING_FIELDS):
            area_rule = self.rule("scoring.area", scoring.get("area")) or Rule("none")
            overall_rule = self.rule("scoring.overall", scoring.get("overall"), overall=True) or Rule("none")

        areas, area_ids, item_places = [], set(), {}
        for index, entry in enumerate(self.listing("areas", raw.get("areas"))):
            area = self.area(f"areas[{index}]", entry, area_rule, scales, band_ids, area_ids, item_places)
            if area:
                areas.append(area)
        if self.rule_problem:
            pass
        elif overall_rule.is_scored and overall_rule.over == "areas" and areas and all(area.rule == "none" for area in areas):
            self.error("scoring.overall", f"rule {overall_rule.kind!r} needs at least one scored area")
        if overall_rule.over == "items" and areas and not any(item.scale.is_scored for area in areas for item in area.items):
            self.error("scoring.overall", f"rule {overall_rule.kind!r} needs at least one item on a scored scale")

        higher_is = raw.get("higher_is")
        scored = overall_rule.is_scored or any(area.rule.is_scored for area in areas)
        if higher_is is None:
            if scored:
                self.error("higher_is", "missing: say whether a higher score is 'worse' or 'better'")
            higher_is = ""
        elif higher_is not in DIRECTIONS:
            self.error("higher_is", f"must be 'worse' or 'better', not {higher_is!r}")
        return Structure(
            key=key,
            name=name,
            summary=summary,
            higher_is=higher_is,
            scales=scales,
            age_bands=tuple(bands),
            overall_rule=overall_rule,
            areas=tuple(areas),
            **texts,
        )


def check(document):
    """The Structure of a document, or DefinitionError listing every problem with its place."""
    checker = _Checker()
    structure = checker.document(document)
    if checker.errors:
        raise DefinitionError(checker.errors)
    return structure


def structure_of(definition):
    """The typed view of a stored definition (its document was checked when it was stored)."""
    return check(definition.structure)
