"""Reads of case data. Every function takes `user=` and starts from the access layer's scoped querysets.

Starting from `cases_visible_to(user)` / `children_visible_to(user)` means a selector can narrow
what a user sees but never widen it. The one exception, `children_matching_identifiers`, says
why where it stands.

Pages get what they show in a fixed number of queries (select_related / prefetch_related), so a
case with fifty siblings, adults or sharing decisions costs the same number of round trips as a case with one (what
the apps above case work add to the case page: cases/case_page.py).
"""

import operator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from functools import reduce

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from agencies.access import can_see_case_work, cases_visible_to, child_visible, children_visible_to, is_overseer, membership_of
from sharing.models import SharingDecision

from .models import (
    Adult,
    AdultChildRelationship,
    Case,
    CaseStatus,
    Child,
    Family,
    HouseholdMember,
    TeamMembership,
    Threshold,
)
from .validators import normalise_nhs_number, normalise_upn, validate_nhs_number, validate_upn


def case_list_for(*, user):
    """Open cases the user may see, newest first, with what the list shows joined in one query."""
    return cases_visible_to(user).filter(status=CaseStatus.OPEN).select_related("child", "lead_agency", "lead_professional").order_by("-opened_on", "-pk")


def case_team(*, case):
    return case.team.select_related("agency").order_by("since")


# --- The case page and the whole family ---------------------------------------------------------


@dataclass(frozen=True)
class CasePage:
    """Everything the case page shows.

    `siblings` and the adults' `child_links` name only children the user may see.
    """

    case: Case
    today: date
    team: list[TeamMembership]
    siblings: list[Child]
    adults: list[Adult]
    sharing_decisions: list = dataclass_field(default_factory=list)


@dataclass(frozen=True)
class FamilyView:
    family: Family
    children: list[Child]
    adults: list[Adult]


def case_page(*, user, case: Case, today: date | None = None) -> CasePage:
    """The case page's data in a fixed number of queries, whatever the amount of case work.

    `case` is one the view obtained from `agencies.access.access_case`; it is read again through
    `cases_visible_to` (Case.DoesNotExist if hidden), so this selector cannot show a case to
    someone who may not see it.
    """
    today = today or timezone.localdate()
    case = cases_visible_to(user).select_related("child__family", "child__school", "lead_agency", "lead_professional").get(pk=case.pk)
    return CasePage(
        case=case,
        today=today,
        team=list(case_team(case=case)),
        siblings=_visible_siblings(user, case.child),
        adults=_adults_with_visible_children(user, case.child.family_id),
        sharing_decisions=list(sharing_decisions_of(case=case)),
    )


def sharing_decisions_of(*, case):
    """The case's disclosure log: every information-sharing decision, newest first, with recipients.

    `case` comes from the access layer (the caller may see it); every decision on it is shown to
    those who see the case, so the team knows who has been told what and why.
    """
    return (
        SharingDecision.objects.filter(case=case)
        .select_related("decided_by", "decided_by_agency", "concern")
        .prefetch_related("shared_with")
        .order_by("-decided_at", "-pk")
    )


def family_view(*, user, family_id: int) -> FamilyView | None:
    """The household's children the user may see, with its adults; None if they may see none of them.

    A family is reached only through a child the user may see, so a household whose children are
    all hidden is answered like one that does not exist.
    """
    children = list(children_visible_to(user).filter(family_id=family_id).select_related("family", "school").order_by("date_of_birth", "pk"))
    if not children:
        return None
    return FamilyView(family=children[0].family, children=children, adults=_adults_with_visible_children(user, family_id))


def _visible_siblings(user, child):
    if child.family_id is None:
        return []
    return list(children_visible_to(user).filter(family_id=child.family_id).exclude(pk=child.pk).order_by("date_of_birth", "pk"))


def _adults_with_visible_children(user, family_id):
    """The household's adults; each one's `child_links` leave out children the user may not see."""
    if family_id is None:
        return []
    links = AdultChildRelationship.objects.filter(child_visible(user)).select_related("child")
    # Issue 14: an adult who has left the household (their membership ended, none current) is no longer listed.
    left = HouseholdMember.objects.filter(adult_id=OuterRef("pk"), family_id=family_id, left_on__isnull=False)
    living_here = HouseholdMember.objects.filter(adult_id=OuterRef("pk"), family_id=family_id, left_on__isnull=True)
    return list(
        Adult.objects.filter(family_id=family_id)
        .exclude(Exists(left) & ~Exists(living_here))
        .prefetch_related(Prefetch("child_links", queryset=links))
        .order_by("family_name", "given_name", "pk")
    )


# --- Work lists ----------------------------------------------------------------------------------


def my_cases(*, user):
    """Open cases the user leads as lead professional."""
    return case_list_for(user=user).filter(lead_professional=user)


def agency_cases(*, user):
    """Open cases a manager (or designated safeguarding lead) oversees.

    Those their agency leads; in children's social care, also every statutory case whoever leads
    it, because the local authority holds statutory responsibility. Other roles get none.
    """
    membership = membership_of(user)
    if membership is None or not is_overseer(user):
        return cases_visible_to(user).none()
    overseen = Q(lead_agency_id=membership.agency_id)
    if membership.agency.is_childrens_social_care:
        overseen |= Q(threshold=Threshold.SPECIALIST)
    return case_list_for(user=user).filter(overseen)


