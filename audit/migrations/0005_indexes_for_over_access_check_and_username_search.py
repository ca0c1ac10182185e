"""Indexes for the access log's two hot reads (issue 18), chosen from EXPLAIN (ANALYZE, BUFFERS) on 2 million rows.

* `audit_event_user_action_at`: the over-access check after every audited read or denial counts one
  user's views (or denials) in the last hour (audit/alerts.py): a bitmap of all the user's rows
  before, a range of one (user, action) now.
* `audit_event_username_at`: auditors search by username whatever its case, newest first
  (audit/selectors.py, `username__iexact`): a parallel scan of the whole log before.

The log only grows and is written by every request, so the indexes are built CONCURRENTLY on
PostgreSQL (no write lock; hence `atomic = False`).
"""
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.migrations.operations import AddIndex
from django.db.models import F
from django.db.models.functions import Upper


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL (no write lock on a big, busy table); a plain AddIndex elsewhere (SQLite, the demo)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("audit", "0004_audit_delete_action"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="accessevent", index=models.Index(fields=["user_id", "action", "at"], name="audit_event_user_action_at"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="accessevent", index=models.Index(Upper("username"), F("at").desc(), name="audit_event_username_at"),
        ),
    ]
