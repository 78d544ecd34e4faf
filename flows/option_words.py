"""Which option a typed answer names: its number, its label or one of its aliases, forgivingly.

A claimant types ``동의``, ``유료요``, ``소상공인입니다`` or ``I agree.``; each is compared with
every option's labels and aliases (the flow's ``aliases: {ko: [...], en: [...]}``) after
dropping case, spaces, punctuation and a polite ending. Labels and aliases of every language
count, not only the claimant's: someone who picked English may still type 동의, and the
load check (``clashes``) makes sure no word names two options of one step.

The option's value (``agree``, ``free``) is not looked at: values are identifiers for
exports and conditions, not an interface. Where a value reads as a word claimants type,
the flow declares it as an alias (the shipped flows do so for ``agree``, an explicit word of
agreement), so it is accepted as a word, not as a value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flows.steps import Option

ENDINGS = ("입니다", "이에요", "예요", "이요", "요", "임", "함")
"""Polite endings a claimant adds to a word: 소상공인입니다, 유료요, 무료임."""
_NOT_WORD = re.compile(r"[\W_]+")
_NUMBER = re.compile(r"\s*(\d{1,3})\s*(?:번|번이요|번요|번입니다)?\s*\.?\s*")
"""An option's number: 2, 2., 2번, 2번이요; nothing else counts as a number."""


def normalized(text: str) -> str:
    """Text as compared: no case, spaces, punctuation or symbols (NFKC, so full-width
    digits count as digits)."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _forms(text: str) -> set[str]:
    """The typed text, and without one polite ending (유료요 -> 유료)."""
    said = normalized(text)
    forms = {said}
    for ending in ENDINGS:
        if said.endswith(ending) and len(said) > len(ending):
            forms.add(said.removesuffix(ending))
    return forms - {""}


def words_of(option: Option) -> set[str]:
    """Every label and alias of ``option``, normalized, in every language."""
    spoken = [*option.label.values(), *(w for ws in option.aliases.values() for w in ws)]
    return {normalized(word) for word in spoken} - {""}


@dataclass(frozen=True)
class Match:
    """What a typed answer names: one option, several (ask which), or none."""

    options: tuple[Option, ...]

    @property
    def found(self) -> Option | None:
        return self.options[0] if len(self.options) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.options) > 1


def match_option(
    options: list[Option], text: str, *, partial: bool = True, sentence: bool = True
) -> Match:
    """The option(s) ``text`` names: a 1-based number (digits only, nothing else), an
    exact label or alias, else (if ``partial``) a part of exactly one label or alias."""
    number = _NUMBER.fullmatch(unicodedata.normalize("NFKC", text))
    if number:
        n = int(number[1])
        return Match((options[n - 1],) if 1 <= n <= len(options) else ())
    forms = _forms(text)
    exact = tuple(o for o in options if forms & words_of(o))
    if exact or not partial:
        return Match(exact)
    # a part of a label: 유료 in 유료로 이용했습니다; at least two letters, so one syllable
    # typed by accident never picks an option
    longest = max(forms, key=len, default="")
    if len(longest) < 2:
        return Match(())
    within = tuple(o for o in options if any(longest in w for w in words_of(o)))
    if within or not sentence or "_" in text:  # daum_mail is an identifier, not a sentence
        return Match(within)
    return _said_in_a_sentence(options, longest)


PREFIX_LETTERS = 3
"""How much of a label a sentence must start with to name it (한국어로 할게요, 무료로 썼어요);
fewer (유료 아니에요) names nothing."""


def _said_in_a_sentence(options: list[Option], said: str) -> Match:
    """The option(s) whose label or alias the typed sentence starts like, longest first:
    ``한국어로 할게요`` names 한국어, ``무료로 썼어요`` names 무료로 이용했습니다. A tie (카카오요,
    동의 안 해요) names several, so the claimant is asked which."""
    shared = {
        option.value: max((_common_prefix(said, w) for w in words_of(option)), default=0)
        for option in options
    }
    best = max(shared.values(), default=0)
    if best < PREFIX_LETTERS or NEGATION.search(said[best:]):
        return Match(())  # "유료로 안 썼어요", "I paid nothing": the rest may undo the label
    return Match(tuple(o for o in options if shared[o.value] == best))


NEGATION = re.compile(r"안|않|못|말고|아니|없|대신|not|no|n't|never|but|instead")
"""Words after a label's start that may turn it around: such a sentence names no option, so
the claimant is asked again rather than filed under the opposite."""


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def clashes(options: Iterable[Option]) -> Iterator[str]:
    """Words (labels or aliases) that name more than one option of one step."""
    seen: dict[str, str] = {}
    for option in options:
        for word in words_of(option):
            if word.isdigit():
                yield f"option {option.value!r}: {word!r} would read as an option's number"
            elif seen.setdefault(word, option.value) != option.value:
                yield f"{word!r} names both {seen[word]!r} and {option.value!r}"
