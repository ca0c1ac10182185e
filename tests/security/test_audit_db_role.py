"""The application's database role cannot change or erase the access log (PostgreSQL).

A throwaway login role gets exactly the grants `manage.py print_db_grants` prints, then connects
on its own: it can add and read audit rows, and UPDATE, DELETE and TRUNCATE are refused with
'permission denied'. Even a role wrongly granted TRUNCATE is stopped by the TRUNCATE trigger.
Roles are global to the cluster: the role's name is unique to the run and it is dropped afterwards.
"""

import os
import uuid
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from audit.db_grants import AUDIT_TABLE

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles exist on PostgreSQL only")

INSERT = "INSERT INTO audit_accessevent (user_id, username, agency_name, role, action, object_type, object_id, detail, path, user_agent, at) VALUES (NULL, 'app-role-test', '', '', 'view', 'probe', '', '', '', '', now()) RETURNING id"


def _conninfo(**overrides):
    settings = connection.settings_dict
    params = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
    }
    params.update(overrides)
    return {key: value for key, value in params.items() if value is not None}


@pytest.fixture
def app_role(db):
    """A non-superuser login role with the printed grants; dropped (with its privileges) afterwards."""
    name = f"neglect_app_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    password = uuid.uuid4().hex
    script = StringIO()
    call_command("print_db_grants", owner_role=connection.settings_dict["USER"], app_role=name, database=connection.settings_dict["NAME"], stdout=script)
    with psycopg.connect(**_conninfo(), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}").format(sql.Identifier(name), sql.Literal(password)))
        try:
            for statement in filter(None, (line.strip().rstrip(";") for line in script.getvalue().splitlines())):
                admin.execute(statement)
            yield {"name": name, "password": password, "script": script.getvalue()}
        finally:
            admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def _as_role(role):
    return psycopg.connect(**_conninfo(user=role["name"], password=role["password"]))


def _refused(conn, statement):
    """Run `statement` in its own rolled-back transaction; the error PostgreSQL raised, or None."""
    try:
        with conn.transaction(force_rollback=True):
            conn.execute(statement)
    except psycopg.Error as error:
        return error
    return None


def test_printed_grants_limit_the_access_log_to_insert_and_select(app_role):
    script = app_role["script"]
    assert f'GRANT SELECT, INSERT ON TABLE "public"."{AUDIT_TABLE}" TO "{app_role["name"]}"' in script
    assert f'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE "public"."{AUDIT_TABLE}" FROM "{app_role["name"]}"' in script


def test_app_role_can_insert_and_read_audit_rows(app_role):
    with _as_role(app_role) as conn:
        assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone() == (False,)
        with conn.transaction(force_rollback=True):
            new_id = conn.execute(INSERT).fetchone()[0]
            assert conn.execute("SELECT username FROM audit_accessevent WHERE id = %s", [new_id]).fetchone() == ("app-role-test",)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_accessevent SET detail = 'rewritten'", "DELETE FROM audit_accessevent", "TRUNCATE audit_accessevent"],
    ids=["update", "delete", "truncate"],
)
def test_app_role_cannot_update_delete_or_truncate_the_access_log(app_role, statement):
    with _as_role(app_role) as conn:
        error = _refused(conn, statement)
    assert isinstance(error, psycopg.errors.InsufficientPrivilege), error
    assert "permission denied" in str(error)


def test_app_role_can_still_write_case_tables(app_role):
    """The grants are not simply 'read only': the application keeps working on its own tables."""
    with _as_role(app_role) as conn:
        assert _refused(conn, "UPDATE cases_case SET status = status WHERE false") is None
        assert _refused(conn, "DELETE FROM chronologies_chronologyentry WHERE false") is None


def test_truncate_trigger_stops_a_role_wrongly_granted_truncate(app_role):
    with psycopg.connect(**_conninfo(), autocommit=True) as admin:
        admin.execute(sql.SQL("GRANT TRUNCATE ON {} TO {}").format(sql.Identifier(AUDIT_TABLE), sql.Identifier(app_role["name"])))
    with _as_role(app_role) as conn:
        error = _refused(conn, "TRUNCATE audit_accessevent")
    assert isinstance(error, psycopg.errors.RaiseException), error
    assert "append-only: TRUNCATE is refused" in str(error)


@pytest.mark.django_db(transaction=True)
def test_apply_runs_the_same_grants_on_the_database():
    """`print_db_grants --apply` (what docker-compose's migrate job runs) leaves the app role append-and-read only on the log."""
    name = f"neglect_apply_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**_conninfo(), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
        try:
            out = StringIO()
            call_command(
                "print_db_grants", owner_role=connection.settings_dict["USER"], app_role=name, database=connection.settings_dict["NAME"], apply=True, stdout=out
            )
            assert "Applied" in out.getvalue()
            privileges = {
                privilege: admin.execute("SELECT has_table_privilege(%s, %s, %s)", (name, AUDIT_TABLE, privilege)).fetchone()[0]
                for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
            }
            assert privileges == {"SELECT": True, "INSERT": True, "UPDATE": False, "DELETE": False, "TRUNCATE": False}
        finally:
            admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))
