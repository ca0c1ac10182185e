"""Indexes for a long chronology (issue 18), chosen from EXPLAIN (ANALYZE, BUFFERS) with 1 million entries.

* `chronology_entry_child_order`: a child's entries in page order (date, then time recorded, then id),
  read backwards for newest first and stopped after the page; before, all of a child's entries
  were read and sorted for every page (90 ms for 5,000 entries).
* `chronology_entry_child_agency`: which agencies recorded for a child (the agency filter's
  choices), one probe per agency instead of a read of every entry.

The table holds every entry of the county, so the indexes are built CONCURRENTLY on PostgreSQL.
"""
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.migrations.operations import AddIndex


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
        ("chronologies", "0005_entry_themes_matched_once"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="chronologyentry", index=models.Index(fields=["child", "occurred_on", "created_at", "id"], name="chronology_entry_child_order"),
        ),
        AddIndexConcurrentlyOnPostgres(model_name="chronologyentry", index=models.Index(fields=["child", "agency"], name="chronology_entry_child_agency")),
    ]
