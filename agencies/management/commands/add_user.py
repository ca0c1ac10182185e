import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency, Role
from agencies.services import UnknownChoice, user_create


class Command(BaseCommand):
    help = "Add a user to an agency with one role (idempotent: an existing username is reported, not changed)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--agency", required=True, help="The agency's exact name.")
        parser.add_argument("--role", required=True, help="One of: " + ", ".join(Role.values))
        parser.add_argument("--password-stdin", action="store_true", help="Read the password from standard input.")

    def handle(self, *args, username, email, agency, role, password_stdin, **options):
        if role not in Role.values:
            raise CommandError(f"Unknown role {role!r}. Choose one of: {', '.join(Role.values)}.")
        agency_obj = Agency.objects.filter(name=agency).first()
        if agency_obj is None:
            raise CommandError(f"No agency named {agency!r}. Add it first with add_agency.")
        existing = get_user_model().objects.filter(username=username).first()
        if existing is not None:
            self.stdout.write(f"Already present: {username}")
            return
        password = sys.stdin.readline().rstrip("\n") if password_stdin else getpass.getpass("Password: ")
        try:
            validate_password(password, user=get_user_model()(username=username, email=email))
        except ValidationError as error:
            raise CommandError("Password rejected: " + " ".join(error.messages)) from error
        try:
            user_create(username=username, email=email, agency=agency_obj, role=role, password=password)
        except UnknownChoice as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Created: {username} ({Role(role).label}, {agency_obj.name})")
