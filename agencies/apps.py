from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"

    def ready(self):
        from audit.alerts import alert_recipients_provider_set

        from . import selectors, signals  # noqa: F401  (signals: login audit receivers)

        alert_recipients_provider_set(selectors.partnership_admins)
