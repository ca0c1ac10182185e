"""On PostgreSQL, the database itself refuses to change a final run or a definition out of draft.

A final run is evidence of what an assessor found on a day; a definition that has left draft is
the yardstick its runs are read against. The models and services refuse such changes already;
these triggers hold whatever the client. A published definition may still retire (its status
and retirement date change), nothing else.

TRUNCATE is not trapped: the test runner's flush uses it between transactional tests.
"""
from django.db import migrations

CREATE = """
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

CREATE TRIGGER tools_assessmentrun_final_unchangeable
    BEFORE UPDATE OR DELETE ON tools_assessmentrun
    FOR EACH ROW EXECUTE FUNCTION tools_final_run_unchangeable();

CREATE OR REPLACE FUNCTION tools_definition_locked() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'draft' AND (
        NEW.key IS DISTINCT FROM OLD.key
        OR NEW.version IS DISTINCT FROM OLD.version
        OR NEW.name IS DISTINCT FROM OLD.name
        OR NEW.owner IS DISTINCT FROM OLD.owner
        OR NEW.structure IS DISTINCT FROM OLD.structure
        OR NEW.status = 'draft'
        OR (OLD.status = 'retired' AND NEW.status <> 'retired')
    ) THEN
        RAISE EXCEPTION 'tools_tooldefinition %: a % definition cannot be changed; make a new version', OLD.id, OLD.status;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tools_tooldefinition_locked
    BEFORE UPDATE ON tools_tooldefinition
    FOR EACH ROW EXECUTE FUNCTION tools_definition_locked();
"""

DROP = """
DROP TRIGGER IF EXISTS tools_assessmentrun_final_unchangeable ON tools_assessmentrun;
DROP FUNCTION IF EXISTS tools_final_run_unchangeable();
DROP TRIGGER IF EXISTS tools_tooldefinition_locked ON tools_tooldefinition;
DROP FUNCTION IF EXISTS tools_definition_locked();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the SQL holds PL/pgSQL "%" placeholders that the driver must leave alone.
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("tools", "0001_assessment_tools")]

    operations = [migrations.RunPython(forwards, backwards)]
