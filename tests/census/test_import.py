"""Importing a CIN census return: safe parsing, schema first, every rejection with its path, no
overwriting of partners' records, idempotent, audited once, chronology entries made."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from lxml import etree

from audit.models import AccessEvent, AuditAction
from cases.models import Child
from census.importing import CensusImportError, import_cin_census
from census.models import CensusAssessment, CensusSection47, ChildCensus
from chronologies.models import ChronologyEntry, SourceType
from plans.models import Plan, PlanKind
from referrals.models import Referral
from tests.census.returns import VALID_RETURN

CONTENT = VALID_RETURN.encode()


def imports():
    return AccessEvent.objects.filter(object_type="cin_census_import")


@pytest.fixture
def actor(world):
    return world.users["csc_practitioner"]


def run(content, actor, dry_run=False):
    return import_cin_census(content, actor=actor, dry_run=dry_run, audit_username="test")


def edited(content, change):
    tree = etree.fromstring(content)
    change(tree)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def test_dry_run_counts_everything_new_writes_nothing_and_is_audited_once(world, actor):
    children_before = Child.objects.count()
    result = run(CONTENT, actor, dry_run=True)
    assert result.totals == {"new": 4 + 4 + 3 + 2 + 1 + 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert result.rejections == []
    assert Child.objects.count() == children_before
    assert not ChildCensus.objects.exists()
    event = imports().get()
    assert event.action == AuditAction.VIEW and event.detail.startswith("dry run: 16 new")


def test_apply_records_children_episodes_and_statutory_events_as_childrens_social_care(world, actor):
    result = run(CONTENT, actor)
    assert result.counts["children"]["new"] == 4
    b = ChildCensus.objects.get(la_child_id="B200").child
    referral = Referral.objects.get(child=b)
    assert referral.referring_agency == world.csc and referral.recorded_by == actor and referral.is_neglect
    assert referral.census.referral_source == "6" and referral.census.primary_need == "N1"
    assert list(CensusAssessment.objects.filter(referral=referral).values_list("factors", flat=True)) == [["3B", "16A"]]
    s47 = CensusSection47.objects.get(referral=referral)
    assert (s47.started_on, s47.icpc_on, s47.icpc_target_on) == (date(2025, 6, 20), date(2025, 7, 1), date(2025, 7, 11))
    plan = Plan.objects.get(case__child=b, kind=PlanKind.CHILD_PROTECTION)
    assert plan.case.lead_agency == world.csc and plan.cp_category == "multiple"
    assert (plan.census.initial_category, plan.census.previous_plans, plan.census.review_dates) == ("NEG", 1, ["2025-10-01"])
    assert ChildCensus.objects.get(la_child_id="A100").disabilities == ["MOB", "LD"]
    unborn = ChildCensus.objects.get(la_child_id="C300").child
    assert unborn.is_unborn and unborn.date_of_birth == date(2026, 5, 20)
    assert imports().get().action == AuditAction.CREATE


def test_imported_events_reach_the_chronology(world, actor):
    run(CONTENT, actor)
    b = ChildCensus.objects.get(la_child_id="B200").child
    kinds = set(ChronologyEntry.objects.filter(child=b).values_list("source_type", flat=True))
    assert {SourceType.REFERRAL, SourceType.PLAN_STARTED} <= kinds
    a = ChildCensus.objects.get(la_child_id="A100").child
    assert ChronologyEntry.objects.filter(child=a, source_type=SourceType.PLAN_ENDED).count() == 1


def test_importing_the_same_file_twice_changes_nothing(world, actor):
    run(CONTENT, actor)
    entries = ChronologyEntry.objects.count()
    second = run(CONTENT, actor)
    assert second.totals == {"new": 0, "updated": 0, "unchanged": 16, "rejected": 0}
    assert ChronologyEntry.objects.count() == entries


def test_a_later_return_updates_what_an_import_made(world, actor):
    run(CONTENT, actor)

    def close_plan(tree):
        plan = tree.xpath("//Child[ChildIdentifiers/LAchildID='B200']//ChildProtectionPlans")[0]
        end = etree.Element("CPPendDate")
        end.text = "2026-03-01"
        plan.find("CPPstartDate").addnext(end)

    result = run(edited(CONTENT, close_plan), actor)
    assert result.counts["cp_plans"]["updated"] == 1
    plan = Plan.objects.get(case__child__census__la_child_id="B200", kind=PlanKind.CHILD_PROTECTION)
    assert plan.ended_on == date(2026, 3, 1)


def test_every_rejected_element_has_child_path_and_reason(world, actor):
    def break_it(tree):
        children = tree.findall("Children/Child")
        children[0].find("CINdetails/Assessments/AssessmentActualStartDate").text = "2025-04-01"  # before the referral
        children[1].find("CINdetails/ChildProtectionPlans/Reviews/CPPreviewDate").text = "2025-06-30"  # before the plan
        children[2].find("ChildIdentifiers/ExpectedPersonBirthDate").getparent().remove(children[2].find("ChildIdentifiers/ExpectedPersonBirthDate"))

    result = run(edited(CONTENT, break_it), actor)
    found = {(r.child_id, r.path): r.reason for r in result.rejections}
    assert "before the referral" in found[("A100", "/Message/Children/Child[1]/CINdetails[1]/Assessments[1]/AssessmentActualStartDate")]
    assert "on or before the plan's start" in found[("B200", "/Message/Children/Child[2]/CINdetails[1]/ChildProtectionPlans[1]/Reviews")]
    assert "BirthDate" in found[("C300", "/Message/Children/Child[3]/ChildIdentifiers")]
    assert result.totals["rejected"] == 3
    assert result.counts["children"]["new"] == 3  # the rest of the file still goes in


def test_schema_errors_stop_the_import_with_line_numbers(world, actor):
    bad = CONTENT.replace(b"<ReferralSource>6</ReferralSource>", b"<ReferralSource>XX</ReferralSource>")
    result = run(bad, actor)
    assert result.schema_errors and result.schema_errors[0].startswith("line ")
    assert "ReferralSource" in result.schema_errors[0]
    assert not ChildCensus.objects.exists()
    assert imports().count() == 1


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<Message><Children><Child><ChildIdentifiers><LAchildID>&secret;</LAchildID></ChildIdentifiers></Child></Children></Message>"""


