from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "voice"

    def ready(self):
        """Show the child's recent voices on the case page.

        The case page belongs to `cases/`, which sits below this app: it offers a hook
        (`cases/case_page.py`) instead of importing voice.
        """
        from cases import case_page

        from . import selectors

        case_page.provider_register("case_voices", selectors.voices_for_case_page)
