"""Load a tool definition file (JSON or YAML) as a draft, and publish it if asked.

A partnership uses this to load its licensed wording of a tool (for example its own copy of the
Graded Care Profile 2) as the next version of the shipped one, or a tool of its own. A file with
errors is refused with every problem and its place in the file, and nothing is stored.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tools.definitions import DefinitionError, parse_text
from tools.services import definition_load, definition_publish

OPERATOR = "manage.py load_tool"


class Command(BaseCommand):
    help = "Load a tool definition from a JSON or YAML file as a draft (the next version of its key); --publish publishes it."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to a .json, .yaml or .yml definition file.")
        parser.add_argument("--publish", action="store_true", help="Publish the loaded version (the version published before it retires).")

    def handle(self, *args, file, publish, **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            document = parse_text(text, filename=path.name)
            with transaction.atomic():
                definition = definition_load(document=document, username=OPERATOR)
                if publish:
                    definition = definition_publish(definition=definition, username=OPERATOR)
        except DefinitionError as error:
            raise CommandError(self._problems(path, error.messages)) from error
        except ValidationError as error:
            raise CommandError(self._problems(path, error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Loaded {definition.key} version {definition.version} ({definition.get_status_display().lower()})."))

    @staticmethod
    def _problems(path, messages):
        return f"{path} was not loaded:\n" + "\n".join(f"  {message}" for message in messages)
