"""PostgreSQL: chronology entries refuse DELETE too, except in an approved retention deletion.

Chronology entries were protected against UPDATE only (chronologies 0002); nothing in the
application deletes one, so a DELETE can only be a mistake or tampering. The trigger uses
`retention_guarded_delete()` from retention 0002, which lets the DELETE through only while the
transaction-local flag `neglect.retention_delete` is on.
"""
from django.db import migrations

TABLE = "chronologies_chronologyentry"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION retention_guarded_delete();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete ON {TABLE};")


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0003_schedule_weekly_retention_scan"),
        ("chronologies", "0003_census_sources"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
