"""Building blocks of the access matrix (see test_matrix.py).

Each `routes_<area>.py` module in this package defines `ROUTES`, a dict:

    (url name, method) -> Row(kwargs=lambda world: {...}, expected={user kind: status}, data=lambda world: {...})

Statuses follow from each user kind's relation to `world.case` (tests/conftest.py). A module may
create the objects its URLs need from `world` inside its `kwargs` callable.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import USER_KINDS

# Who can see `world.case`: its team (health lead, school partner), children's social care, the grantee.
CASE_VISIBLE = frozenset({"lead_practitioner", "lead_manager", "partner_practitioner", "partner_dsl", "granted", "csc_practitioner", "csc_manager"})
# Managers and designated safeguarding leads among those who can see `world.case`.
CASE_OVERSEERS = frozenset({"lead_manager", "partner_dsl", "csc_manager"})
# Those with authority over `world.case` (agencies/access.py, "Authority"): the lead agency's managers and DSLs
# and children's social care's oversee it and change its lead; the school's DSL (a partner) does neither.
CASE_LEAD_OVERSEERS = frozenset({"lead_manager", "csc_manager"})
# Conference decisions are children's social care's: its managers and DSLs, or the chair.
CONFERENCE_DECIDERS = frozenset({"csc_manager"})
SIGNED_IN = frozenset(USER_KINDS) - {"anonymous", "inactive"}
MEMBERS = SIGNED_IN - {"superuser"}
CASE_WORKERS = frozenset({"lead_practitioner", "lead_manager", "partner_practitioner", "partner_dsl", "outsider", "granted", "csc_practitioner", "csc_manager"})
ADMIN = frozenset({"admin"})
AUDITOR = frozenset({"auditor"})


def page(allowed, *, allowed_status=200, denied=403):
    """A browser page: anonymous (and inactive) users are sent to sign in; others allowed or denied."""
    return {kind: 302 if kind in ("anonymous", "inactive") else (allowed_status if kind in allowed else denied) for kind in USER_KINDS}


def api(allowed, *, allowed_status=200, denied=404, non_member=403):
    """An API route: 401 without credentials, 403 without an active membership."""
    result = {}
    for kind in USER_KINDS:
        if kind in ("anonymous", "inactive"):
            result[kind] = 401
        elif kind == "superuser":
            result[kind] = non_member
        else:
            result[kind] = allowed_status if kind in allowed else denied
    return result


def everyone(status):
    return dict.fromkeys(USER_KINDS, status)


def no_kwargs(world):
    return {}


@dataclass(frozen=True)
class Row:
    expected: dict
    kwargs: Callable = no_kwargs
    data: Callable = field(default=lambda world: {})
    # "json" sends the data as a JSON body (API writes); "form" as a form post.
    encoding: str = "form"
