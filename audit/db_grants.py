"""Database privileges that keep the access log out of the application's reach (PostgreSQL).

Production runs with two roles: an owner role that runs migrations and owns every table, and the
application role the web and worker processes connect as. The application role may read and write
the case tables but only INSERT and SELECT on `audit_accessevent`: no UPDATE, DELETE or TRUNCATE,
so a compromised application (or a careless query) cannot rewrite or erase the log. The trigger of
migration 0002 refuses UPDATE and DELETE for everyone, the owner included; the TRUNCATE trigger of
migration 0003 refuses TRUNCATE for any role that does not own the table.

`grant_statements` is printed by `manage.py print_db_grants` and applied by the PostgreSQL test.
"""

from psycopg import sql

AUDIT_TABLE = "audit_accessevent"


def grant_statements(*, owner_role, app_role, database, schema="public"):
    """The SQL, one statement per item, that gives `app_role` what the application needs and no more.

    Run it as `owner_role` (or a superuser) after `manage.py migrate`; run it again after each
    migration that adds tables unless the default privileges below already covered them.
    """
    owner, app, db, schema_id, audit = (sql.Identifier(name) for name in (owner_role, app_role, database, schema, AUDIT_TABLE))
    return [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db, app),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema_id, app),
        sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(schema_id),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(schema_id, app),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(schema_id, app),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}").format(owner, schema_id, app),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES TO {}").format(owner, schema_id, app),
        # The access log: append and read only.
        sql.SQL("REVOKE ALL ON TABLE {}.{} FROM PUBLIC").format(schema_id, audit),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE {}.{} FROM {}").format(schema_id, audit, app),
        sql.SQL("GRANT SELECT, INSERT ON TABLE {}.{} TO {}").format(schema_id, audit, app),
    ]


def as_script(statements):
    return "".join(f"{statement.as_string()};\n" for statement in statements)
