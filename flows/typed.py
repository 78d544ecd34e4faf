"""Words a claimant may type instead of pressing a button, read from the message catalogue.

Defined here once for every channel: a channel passes typed text on as ``Text`` and the
engine decides whether it was "back", "skip", "cancel", "done"... at the step it reached.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from flows import inputs as i
from flows.messages import MESSAGES

Word = str
"""One of: back, skip, cancel, done, submit, edit, yes, no, quit, mydata."""

_NAVIGATION: dict[Word, type[i.Back | i.Skip | i.Cancel | i.Done]] = {
    "back": i.Back,
    "skip": i.Skip,
    "cancel": i.Cancel,
    "done": i.Done,
}


def normalized(text: str) -> str:
    """Typed text as compared with the words: no arrows, spaces or case."""
    return text.strip().removeprefix("◀").strip().rstrip(".").casefold()


@cache
def words(word: Word) -> frozenset[str]:
    """Every spelling of ``word`` in every language of the catalogue (labels included)."""
    spellings: set[str] = set()
    for key in (f"typed.{word}", f"nav.{word}", f"cancel.{word}"):
        for text in MESSAGES.get(key, {}).values():
            spellings.update(normalized(part) for part in text.split("|") if part.strip())
    return frozenset(spellings)


def is_word(text: str, word: Word) -> bool:
    return normalized(text) in words(word)


def navigation(text: str) -> i.UserInput | None:
    """The navigation a typed text stands for at an ordinary question, if any."""
    said = normalized(text)
    for word, kind in _NAVIGATION.items():
        if said in words(word):
            return kind()
    return None


def edit_number(text: str) -> int | None:
    """ "edit 2" / "수정 2" on the summary: the 1-based answer number, else None."""
    said = normalized(text)
    for spelling in words("edit"):
        # NFKC: '²' and '①' are digits to isdigit() but not to int(); they become '2', '1'.
        rest = unicodedata.normalize("NFKC", said.removeprefix(spelling).strip())
        if said.startswith(spelling) and rest.isascii() and rest.isdigit():
            return int(rest)
    return None
