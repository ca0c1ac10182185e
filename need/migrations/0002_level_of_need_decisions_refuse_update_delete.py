"""On PostgreSQL, the database itself refuses UPDATE of a level-of-need decision, and DELETE except in an approved retention deletion.

A decision is recorded once (need.models.LevelOfNeedDecision): what was decided, by whom and why
stays exactly as recorded. DELETE goes through `retention_guarded_delete()` (retention 0002), which
lets it through only while the transaction-local flag `neglect.retention_delete` is on. TRUNCATE is
not trapped: the test runner's flush uses it between transactional tests, as for the other tables.
"""

from django.db import migrations

TABLE = "need_levelofneeddecision"

FUNCTION = """
CREATE OR REPLACE FUNCTION need_level_of_need_recorded_once() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'level-of-need decisions are recorded once: UPDATE is refused';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION need_level_of_need_recorded_once();")
    schema_editor.execute(f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION retention_guarded_delete();")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete ON {TABLE};")
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update ON {TABLE};")
    schema_editor.execute("DROP FUNCTION IF EXISTS need_level_of_need_recorded_once();")


class Migration(migrations.Migration):
    dependencies = [
        ("need", "0001_level_of_need_decisions"),
        ("retention", "0002_retention_may_delete_immutable_records"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
