"""On PostgreSQL, the database itself refuses UPDATE of a recorded concern or amendment.

A concern is evidence of what was known at the time; corrections are new amendment rows
(cases.models.RecordedOnce). DELETE is not trapped here: rows are protected by foreign keys and no
page deletes them; removing one is a data-protection decision taken outside the application.
"""
from django.db import migrations

TABLES = ["cases_concern", "cases_concernamendment"]

FUNCTION = """
CREATE OR REPLACE FUNCTION cases_recorded_once() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'concerns and amendments are recorded once: UPDATE is refused, record an amendment instead';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGER = "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION cases_recorded_once();"
DROP_TRIGGER = "DROP TRIGGER IF EXISTS {table}_no_update ON {table};"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(TRIGGER.format(table=table))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(DROP_TRIGGER.format(table=table))
    schema_editor.execute("DROP FUNCTION IF EXISTS cases_recorded_once();")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_child_details_adults_and_case_work")]

    operations = [migrations.RunPython(forwards, backwards)]
