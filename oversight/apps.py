from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"

    def ready(self):
        """Show the case's oversight reviews on the case page.

        The case page belongs to `cases/`, which sits below this app: it offers a hook
        (`cases/case_page.py`) instead of importing oversight.
        """
        from cases import case_page

        from . import selectors

        case_page.provider_register("case_oversights", selectors.oversights_for_case_page)
