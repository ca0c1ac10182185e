"""Action plans around the shared `world`: the strategy member's own agency (Public Health), another
agency (County Police) and the overarching plan, on a frozen clock in April 2026 (2026-27-Q1 under
way, 2025-26-Q4 the last complete quarter).

Rows and updates are made with the ORM where a test needs updates for several quarters in a chosen
order; the services are tested on their own in test_services.py.
"""

from dataclasses import dataclass
from datetime import date

import pytest
import time_machine

from partnership.models import ActionPlan, ActionPlanRow, ActionPlanUpdate


@pytest.fixture(autouse=True)
def april_2026():
    with time_machine.travel("2026-04-10 09:00 +0000", tick=False):
        yield


@dataclass
class Plans:
    world: object
    own: ActionPlan  # the strategy member's agency (Public Health)
    other: ActionPlan  # County Police
    overarching: ActionPlan

    @property
    def strategy(self):
        return self.world.users["strategy"]

    @property
    def admin(self):
        return self.world.users["admin"]


def make_row(plan, author, objective="Every practitioner can use GCP2", **kwargs):
    fields = {
        "action": "Train practitioners",
        "input": "Two trainers for a year",
        "desired_outcome": "Neglect recognised earlier",
        "lead": "Head of Public Health Nursing",
        "timescale": date(2026, 9, 30),
        **kwargs,
    }
    return ActionPlanRow.objects.create(plan=plan, objective=objective, created_by=author, updated_by=author, **fields)


def make_update(row, quarter, rag, progress="Progress note", author=None):
    return ActionPlanUpdate.objects.create(row=row, quarter=quarter, rag=rag, progress=progress, recorded_by=author or row.created_by)


@pytest.fixture
def plans(world):
    return Plans(
        world=world,
        own=ActionPlan.objects.create(agency=world.public_health),
        other=ActionPlan.objects.create(agency=world.police),
        overarching=ActionPlan.objects.create(agency=None),
    )
