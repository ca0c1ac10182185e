"""python manage.py import_cin_census return.xml --recorded-by USERNAME [--dry-run]

Checks (--dry-run) or applies a DfE Children in Need census return as records of children's social
care. Prints the counts (new, updated, unchanged, rejected) and every rejected element with its
LAchildID, path and reason. The command runs as an operator: its audit row names the command, and
--recorded-by names the person the new referrals are recorded by (a referral needs one).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from census.importing import KINDS, OUTCOMES, CensusImportError, import_cin_census


class Command(BaseCommand):
    help = "Import a DfE Children in Need census return (XML); --dry-run shows what would change and writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The census return (XML).")
        parser.add_argument("--recorded-by", required=True, help="Username the new records are recorded by.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count only; nothing is written.")

    def handle(self, *args, file, recorded_by, dry_run, **options):
        actor = get_user_model().objects.filter(username=recorded_by, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {recorded_by!r} to record the imported records by")
        try:
            content = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            result = import_cin_census(content, actor=actor, dry_run=dry_run, audit_username="manage.py import_cin_census")
        except CensusImportError as error:
            raise CommandError(str(error)) from error
        for error in result.schema_errors:
            self.stderr.write(f"schema: {error}")
        if result.schema_errors:
            raise CommandError(f"Not imported: the file does not match the DfE schema ({len(result.schema_errors)} errors)")
        self.stdout.write(("Dry run (nothing written): " if dry_run else "Imported: ") + result.summary())
        for kind in KINDS:
            self.stdout.write(f"  {kind}: " + ", ".join(f"{result.counts[kind][o]} {o}" for o in OUTCOMES))
        for rejection in result.rejections:
            self.stdout.write(f"REJECTED {rejection}")
