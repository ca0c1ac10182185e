from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from sso.services import oidc_provider_register


class Command(BaseCommand):
    help = (
        "Add (or update) an agency's OpenID Connect provider from its discovery document: its users may then sign in with it. "
        "Partnership admins can do the same on the agency's page in the portal."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="The agency's name in the portal")
        parser.add_argument("--slug", required=True, help="Short name used in the sign-in address")
        parser.add_argument("--display-name", required=True, help='Shown on the button: "Sign in with <display name>"')
        parser.add_argument("--discovery-url", required=True, help="The provider's /.well-known/openid-configuration address (or its issuer)")
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
            # Same function as the admin page; here an existing slug is updated (the command is idempotent).
            provider, created = oidc_provider_register(
                agency=agency,
                slug=options["slug"],
                display_name=options["display_name"],
                discovery_url=options["discovery_url"],
                client_id=options["client_id"],
                client_secret_env=options["client_secret_env"],
                email_verified_by_provider=options["email_verified_by_provider"],
                replace=True,
            )
        except ValidationError as error:
            raise CommandError("; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())) from error
        sign_out = (
            f"sign-out at {provider.end_session_endpoint}"
            if provider.end_session_endpoint
            else "no sign-out endpoint: signing out ends the portal session only"
        )
        self.stdout.write(
            f"{'Created' if created else 'Updated'}: {provider} (issuer {provider.issuer}; {sign_out}); "
            "register at the provider the redirect URI <SITE_URL>/accounts/sso/callback/ "
            "and the post-logout redirect URI <SITE_URL>/accounts/signed-out/"
        )
