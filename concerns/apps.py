from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "concerns"

    def ready(self):
        """Show the case's recent concerns on the case page and the user's own on the home page.

        Both pages belong to `cases/`, which sits below this app: it offers hooks (`cases/case_page.py`,
        `cases/home_page.py`) instead of importing concerns.
        """
        from cases import case_page, home_page

        from . import selectors

        case_page.provider_register("case_concerns", selectors.concerns_for_case_page)
        home_page.provider_register("recent_concerns", selectors.concerns_for_home_page)