def test_external_entities_are_refused_not_resolved(world, actor):
    with pytest.raises(CensusImportError, match="DOCTYPE"):
        run(XXE, actor)
    assert not ChildCensus.objects.exists()


def test_billion_laughs_is_refused(world, actor):
    bomb = b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><Message>&b;</Message>'
    with pytest.raises(CensusImportError):
        run(bomb, actor)


def test_not_xml_is_a_clear_error(world, actor):
    with pytest.raises(CensusImportError, match="line 1"):
        run(b"<Message><Children>", actor)


def test_without_a_childrens_social_care_agency_nothing_is_imported(db):
    user = get_user_model().objects.create_user("operator", password="x")  # noqa: S106
    with pytest.raises(CensusImportError, match="children's social care"):
        run(CONTENT, user)


def test_partner_records_are_not_overwritten(world, actor, histories):
    from census.export import cin_census_export

    ava = histories["closed"]
    exported = cin_census_export(year=2026, la_code="931").xml

    def reopen(tree):
        details = tree.xpath(f"//Child[ChildIdentifiers/LAchildID='{ava.pk}']/CINdetails")[0]
        details.find("CINclosureDate").text = "2026-01-15"

    result = run(edited(exported, reopen), actor)
    assert any(r.child_id == str(ava.pk) and "not overwritten" in r.reason and r.path.endswith("CINclosureDate") for r in result.rejections)
    assert Referral.objects.get(child=ava).case.closed_on == date(2025, 12, 2)
    assert Child.objects.filter(pk=ava.pk).count() == 1  # matched by the portal's number, not duplicated


def test_command_dry_run_then_apply(world, actor, tmp_path):
    path = tmp_path / "return.xml"
    path.write_bytes(CONTENT)
    out = io.StringIO()
    call_command("import_cin_census", str(path), "--recorded-by", actor.username, "--dry-run", stdout=out)
    assert out.getvalue().startswith("Dry run (nothing written): 16 new, 0 updated, 0 unchanged, 0 rejected")
    assert not ChildCensus.objects.exists()
    out = io.StringIO()
    call_command("import_cin_census", str(path), "--recorded-by", actor.username, stdout=out)
    assert out.getvalue().startswith("Imported: 16 new")
    events = imports()
    assert events.count() == 2 and all(e.user_id is None and e.username == "manage.py import_cin_census" for e in events)


def test_command_reports_schema_errors_and_fails(world, actor, tmp_path):
    path = tmp_path / "return.xml"
    path.write_bytes(CONTENT.replace(b"<Sex>U</Sex>", b"<Sex>Q</Sex>"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="schema"):
        call_command("import_cin_census", str(path), "--recorded-by", actor.username, stderr=err)
    assert "schema: line" in err.getvalue()


def test_a_partners_child_record_is_not_overwritten_by_the_return(world, actor, histories):
    from census.export import cin_census_export

    ben = histories["repeat_cp"]
    exported = cin_census_export(year=2026, la_code="931").xml

    def retype(tree):
        tree.xpath(f"//Child[ChildIdentifiers/LAchildID='{ben.pk}']/ChildCharacteristics/Ethnicity")[0].text = "WBRI"

    result = run(edited(exported, retype), actor)
    ben.refresh_from_db()
    assert ben.ethnicity == "MWBC"
    assert any(r.child_id == str(ben.pk) and "not overwritten" in r.reason and "ethnicity MWBC" in r.reason for r in result.rejections)
