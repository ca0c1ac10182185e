"""Required tools (`TOOLS_REQUIRED`, tools/requirements.py): the setting read and checked, and due dates in working days."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured

from tools.requirements import CASE_OPENED, ToolRequirement, levels_with_requirements, requirements_for_tool, tool_requirements

GCP2_AFTER_CIN_OR_CP = {"tool": "gcp2", "level": "specialist", "within_working_days": 20, "after": ["child_in_need", "child_protection"]}


def test_the_setting_is_read_into_requirements(settings):
    settings.TOOLS_REQUIRED = [GCP2_AFTER_CIN_OR_CP, {"tool": "eha", "level": "targeted_early_help", "within_working_days": 30, "after": "case_opened"}]
    gcp2, eha = tool_requirements()
    assert gcp2 == ToolRequirement("gcp2", "specialist", 20, ("child_in_need", "child_protection"))
    assert eha.after == (CASE_OPENED,)
    assert levels_with_requirements() == ["targeted_early_help", "specialist"]
    assert requirements_for_tool("eha") == [eha]


def test_a_requirement_says_what_it_expects_in_words():
    requirement = ToolRequirement("gcp2", "specialist", 20, ("child_in_need", "child_protection"))
    assert requirement.describe("Graded Care Profile 2") == (
        "Graded Care Profile 2 within 20 working days of a Child in Need or Child Protection plan starting, "
        "for a case at the Specialist / Statutory level of need"
    )
    assert ToolRequirement("eha", "universal_plus", 1, (CASE_OPENED,)).describe("Early Help Assessment") == (
        "Early Help Assessment within 1 working day of the case opening, for a case at the Universal Plus level of need"
    )


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({**GCP2_AFTER_CIN_OR_CP, "level": "statutory"}, "TOOLS_REQUIRED[0]: level: one of universal, universal_plus, targeted_early_help, specialist"),
        ({**GCP2_AFTER_CIN_OR_CP, "within_working_days": 0}, "TOOLS_REQUIRED[0]: within_working_days: a whole number of working days, 1 or more"),
        ({**GCP2_AFTER_CIN_OR_CP, "after": ["adoption"]}, "TOOLS_REQUIRED[0]: after: 'case_opened', or a list of plan kinds"),
        ({**GCP2_AFTER_CIN_OR_CP, "after": ["case_opened", "child_in_need"]}, "TOOLS_REQUIRED[0]: after: 'case_opened' stands alone"),
        ({**GCP2_AFTER_CIN_OR_CP, "days": 3}, "TOOLS_REQUIRED[0]: unknown field(s) days"),
        ({**GCP2_AFTER_CIN_OR_CP, "tool": ""}, "TOOLS_REQUIRED[0]: tool: the key of a tool"),
    ],
)
def test_a_bad_requirement_is_refused_with_its_place(settings, raw, problem):
    settings.TOOLS_REQUIRED = [raw]
    with pytest.raises(ImproperlyConfigured) as refused:
        tool_requirements()
    assert str(refused.value).startswith(problem)


@pytest.mark.parametrize(
    ("day", "latest_start"),
    [
        # 20 working days after Monday 12 October 2026 is Monday 9 November (no bank holiday between):
        # a plan started on the 12th was due by the 9th; one started Tuesday 13th not until the 10th.
        (date(2026, 11, 9), date(2026, 10, 12)),
        (date(2026, 11, 10), date(2026, 10, 13)),
        # Over Christmas: 20 working days after Monday 14 December 2026 skip Christmas Day, Monday
        # 28 December (Boxing Day's substitute) and New Year's Day: Thursday 14 January 2027.
        (date(2027, 1, 14), date(2026, 12, 14)),
        # A plan started on Sunday 13th counts from the Monday: due the 13th.
        (date(2027, 1, 13), date(2026, 12, 13)),
    ],
)
def test_the_latest_start_due_by_a_day_counts_working_days(day, latest_start):
    assert ToolRequirement("gcp2", "specialist", 20, ("child_protection",)).latest_start_due_by(day) == latest_start
