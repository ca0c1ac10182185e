"""Which fields of a child, a case or its records each user may read and write: the one table.

Seeing a case (decided by `agencies.access`) does not mean needing every field of it. The policy
follows the government's information-sharing advice: share what is necessary and proportionate
for the recipient's role.

* Everyone who may see the case reads what identifies the child and what is happening to them:
  names, date of birth, age, sex, the concerns, plans, actions, the child's voice, oversight.
* Identifiers are for the services that use them: the NHS number for health agencies, the unique
  pupil number for schools and the education service; children's social care and the lead agency
  read both (they link the records of every agency).
* Special category details of the child (ethnicity, gender identity, disability) are read by
  children's social care and the lead agency only; partners do not need them to act.
* Writes: a plan action's progress (status, evidence) is written by its owner agency and the lead;
  what the action is and when it is due only by the lead (plans are the lead's decision).
  Fields nobody writes (ids, who recorded, derived flags) are refused when sent, with the field
  named, never silently ignored.

The user's relation to the case comes from `agencies.access.case_relation` / `child_relation`
(statutory, lead, partner, granted); the agency kind from `agencies.access.agency_kind_of`.
"""

from dataclasses import dataclass

from agencies import access
from agencies.models import AgencyKind

STATUTORY, LEAD, PARTNER, GRANTED = access.RELATION_STATUTORY, access.RELATION_LEAD, access.RELATION_PARTNER, access.RELATION_GRANTED
# A plan action's owner agency (a relation to the action, not to the case).
OWNER = "owner"
EVERYONE = frozenset({STATUTORY, LEAD, PARTNER, GRANTED})
LEADS = frozenset({STATUTORY, LEAD})

HEALTH = frozenset({AgencyKind.COMMUNITY_HEALTH, AgencyKind.HOSPITAL, AgencyKind.GP_ICB, AgencyKind.PUBLIC_HEALTH})
EDUCATION = frozenset({AgencyKind.SCHOOL, AgencyKind.EDUCATION_SERVICE, AgencyKind.EARLY_YEARS})


@dataclass(frozen=True)
class Rule:
    """Who reads a field: these relations, plus any user whose agency is of one of these kinds."""

    relations: frozenset = EVERYONE
    agency_kinds: frozenset = frozenset()

    def allows(self, relation, agency_kind):
        return relation in self.relations or (relation is not None and agency_kind in self.agency_kinds)


ALL = Rule()
LEADS_ONLY = Rule(LEADS)

READ = {
    "child": {
        "id": ALL,
        "given_name": ALL,
        "family_name": ALL,
        "preferred_name": ALL,
        "date_of_birth": ALL,
        "is_unborn": ALL,
        "age": ALL,
        "is_adolescent": ALL,
        "sex": ALL,
        "nhs_number": Rule(LEADS, HEALTH),
        "upn": Rule(LEADS, EDUCATION),
        "gender": LEADS_ONLY,
        "ethnicity": LEADS_ONLY,
        "disability": LEADS_ONLY,
    },
}

# Writable fields per resource and relation; anything else sent is refused with its name.
WRITE = {
    "plan_action": {
        "version": frozenset({OWNER, STATUTORY, LEAD}),
        "status": frozenset({OWNER, STATUTORY, LEAD}),
        "evidence": frozenset({OWNER, STATUTORY, LEAD}),
        "what": LEADS,
        "outcome_for_child": LEADS,
        "due_on": LEADS,
    },
}


@dataclass(frozen=True)
class FieldAccess:
    """One user's standing for the field policy: relations (to the case, and OWNER) and agency kind."""

    relations: frozenset
    agency_kind: str | None

    def may_read(self, resource, name):
        rule = READ.get(resource, {}).get(name, ALL)
        return any(rule.allows(relation, self.agency_kind) for relation in self.relations)

    def may_write(self, resource, name):
        return bool(WRITE.get(resource, {}).get(name, frozenset()) & self.relations)


def for_case(user, case, *, owner=False) -> FieldAccess:
    relation = access.case_relation(user, case)
    relations = {relation} if relation else set()
    if owner:
        relations.add(OWNER)
    return FieldAccess(relations=frozenset(relations), agency_kind=access.agency_kind_of(user))


def for_child(user, child) -> FieldAccess:
    relation = access.child_relation(user, child)
    return FieldAccess(relations=frozenset({relation} if relation else set()), agency_kind=access.agency_kind_of(user))


def for_plan_action(user, plan_action) -> FieldAccess:
    """Relation to the action's case, plus OWNER when the user's agency owns the action."""
    membership = access.membership_of(user)
    owner = membership is not None and membership.agency_id == plan_action.owner_agency_id
    return for_case(user, plan_action.plan.case, owner=owner)


def readable(resource, field_access: FieldAccess, names):
    return [name for name in names if field_access.may_read(resource, name)]
