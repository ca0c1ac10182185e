"""What the read models above case work add to the case page.

The case page belongs to case work, but drift flags and chronology patterns are read models that sit
above `cases/` (they read cases, conferences, tools and chronologies). Each registers a provider here
from its `AppConfig.ready()`, so `cases/` never imports them and the layers point only down. A
provider takes `user`, `case` and `today` and must start from the access layer's scoped querysets,
like every selector.
"""

from collections.abc import Callable

_providers: dict[str, Callable] = {}


def provider_register(name: str, provider: Callable) -> None:
    """Add `provider`'s result to the case page's context under `name` (once per name)."""
    if name in _providers and _providers[name] is not provider:
        raise ValueError(f"A case-page provider named {name!r} is already registered.")
    _providers[name] = provider


def extra_context(*, user, case, today) -> dict:
    return {name: provider(user=user, case=case, today=today) for name, provider in _providers.items()}
