"""Who the notification emails say they come from: the partnership's name."""

from collections.abc import Callable

from django.conf import settings


def _from_settings() -> str:
    return settings.PARTNERSHIP_NAME


_provider: Callable[[], str] = _from_settings


def sender_name_provider_set(provider: Callable[[], str]) -> None:
    """Name the partnership in email subjects with `provider()`.

    The partnership profile (`partnership/`) sits above this app, so it registers its name here
    from its `AppConfig.ready()`; until then the `PARTNERSHIP_NAME` setting names it.
    """
    global _provider
    _provider = provider


def sender_name() -> str:
    return _provider()
