from django.core.management.base import BaseCommand, CommandError

from agencies.models import AgencyKind
from agencies.services import UnknownChoice, agency_ensure


class Command(BaseCommand):
    help = "Add a partner agency (idempotent: an existing agency of the same kind is left as it is)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, help="One of: " + ", ".join(AgencyKind.values))
        parser.add_argument("--locality", default="")

    def handle(self, *args, name, kind, locality, **options):
        try:
            agency, created = agency_ensure(name=name, kind=kind, locality=locality)
        except (UnknownChoice, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{'Created' if created else 'Already present'}: {agency.name} ({agency.get_kind_display()})")
