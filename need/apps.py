from django.apps import AppConfig


class NeedConfig(AppConfig):
    name = "need"
    verbose_name = "Level of need"

    def ready(self):
        """Show the level of need, its history and the "Change" link on the case page (cases/case_page.py)."""
        from cases import case_page

        from . import selectors

        case_page.provider_register("level_of_need", selectors.level_of_need_for_case_page)
