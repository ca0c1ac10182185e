from django.apps import AppConfig


class ChronologiesConfig(AppConfig):
    name = "chronologies"
