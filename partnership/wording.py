"""Words that do not blame: the partnership's wording guide matched against free text, by word forms.

Families may read what is written about them, and the strategies ask practitioners to describe
what they saw and its impact on the child. The guide (`WordingGuideEntry`, edited by partnership
admins) lists phrases that can read as blame, why, and what to write instead; every free-text
field of concerns, chronology entries, tool evidence, conference notes, plan actions, referrals
and oversight is checked against it, and a match shows as a hint beside the field. A hint never
blocks saving: the practitioner decides.

Matching (`hints_for`):

* text and phrases are split into words and each word reduced to its stem with the Snowball
  English stemmer (`snowballstemmer`, pure Python), so "refused to engage" finds "refusing to
  engage" and "refuses to engage", "not engaging" finds "did not engage", "neglectful parents"
  finds "neglectful parent";
* a phrase matches whole words in order, case-insensitively, within one clause: a match never
  runs across punctuation, so "signs of neglect. Parents said ..." is not "neglectful parents";
* an entry's `unless` phrases (with "*" for one to three words) spare a match inside them:
  "found * difficult" keeps "the child found the stairs difficult to climb" from being flagged,
  while "Mum was difficult" is;
* stems are only as good as the stemmer: "failure" and "failed" have different stems, so an entry
  lists such forms in `also_matches`.

`mark_wording_fields(form, names)` marks a form's text fields for the hint; the browser asks
`partnership:wording_check` as the practitioner types (static/js/wording.mjs) and shows what it
says beside the field. Without JavaScript nothing changes: the text saves as written.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.urls import reverse

from .models import WordingGuideEntry

MAX_TEXT = 20_000
WILDCARD = "*"
_WILDCARD_WORDS = (1, 3)
# Words: letters, with apostrophes inside (won't, child's); digits and symbols separate them.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\*")
# A phrase never matches across these: sentence and clause punctuation, brackets, line breaks.
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”\n\r]+")


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)  # a word always has the same stem; a county's chronologies use a few thousand words again and again
def _stem(word):
    return WILDCARD if word == WILDCARD else _stemmer().stemWord(word.lower().replace("’", "'"))


def stems(text):
    """The stems of `text`'s words, in order (one clause: no punctuation handling)."""
    return [_stem(match.group()) for match in _WORD.finditer(text or "")]


@dataclass(frozen=True)
class _Word:
    stem: str
    start: int  # character offsets in the text, for the words that matched
    end: int


def _clauses(text):
    """The text's clauses, each a list of its words with their stems and places."""
    clauses, offset = [], 0
    for part in _CLAUSE_BREAK.split(text):
        start = text.find(part, offset) if part else offset
        words = [_Word(_stem(match.group()), start + match.start(), start + match.end()) for match in _WORD.finditer(part)]
        if words:
            clauses.append(words)
        offset = start + len(part)
    return clauses


def _spans(pattern, words):
    """(first, last) word indexes where `pattern` (stems, "*" for one to three words) matches in `words`."""
    found = []

    def match(p, w, first):
        if p == len(pattern):
            found.append((first, w - 1))
            return True
        if pattern[p] == WILDCARD:
            low, high = _WILDCARD_WORDS
            return any(match(p + 1, w + n, first) for n in range(low, high + 1) if w + n <= len(words))
        return w < len(words) and words[w].stem == pattern[p] and match(p + 1, w + 1, first)

    for start in range(len(words)):
        match(0, start, start)
    return found


@dataclass(frozen=True)
class WordingHint:
    """One entry of the guide found in a text: the guide's phrase, the words found, why and instead."""

    phrase: str
    found: str
    why: str
    instead: str

    def as_dict(self):
        return {"phrase": self.phrase, "found": self.found, "why": self.why, "instead": self.instead}


def _compiled(entry):
    phrasings = [pattern for pattern in (stems(text) for text in entry.phrasings) if pattern and WILDCARD not in pattern]
    exceptions = [pattern for pattern in (stems(text) for text in entry.exceptions) if pattern]
    return phrasings, exceptions


def hints_for(text, entries=None):
    """The guide's entries found in `text`, in the guide's order, each once, with the words that matched.

    `entries` defaults to the whole guide (one query); pass a list to check many texts against one read.
    """
    text = (text or "")[:MAX_TEXT]
    if not text.strip():
        return []
    entries = list(WordingGuideEntry.objects.all()) if entries is None else entries
    clauses = _clauses(text)
    hints = []
    for entry in entries:
        phrasings, exceptions = _compiled(entry)
        found = _first_match(clauses, phrasings, exceptions)
        if found is not None:
            hints.append(WordingHint(phrase=entry.phrase, found=text[found[0] : found[1]], why=entry.why, instead=entry.instead))
    return hints


def _first_match(clauses, phrasings, exceptions):
    for words in clauses:
        spared = [span for pattern in exceptions for span in _spans(pattern, words)]
        for pattern in phrasings:
            for first, last in _spans(pattern, words):
                if not any(low <= first and last <= high for low, high in spared):
                    return words[first].start, words[last].end
    return None


def check_phrase(text):
    """Problems with a phrase as an admin typed it ("" when it is fine): it must hold a word, and "*" is for `unless` only."""
    pattern = stems(text)
    if not [word for word in pattern if word != WILDCARD]:
        return "Enter at least one word"
    return ""


def mark_wording_fields(form, names):
    """Mark `form`'s free-text fields `names` for the wording hint beside them (static/js/wording.mjs).

    The hint is asked of `partnership:wording_check` as the practitioner types; the field and the
    form work the same without it.
    """
    url = reverse("partnership:wording_check")
    for name in names:
        if name in form.fields:
            form.fields[name].widget.attrs["data-wording-hint"] = url
