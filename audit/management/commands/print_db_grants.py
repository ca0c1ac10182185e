"""Print the GRANT/REVOKE script for the production database roles (see audit/db_grants.py).

manage.py print_db_grants --owner-role neglect_owner --app-role neglect_app | psql -U neglect_owner neglect_portal
manage.py print_db_grants --apply    # run them on the configured database (as the owner role)
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from audit.db_grants import as_script, grant_statements


class Command(BaseCommand):
    help = "Print the SQL that limits the application's database role (INSERT and SELECT only on the access log)."

    def add_arguments(self, parser):
        parser.add_argument("--owner-role", default=settings.DB_OWNER_ROLE, help="role that runs migrations and owns the tables")
        parser.add_argument("--app-role", default=settings.DB_APP_ROLE, help="role the web and worker processes connect as")
        parser.add_argument("--database", default=connection.settings_dict["NAME"], help="database name for GRANT CONNECT")
        parser.add_argument("--schema", default="public")
        parser.add_argument("--apply", action="store_true", help="run the statements on the configured database instead of printing them")

    def handle(self, *args, **options):
        statements = grant_statements(
            owner_role=options["owner_role"], app_role=options["app_role"], database=str(options["database"]), schema=options["schema"]
        )
        if not options["apply"]:
            self.stdout.write(as_script(statements), ending="")
            return
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"Applied {len(statements)} grant statements for {options['app_role']}.")
