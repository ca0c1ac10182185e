"""PostgreSQL: merging a duplicate agency may move records kept "exactly as recorded" onto the kept agency.

Concerns, their amendments, chronology entries, final assessment runs and information-sharing
decisions refuse UPDATE (cases 0003 and 0007, chronologies 0002, tools 0002, retention 0002). A merge
(agencies.services.agency_merge) must still point them at the agency that stays, or their agency's
people would lose sight of them. It sets the session flag `neglect.agency_merge` to
"<merged id>:<kept id>" with `set_config(..., true)` (this transaction only), and
`agency_merge_allows(old, new)` lets a row through only when every column that changes is an
`..._agency_id` column going from the merged id to the kept id (so nothing else about the record
can change), or, for a DELETE of a sharing decision's recipient row, when that row names the merged
agency (the decision was shared with both duplicates, and the kept agency's row stays).
Each function is otherwise as retention 0002 left it; the reverse restores those bodies.
"""

from django.db import migrations

ALLOWS = """
CREATE OR REPLACE FUNCTION agency_merge_allows(old_row jsonb, new_row jsonb) RETURNS boolean AS $$
DECLARE
    merge_ids text[] := string_to_array(coalesce(current_setting('neglect.agency_merge', true), ''), ':');
    changed record;
BEGIN
    IF coalesce(array_length(merge_ids, 1), 0) <> 2 THEN
        RETURN false;
    END IF;
    IF new_row IS NULL THEN
        RETURN EXISTS (SELECT 1 FROM jsonb_each_text(old_row) o WHERE o.key LIKE '%agency_id' AND o.value = merge_ids[1]);
    END IF;
    FOR changed IN
        SELECT o.key, o.value AS old_value, n.value AS new_value
        FROM jsonb_each_text(old_row) o JOIN jsonb_each_text(new_row) n USING (key)
        WHERE o.value IS DISTINCT FROM n.value
    LOOP
        IF changed.key NOT LIKE '%agency_id' OR changed.old_value <> merge_ids[1] OR changed.new_value <> merge_ids[2] THEN
            RETURN false;
        END IF;
    END LOOP;
    RETURN true;
END;
$$ LANGUAGE plpgsql STABLE;
"""

CREATE = (
    ALLOWS
    + """
CREATE OR REPLACE FUNCTION cases_recorded_once() RETURNS trigger AS $$
BEGIN
    IF agency_merge_allows(to_jsonb(OLD), to_jsonb(NEW)) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'concerns and amendments are recorded once: UPDATE is refused, record an amendment instead';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION chronologies_recorded_once() RETURNS trigger AS $$
BEGIN
    IF agency_merge_allows(to_jsonb(OLD), to_jsonb(NEW)) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'chronology entries are recorded once: UPDATE is refused, record an amendment instead';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION tools_final_run_unchangeable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND agency_merge_allows(to_jsonb(OLD), to_jsonb(NEW)) THEN
        RETURN NEW;
    END IF;
    IF OLD.status = 'final' AND NOT (TG_OP = 'DELETE' AND retention_delete_allowed()) THEN
        RAISE EXCEPTION 'tools_assessmentrun %: a final assessment run cannot be changed or deleted', OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION cases_sharing_decision_recorded_once() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND retention_delete_allowed() THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND agency_merge_allows(to_jsonb(OLD), to_jsonb(NEW)) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'cases_sharingdecision_shared_with' AND agency_merge_allows(to_jsonb(OLD), NULL) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'information-sharing decisions are recorded once: UPDATE and DELETE are refused';
END;
$$ LANGUAGE plpgsql;
"""
)

# Back to the bodies retention 0002 wrote.
DROP = """
CREATE OR REPLACE FUNCTION cases_recorded_once() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'concerns and amendments are recorded once: UPDATE is refused, record an amendment instead';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION chronologies_recorded_once() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'chronology entries are recorded once: UPDATE is refused, record an amendment instead';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION tools_final_run_unchangeable() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'final' AND NOT (TG_OP = 'DELETE' AND retention_delete_allowed()) THEN
        RAISE EXCEPTION 'tools_assessmentrun %: a final assessment run cannot be changed or deleted', OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION cases_sharing_decision_recorded_once() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND retention_delete_allowed() THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'information-sharing decisions are recorded once: UPDATE and DELETE are refused';
END;
$$ LANGUAGE plpgsql;

DROP FUNCTION IF EXISTS agency_merge_allows(jsonb, jsonb);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the SQL holds PL/pgSQL "%" placeholders that the driver must leave alone.
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0006_agency_name_keys_backfill"),
        ("retention", "0004_chronology_entries_refuse_delete"),
        ("cases", "0007_sharing_decisions_refuse_update_delete"),
        ("chronologies", "0002_chronology_entries_refuse_update"),
        ("tools", "0002_refuse_changes_to_final_runs_and_locked_definitions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
