"""PostgreSQL: TRUNCATE of the access log refused to every role that does not own the table, and
UPDATE/DELETE/TRUNCATE revoked from PUBLIC and from the application's database role (DB_APP_ROLE)
when that role exists. No-op on SQLite.

Why the owner may still TRUNCATE: the owner can drop the table or disable its triggers anyway, so
refusing it protects nothing; the test runner's flush (run as the owner) needs it. The application
must therefore never connect as the owner: `manage.py print_db_grants` prints the roles' grants.
"""
from django.conf import settings
from django.db import migrations
from psycopg import sql

CREATE = """
CREATE OR REPLACE FUNCTION audit_accessevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        RAISE EXCEPTION 'audit_accessevent is append-only: TRUNCATE is refused';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_accessevent_no_truncate
    BEFORE TRUNCATE ON audit_accessevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_accessevent_no_truncate();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_accessevent FROM PUBLIC;
"""

DROP = """
DROP TRIGGER IF EXISTS audit_accessevent_no_truncate ON audit_accessevent;
DROP FUNCTION IF EXISTS audit_accessevent_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE)
    role = getattr(settings, "DB_APP_ROLE", "")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if role and cursor.fetchone():
            cursor.execute(sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON audit_accessevent FROM {}").format(sql.Identifier(role)))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(forwards, backwards)]
