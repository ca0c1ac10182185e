from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"

    def ready(self):
        """Show the case's plans on the case page and the agency's actions due on the home page.

        Both pages belong to `cases/`, which sits below this app: it offers hooks (`cases/case_page.py`,
        `cases/home_page.py`) instead of importing plans.
        """
        from cases import case_page, home_page

        from . import selectors

        case_page.provider_register("case_plans", selectors.plans_for_case_page)
        home_page.provider_register("actions_due", selectors.actions_due_for_home_page)
