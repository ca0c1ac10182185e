from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = "Partnership: action plans and profile"

    def ready(self):
        """Notification emails name the partnership as its profile does (`notifications` sits below)."""
        from notifications.sender import sender_name_provider_set

        from .selectors import partnership_name

        sender_name_provider_set(partnership_name)
