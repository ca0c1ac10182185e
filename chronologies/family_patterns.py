"""Family-wide patterns: concerns about different children of one household add up (issue 14).

The learning review: the school worried about the 14-year-old's head lice and hygiene, visiting
professionals about the 3-year-old's home conditions, and nobody added them up, because every rule
looked at one child. Here the household's children are read together, as the cumulative-concerns
rule reads one child (patterns.py): `CHRONOLOGY_CUMULATIVE_MIN_ENTRIES` (3) or more concerns or
significant or critical entries, from `CHRONOLOGY_CUMULATIVE_MIN_AGENCIES` (2) or more agencies,
within `CHRONOLOGY_CUMULATIVE_WINDOW_MONTHS` (6) months, and about at least two of its children.

Counting and naming are different questions. The pattern is counted over the whole household as
the access layer allows (`access.household_entries_counted_for`: a sibling the reader cannot see
still counts, a restricted entry only when the reader may read it); what it names is only what the
reader may see (`visible`: their entries, agencies and children; the rest is a number). Recurring
themes across the children are named from the reader's own entries only.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from agencies.access import children_visible_to, chronology_entries_visible_to, household_entries_counted_for
from neglect_portal.dates import months_before

from .models import NOTABLE, EntryKind
from .patterns import _themes, cumulative_min_agencies, cumulative_min_entries, cumulative_window_months
from .selectors import current_versions

MIN_CHILDREN = 2


@dataclass(frozen=True)
class FamilyPattern:
    """Concerns about several children of one household, for one reader.

    `entries` are all that count (oldest first), `visible` those the reader may see; `since` is the
    day of the entry that completed the pattern; `themes` the recurring themes found in the
    reader's entries about two or more of the children.
    """

    family_id: int
    entries: tuple
    visible: tuple
    since: date
    themes: tuple = ()

    @property
    def children_count(self):
        return len({entry.child_id for entry in self.entries})

    @property
    def agencies_count(self):
        return len({entry.agency_id for entry in self.entries})

    @property
    def hidden_count(self):
        return len(self.entries) - len(self.visible)

    def reason(self, *, window_months: int) -> str:
        """The pattern in plain words, naming only the reader's own entries, agencies and children."""
        children = sorted({str(entry.child) for entry in self.visible})
        agencies = sorted({entry.agency.name for entry in self.visible})
        text = (
            f"{len(self.entries)} concerns or significant events about {self.children_count} children of the household, "
            f"from {self.agencies_count} agencies, in the last {window_months} months."
        )
        if self.visible:
            text += f" You can see {len(self.visible)} of them (about {_names(children)}; recorded by {_names(agencies)})"
            hidden = self.hidden_count
            text += f"; {hidden} more {'is' if hidden == 1 else 'are'} about another child of the household whose record you cannot see." if hidden else "."
        if self.themes:
            text += f" Recurring across the children: {_names([theme.lower() for theme in self.themes])}."
        return text


def _names(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _completes(entries):
    """The day of the entry with which the pattern first holds (enough entries, agencies and children), or None."""
    agencies, children = set(), set()
    for count, entry in enumerate(entries, start=1):
        agencies.add(entry.agency_id)
        children.add(entry.child_id)
        if count >= cumulative_min_entries() and len(agencies) >= cumulative_min_agencies() and len(children) >= MIN_CHILDREN:
            return entry.occurred_on
    return None


def _family_themes(visible):
    """Theme labels found in the reader's entries about at least two of the children."""
    found = []
    for _code, label, matches in _themes():
        if len({entry.child_id for entry in visible if matches(entry)}) >= MIN_CHILDREN:
            found.append(label)
    return tuple(found)


def family_concerns_by_child(*, user, child_ids, today: date | None = None) -> dict[int, FamilyPattern]:
    """{child id: the family-wide pattern of the child's household} for those of `child_ids` (children the user sees) where it holds.

    A fixed number of queries whatever the number of children: their households, the entries that
    count, and which of those the reader may see.
    """
    today = today or timezone.localdate()
    family_of = dict(children_visible_to(user).filter(pk__in=child_ids, family__isnull=False).values_list("pk", "family_id"))
    if not family_of:
        return {}
    counted = list(
        current_versions(household_entries_counted_for(user, set(family_of.values())))
        .filter(occurred_on__gte=months_before(today, cumulative_window_months()), occurred_on__lte=today)
        .filter(Q(kind=EntryKind.CONCERN) | Q(significance__in=NOTABLE))
        .select_related("agency", "child")
        .order_by("occurred_on", "created_at", "pk")
    )
    visible = set(chronology_entries_visible_to(user).filter(pk__in=[entry.pk for entry in counted]).values_list("pk", flat=True))
    by_family = defaultdict(list)
    for entry in counted:
        by_family[entry.child.family_id].append(entry)
    patterns = {}
    for family_id, entries in by_family.items():
        since = _completes(entries)
        if since is None:
            continue
        seen = tuple(entry for entry in entries if entry.pk in visible)
        patterns[family_id] = FamilyPattern(family_id=family_id, entries=tuple(entries), visible=seen, since=since, themes=_family_themes(seen))
    return {child_id: patterns[family_id] for child_id, family_id in family_of.items() if family_id in patterns}
