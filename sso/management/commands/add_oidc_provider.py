from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from sso.services import DiscoveryError, discover, oidc_provider_save


class Command(BaseCommand):
    help = "Add (or update) an agency's OpenID Connect provider from its discovery document: its users may then sign in with it."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="The agency's name in the portal")
        parser.add_argument("--slug", required=True, help="Short name used in the sign-in address")
        parser.add_argument("--display-name", required=True, help='Shown on the button: "Sign in with <display name>"')
        parser.add_argument("--discovery-url", required=True, help="The provider's /.well-known/openid-configuration address")
        parser.add_argument("--client-id", required=True)
        parser.add_argument(
            "--client-secret-env", required=True, help="Name of the environment variable holding the client secret (or NAME_FILE naming a file)"
        )
        parser.add_argument("--email-verified-by-provider", action="store_true", help="Trust the email claim without email_verified")

    def handle(self, *args, **options):
        agency = Agency.objects.filter(name__iexact=options["agency"].strip()).first()
        if agency is None:
            raise CommandError(f"No agency called {options['agency']!r}")
        try:
            endpoints = discover(options["discovery_url"])
        except DiscoveryError as error:
            raise CommandError(str(error)) from error
        provider, created = oidc_provider_save(
            agency=agency,
            slug=options["slug"],
            display_name=options["display_name"],
            client_id=options["client_id"],
            client_secret_env=options["client_secret_env"],
            endpoints=endpoints,
            email_verified_by_provider=options["email_verified_by_provider"],
        )
        self.stdout.write(
            f"{'Created' if created else 'Updated'}: {provider} (issuer {provider.issuer}); redirect URI to register: <SITE_URL>/accounts/sso/callback/"
        )
