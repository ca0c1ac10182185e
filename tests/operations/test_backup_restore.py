"""The documented backup and restore procedure (docs/operations.md) restores every record."""

import shutil
import subprocess

import psycopg
import pytest
from django.db import connection

from tests.conftest import require_or_skip

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _server(settings_dict):
    return ["-h", settings_dict["HOST"] or "127.0.0.1", "-p", str(settings_dict["PORT"] or 5432), "-U", settings_dict["USER"]]


def _counts(cursor):
    """Rows in every table of the public schema (every model, join table and migration record)."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names read from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def test_pg_dump_restores_into_a_fresh_database_with_every_record(world, tmp_path):
    if connection.vendor != "postgresql":
        require_or_skip("backup and restore are PostgreSQL procedures")
    if not shutil.which("pg_dump"):
        require_or_skip("pg_dump is not installed")
    db = connection.settings_dict
    source = db["NAME"]
    restored = f"{source}_restored"
    dump = tmp_path / "neglect_portal.dump"
    # The procedure of docs/operations.md: custom-format dump, restore into an empty database.
    server = _server(db)
    conninfo = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    # Count and dump the same snapshot, so a write from elsewhere cannot make the two differ.
    with psycopg.connect(dbname=source, autocommit=True, **conninfo) as snapshot_connection:
        snapshot_connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        snapshot = snapshot_connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with snapshot_connection.cursor() as cursor:
            expected = _counts(cursor)
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", "--file", str(dump), *server, source], check=True)
    subprocess.run(["dropdb", "--if-exists", *server, restored], check=True)
    subprocess.run(["createdb", *server, restored], check=True)
    try:
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", *server, "--dbname", restored, str(dump)], check=True)
        with psycopg.connect(dbname=restored, **conninfo) as other:
            with other.cursor() as cursor:
                actual = _counts(cursor)
                cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname = 'audit_accessevent_no_update_delete'")
                trigger = cursor.fetchone()
    finally:
        subprocess.run(["dropdb", "--if-exists", *server, restored], check=True)
    assert actual == expected
    assert expected["cases_case"] == 1 and expected["audit_accessevent"] > 0
    assert trigger is not None, "the append-only trigger is restored with the data"
