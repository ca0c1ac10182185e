"""On PostgreSQL, the database itself refuses UPDATE and DELETE of an information-sharing decision.

A sharing decision is a disclosure log entry (cases.sharing_models): what was shared, with whom and
why must stay exactly as recorded, so the decision and its list of recipients are both covered.
TRUNCATE is not trapped: the test runner's flush uses it between transactional tests (as for the
audit log, production keeps TRUNCATE away from the application's database role).
"""
from django.db import migrations

TABLES = ["cases_sharingdecision", "cases_sharingdecision_shared_with"]

FUNCTION = """
CREATE OR REPLACE FUNCTION cases_sharing_decision_recorded_once() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'information-sharing decisions are recorded once: UPDATE and DELETE are refused';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGER = (
    "CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION cases_sharing_decision_recorded_once();"
)
DROP_TRIGGER = "DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table};"


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
    schema_editor.execute("DROP FUNCTION IF EXISTS cases_sharing_decision_recorded_once();")


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_sharing_decisions_and_versions")]

    operations = [migrations.RunPython(forwards, backwards)]
