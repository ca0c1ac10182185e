from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (`manage.py seed_demo`): the top layer, since it fills every app below it."""

    name = "demo"
