from django.apps import AppConfig


class AuditorConfig(AppConfig):
    """The auditor's pages: search the access log and export it (the log itself is `audit/`).

    Apart from `audit/` because these pages ask the access layer (`agencies/`), which sits above the
    log it writes to.
    """

    name = "auditor"
