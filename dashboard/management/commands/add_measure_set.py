"""Add (or replace) a measure set from a JSON file, as the three shipped strategies are (dashboard/strategy_sets.json)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record
from dashboard.models import MeasureSet, MeasureSetItem
from dashboard.selectors import catalogue


class Command(BaseCommand):
    help = (
        "Add a partnership's own measure set: a JSON file with key, name, source and items [[measure key, the strategy's line], ...], "
        'or {"sets": [...]} as dashboard/strategy_sets.json. Every key must be a catalogue measure (docs/dashboard.md).'
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON file.")

    def handle(self, *args, path, **options):
        try:
            document = json.loads(Path(path).read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        known = {m.key for m in catalogue()}
        with transaction.atomic():
            for data in document.get("sets", [document]):
                unknown = sorted({key for key, _ in data["items"]} - known)
                if unknown:
                    raise CommandError(f"{data['key']}: not catalogue measures: {', '.join(unknown)}")
                existing = MeasureSet.objects.filter(key=data["key"]).first()
                if existing is not None and existing.shipped:
                    raise CommandError(f"{data['key']} is one of the shipped strategies: give your set another key.")
                measure_set, _ = MeasureSet.objects.update_or_create(key=data["key"], defaults={"name": data["name"], "source": data.get("source", "")})
                measure_set.items.all().delete()
                MeasureSetItem.objects.bulk_create(
                    MeasureSetItem(measure_set=measure_set, measure_key=key, source_line=line, position=position)
                    for position, (key, line) in enumerate(data["items"])
                )
                audit_record(
                    user=None,
                    action=AuditAction.UPDATE,
                    object_type="dashboard_measure_set",
                    object_id=measure_set.key,
                    detail=f"{len(data['items'])} measures",
                    username="manage.py add_measure_set",
                )
                self.stdout.write(f"{measure_set.key}: {measure_set.name}, {len(data['items'])} measures")
