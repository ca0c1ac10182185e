from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"

    def ready(self):
        from . import signals  # noqa: F401  (login audit receivers)