# --- Finding a child by exact identifiers (recording a concern) --------------------------------


@dataclass(frozen=True)
class ChildIdentifiers:
    """What a practitioner knows that identifies a child exactly: name and date of birth, NHS number, UPN."""

    given_name: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    upn: str = ""

    @property
    def has_name_and_birth_date(self):
        return bool(self.given_name and self.family_name and self.date_of_birth)

    def checked(self) -> "ChildIdentifiers":
        """A copy with names trimmed and numbers normalised.

        Raises field-keyed errors for a mistyped number, or when nothing given identifies a child.
        """
        identifiers = ChildIdentifiers(
            given_name=self.given_name.strip(),
            family_name=self.family_name.strip(),
            date_of_birth=self.date_of_birth,
            nhs_number=normalise_nhs_number(self.nhs_number),
            upn=normalise_upn(self.upn),
        )
        errors = {}
        for field, validate in (("nhs_number", validate_nhs_number), ("upn", validate_upn)):
            value = getattr(identifiers, field)
            if value:
                try:
                    validate(value)
                except ValidationError as error:
                    errors[field] = error.messages
        if not errors and not (identifiers.has_name_and_birth_date or identifiers.nhs_number or identifiers.upn):
            errors[NON_FIELD_ERRORS] = "Enter the child's name and date of birth, or their NHS number or unique pupil number"
        if errors:
            raise ValidationError(errors)
        return identifiers

    def lookups(self):
        """Conditions to search by, strongest first: NHS number or UPN, then name and date of birth.

        The numbers identify one child each, so they decide when they find anyone; the name and
        date of birth are tried only when they do not (a child whose number is not on record yet).
        """
        numbers = [Q(**{field: value}) for field, value in (("nhs_number", self.nhs_number), ("upn", self.upn)) if value]
        if numbers:
            yield reduce(operator.or_, numbers)
        if self.has_name_and_birth_date:
            yield Q(given_name__iexact=self.given_name, family_name__iexact=self.family_name, date_of_birth=self.date_of_birth)

    def first_matches(self):
        """Up to two children found by the strongest lookup that finds anyone, across ALL children.

        Two results are enough to know a match is ambiguous. Callers decide who may search this
        widely (`children_matching_identifiers`, `agencies.access.subject_children_matching`).
        """
        for condition in self.lookups():
            found = list(Child.objects.filter(condition).order_by("pk")[:2])
            if found:
                return found
        return []

    def contradicts(self, child):
        """True when an identifier given here differs from the one recorded for `child`.

        A child found by one identifier but contradicted by another is more likely a typing
        mistake than the same child, and a concern must not land on the wrong child's record.
        """
        if self.nhs_number and child.nhs_number and self.nhs_number != child.nhs_number:
            return True
        if self.upn and child.upn and self.upn != child.upn:
            return True
        if self.has_name_and_birth_date:
            same_name = (self.given_name.upper(), self.family_name.upper()) == (child.given_name.upper(), child.family_name.upper())
            return not same_name or self.date_of_birth != child.date_of_birth
        return False


def children_matching_identifiers(*, user, identifiers: ChildIdentifiers) -> list[Child]:
    """Up to two children whose exact identifiers match, searched across ALL children.

    The one read that looks beyond `children_visible_to`: docs/domain.md ("Access rules") lets any practitioner record a
    concern about a child found by exact identifiers, whoever can see that child today. It exists
    for `concerns.services.concern_record_for_identifiers` alone, which reveals nothing of what it finds;
    views and the API must never call it or show its result. Two results are enough to know that
    a match is ambiguous. Names compare without regard to case but otherwise exactly: a fuzzy
    match could put a concern on, and open the record of, a different child.
    """
    if not can_see_case_work(user):
        return []
    return identifiers.first_matches()


# --- Records on a case (the case itself already came through the access layer) -----------------


def open_case_of(*, user, child: Child) -> Case | None:
    """The child's open case, if the user may see it (a child has at most one open case)."""
    return cases_visible_to(user).filter(child=child, status=CaseStatus.OPEN).select_related("child").first()


def case_for_new_concern(*, user, child: Child) -> Case | None:
    """The case a new concern about a visible child goes to: the open one, else the latest closed one.

    A closed case is returned so the service can route the concern on (the child's open case, or a
    new case for review): a concern about a child whose case has closed is never refused.
    """
    open_case = open_case_of(user=user, child=child)
    if open_case is not None:
        return open_case
    return cases_visible_to(user).filter(child=child).select_related("child", "lead_agency").order_by("-opened_on", "-pk").first()


def visible_children_matching(*, user, identifiers: ChildIdentifiers):
    """Children the user may ALREADY see whose exact identifiers match (the "find a child" page).

    Unlike `children_matching_identifiers`, this never looks beyond `children_visible_to`: a search
    result must not reveal that a child the user may not see exists.
    """
    matching = reduce(operator.or_, identifiers.lookups(), Q(pk__in=[]))
    latest_case = cases_visible_to(user).filter(child_id=OuterRef("pk")).order_by("-opened_on", "-pk").values("pk")[:1]
    return children_visible_to(user).filter(matching).annotate(case_id=Subquery(latest_case)).order_by("family_name", "given_name", "pk")[:20]
