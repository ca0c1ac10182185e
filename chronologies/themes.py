"""Recurring themes: which words make an entry part of a theme, matched by word stems in any order (issue 14).

The learning review's words were "head lice and poor hygiene" at school and "dirty, unhygienic
conditions" at home. Exact phrases miss most of that: "conditions at home" is not "home
conditions", "unwashed" is not "unwash". So a theme's words are reduced to stems with the same
Snowball stemmer as the wording guide (`partnership.wording.stems`) and a phrase matches when every
one of its stems appears in one sentence of the entry, in any order.

The words come from the built-in list (`patterns.DEFAULT_THEME_KEYWORDS`, or the
`CHRONOLOGY_THEME_KEYWORDS` setting) plus what partnership admins add on the theme words page
(`ThemeWord`), so a partnership can teach the portal its own words without a deployment.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from partnership.wording import stems

from .models import ThemeWord

# A theme's phrase must be found within one sentence: full stops, question and exclamation marks,
# semicolons and line breaks end one (commas do not: "dirty, unhygienic conditions" is one thought).
_SENTENCE_BREAK = re.compile(r"[.!?;\n\r]+")


@dataclass(frozen=True)
class ThemeMatcher:
    """The stems of each of a theme's phrases; `matches(text)` when one phrase's stems all appear in one sentence."""

    phrases: tuple

    @classmethod
    def of(cls, words):
        return cls(tuple(frozenset(found) for found in (stems(word) for word in words) if found))

    def matches(self, text: str) -> bool:
        return any(present and any(phrase <= present for phrase in self.phrases) for present in _sentence_stems(text or ""))


@lru_cache(maxsize=4096)
def _sentence_stems(text: str) -> tuple:
    """The stems of each sentence of `text`, as sets: one entry's text is matched against every theme, on many pages."""
    return tuple(frozenset(stems(sentence)) for sentence in _SENTENCE_BREAK.split(text))


def with_partnership_words(keywords: dict) -> dict:
    """`keywords` (theme -> phrases) with the words partnership admins added, in one query; new themes come last."""
    merged = {theme: list(words) for theme, words in keywords.items()}
    for theme, words in ThemeWord.objects.order_by("theme", "pk").values_list("theme", "words"):
        existing = next((name for name in merged if name.lower() == theme.lower()), theme)
        merged.setdefault(existing, []).append(words)
    return merged
