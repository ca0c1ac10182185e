"""On PostgreSQL, the database itself refuses to change a question set that has left draft.

A published set is the yardstick its rounds and its feedback are read against (quality/models.py);
the model and services refuse such changes already, and this trigger holds whatever the client. A
published set may still retire (its status and retirement date change), nothing else. As for the
tool definitions (tools/migrations/0002_refuse_changes_to_final_runs_and_locked_definitions.py).
"""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION quality_question_set_locked() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'draft' AND (
        NEW.key IS DISTINCT FROM OLD.key
        OR NEW.version IS DISTINCT FROM OLD.version
        OR NEW.name IS DISTINCT FROM OLD.name
        OR NEW.kind IS DISTINCT FROM OLD.kind
        OR NEW.owner IS DISTINCT FROM OLD.owner
        OR NEW.structure IS DISTINCT FROM OLD.structure
        OR NEW.status = 'draft'
        OR (OLD.status = 'retired' AND NEW.status <> 'retired')
    ) THEN
        RAISE EXCEPTION 'quality_questionset %: a % question set cannot be changed; make a new version', OLD.id, OLD.status;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER quality_questionset_locked
    BEFORE UPDATE ON quality_questionset
    FOR EACH ROW EXECUTE FUNCTION quality_question_set_locked();
"""

DROP = """
DROP TRIGGER IF EXISTS quality_questionset_locked ON quality_questionset;
DROP FUNCTION IF EXISTS quality_question_set_locked();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the SQL holds PL/pgSQL "%" placeholders that the driver must leave alone.
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_question_sets_audit_rounds_and_family_feedback")]

    operations = [migrations.RunPython(forwards, backwards)]
