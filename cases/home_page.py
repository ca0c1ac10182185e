"""What the apps above case work add to the home page (a case worker's starting page).

The home page belongs to case work, but some of what it lists (the agency's actions due, the
concerns the user recorded) lives in apps above `cases/`. Each registers a provider here from its
`AppConfig.ready()`, so `cases/` never imports them, as with the case page (`cases/case_page.py`).
A provider takes `user` and `today`, must start from the access layer's scoped querysets like every
selector, and returns a `Listed`: the rows to show, and the children they name (the view writes one
audit row per child listed).
"""

from collections.abc import Callable
from dataclasses import dataclass

_providers: dict[str, Callable] = {}


@dataclass(frozen=True)
class Listed:
    rows: list
    child_ids: list[int]


def provider_register(name: str, provider: Callable) -> None:
    """Add `provider`'s rows to the home page's context under `name` (once per name)."""
    if name in _providers and _providers[name] is not provider:
        raise ValueError(f"A home-page provider named {name!r} is already registered.")
    _providers[name] = provider


def listed(*, user, today) -> dict[str, Listed]:
    return {name: provider(user=user, today=today) for name, provider in _providers.items()}
