"""PostgreSQL: records kept "exactly as recorded" may be deleted by an approved retention deletion, and only then.

* A new function `retention_delete_allowed()` reads the session flag `neglect.retention_delete`,
  which `retention.services` sets with `set_config(..., true)` (SET LOCAL: this transaction only).
* Concerns and their amendments now refuse DELETE too (before, only UPDATE was trapped; the comment
  in cases migration 0003 said removing one was a data-protection decision taken outside the
  application: it is now this approved one), unless the flag is on.
* Final assessment runs (tools 0002) and information-sharing decisions (cases 0007) keep refusing
  UPDATE always, and DELETE unless the flag is on: their functions are replaced with the same
  messages plus that one exception.
* The retention deletion log refuses UPDATE and DELETE whatever the flag.
The access log (audit) is untouched: retention never deletes it.
TRUNCATE is not trapped (the test runner's flush uses it), as for the other tables.
"""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION retention_delete_allowed() RETURNS boolean AS $$
    SELECT coalesce(current_setting('neglect.retention_delete', true), '') = 'on'
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION retention_guarded_delete() RETURNS trigger AS $$
BEGIN
    IF retention_delete_allowed() THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '%: recorded once; rows are deleted only by an approved retention deletion', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_concern_no_delete BEFORE DELETE ON cases_concern
    FOR EACH ROW EXECUTE FUNCTION retention_guarded_delete();
CREATE TRIGGER cases_concernamendment_no_delete BEFORE DELETE ON cases_concernamendment
    FOR EACH ROW EXECUTE FUNCTION retention_guarded_delete();

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

CREATE OR REPLACE FUNCTION retention_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'retention_retentiondeletionlog is append-only: UPDATE and DELETE are refused';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER retention_retentiondeletionlog_no_update_delete BEFORE UPDATE OR DELETE ON retention_retentiondeletionlog
    FOR EACH ROW EXECUTE FUNCTION retention_log_append_only();
"""

# Back to the functions as tools 0002 and cases 0007 wrote them.
DROP = """
DROP TRIGGER IF EXISTS cases_concern_no_delete ON cases_concern;
DROP TRIGGER IF EXISTS cases_concernamendment_no_delete ON cases_concernamendment;
DROP TRIGGER IF EXISTS retention_retentiondeletionlog_no_update_delete ON retention_retentiondeletionlog;
DROP FUNCTION IF EXISTS retention_log_append_only();
DROP FUNCTION IF EXISTS retention_guarded_delete();

CREATE OR REPLACE FUNCTION tools_final_run_unchangeable() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'final' THEN
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
    RAISE EXCEPTION 'information-sharing decisions are recorded once: UPDATE and DELETE are refused';
END;
$$ LANGUAGE plpgsql;

DROP FUNCTION IF EXISTS retention_delete_allowed();
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
        ("retention", "0001_retention_reviews_and_deletion_log"),
        ("cases", "0007_sharing_decisions_refuse_update_delete"),
        ("chronologies", "0002_chronology_entries_refuse_update"),
        ("tools", "0003_load_shipped_definitions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
