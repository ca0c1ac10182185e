from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"

    def ready(self):
        from . import checks  # noqa: F401  (registers the job-timing system checks)
