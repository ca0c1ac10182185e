"""On PostgreSQL, the database itself refuses UPDATE of a chronology entry.

An entry is evidence of what an agency knew at the time; a correction is a new entry that
supersedes it (chronologies.models, "Recorded once"). DELETE is not trapped, as for concerns
(cases migration 0003): rows are protected by foreign keys and no page deletes them.
"""
from django.db import migrations

TABLE = "chronologies_chronologyentry"

FUNCTION = """
CREATE OR REPLACE FUNCTION chronologies_recorded_once() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'chronology entries are recorded once: UPDATE is refused, record an amendment instead';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGER = f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION chronologies_recorded_once();"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update ON {TABLE};")
    schema_editor.execute("DROP FUNCTION IF EXISTS chronologies_recorded_once();")


class Migration(migrations.Migration):
    dependencies = [("chronologies", "0001_chronology_entries")]

    operations = [migrations.RunPython(forwards, backwards)]
