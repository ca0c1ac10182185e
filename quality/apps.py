from django.apps import AppConfig


class QualityConfig(AppConfig):
    """Multi-agency case audits and family feedback: above cases, conferences and tools, below nothing."""

    name = "quality"
    verbose_name = "Quality assurance"
