"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the access log.

TRUNCATE is not trapped: the test runner's flush uses it between transactional tests. Production
keeps TRUNCATE (and table ownership) away from the application's database role instead.
"""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_accessevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_accessevent is append-only: UPDATE and DELETE are refused';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_accessevent_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_accessevent
    FOR EACH ROW EXECUTE FUNCTION audit_accessevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_accessevent_no_update_delete ON audit_accessevent;
DROP FUNCTION IF EXISTS audit_accessevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
