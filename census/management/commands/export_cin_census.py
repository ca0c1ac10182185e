"""python manage.py export_cin_census --year 2026 --la-code 931 > return.xml (problems on stderr)."""

from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditAction
from audit.services import audit_record
from census.export import cin_census_export


class Command(BaseCommand):
    help = "Write the DfE Children in Need census return (XML) to stdout; data-quality problems to stderr."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Year of the reference date (31 March).")
        parser.add_argument("--la-code", required=True, help="Three-digit local authority code.")

    def handle(self, *args, year, la_code, **options):
        try:
            export = cin_census_export(year=year, la_code=la_code)
        except ValueError as error:
            raise CommandError(str(error)) from error
        audit_record(
            user=None,
            username="manage.py export_cin_census",
            action=AuditAction.EXPORT,
            object_type="cin_census",
            detail=f"year {year}, LA {la_code}: {export.children} children, {len(export.problems)} data-quality problems",
        )
        self.stdout.write(export.xml.decode("utf-8"), ending="")
        for problem in export.problems:
            self.stderr.write(str(problem))
        self.stderr.write(f"{export.children} children, {export.episodes} episodes, {len(export.problems)} data-quality problems")
