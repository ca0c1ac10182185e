from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self):
        """Show the child's referrals, with the repeat flag, on the case page.

        The case page belongs to `cases/`, which sits below this app: it offers a hook
        (`cases/case_page.py`) instead of importing referrals.
        """
        from cases import case_page

        from . import selectors

        case_page.provider_register("referrals", selectors.referrals_for_case_page)
