"""The words around an amount: hedges (약, 정도, about), polite endings (이요, 입니다), ranges."""

import re
from typing import Final, NamedTuple

from flows.parsing.errors import ParseError


class Token(NamedTuple):
    kind: str
    text: str


# Longest first inside each group, since the regex takes the first alternative that fits.
# Endings and hedges come before the Korean digits: 이요 is an ending, 사이 means between,
# and neither is the digit 이 or 사.
_KOREAN_ENDINGS: Final[tuple[str, ...]] = (
    "이었습니다", "이었어요", "였습니다", "였어요", "입니다", "이에요", "이예요", "예요", "에요",
    "인데요", "이고요", "이구요", "이요", "이다", "됩니다", "돼요", "되요", "요",
)  # fmt: skip
_KOREAN_HEDGES: Final[tuple[str, ...]] = (
    "인 것 같아요", "인것 같아요", "것 같아요", "것 같습니다", "같아요", "같습니다", "듯해요",
    "듯합니다", "거예요", "겁니다", "이었던", "였던", "되는", "될", "대략적으로", "어림잡아",
    "대략", "대충", "얼추", "거의", "정도", "가량", "내외", "남짓", "안팎", "가까이", "넘게",
    "넘어요", "넘습니다", "안 돼요", "안 됩니다", "안 되게", "조금", "좀", "약", "한", "쯤", "여",
)  # fmt: skip
_KOREAN_RANGES: Final[tuple[str, ...]] = ("에서", "부터", "내지", "~", "〜", "–", "—")
_KOREAN_FILLERS: Final[tuple[str, ...]] = ("사이", "까지")


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_TOKEN: Final[re.Pattern[str]] = re.compile(
    rf"""
    (?P<number>\d[\d,]*(?:\.\d+)?)
  | (?P<hedge>{_alternatives(_KOREAN_HEDGES)})
  | (?P<ending>{_alternatives(_KOREAN_ENDINGS)})
  | (?P<range>{_alternatives(_KOREAN_RANGES)})
  | (?P<filler>{_alternatives(_KOREAN_FILLERS)}|[.!?,])
  | (?P<digit>[일이삼사오육칠팔구])
  | (?P<small>[십백천])
  | (?P<big>[만억조])
  | (?P<currency>원|₩|\\)
  | (?P<minus>[-−]|마이너스)
  | (?P<word>[a-z]+)
  | (?P<space>\s+)
    """,
    re.VERBOSE,
)

ENGLISH_WORDS: Final[dict[str, tuple[str, int]]] = {
    **dict.fromkeys(("won", "krw"), ("currency", 1)),
    "k": ("multiplier", 10**3),
    "thousand": ("multiplier", 10**3),
    **dict.fromkeys(("m", "mn", "mil", "million"), ("multiplier", 10**6)),
    **dict.fromkeys(("b", "bn", "billion"), ("multiplier", 10**9)),
    **dict.fromkeys(
        (
            "about", "around", "roughly", "approximately", "approx", "circa", "ca",
            "almost", "nearly", "some", "ish", "maybe", "estimated", "est",
        ),
        ("hedge", 1),
    ),
    **dict.fromkeys(("to", "and", "or"), ("range", 1)),
    **dict.fromkeys(("between", "from", "the", "a", "of"), ("filler", 1)),
}  # fmt: skip
"""Latin words by kind (with a multiplier's value); any other Latin word is not an amount."""

_ENGLISH_PHRASES: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (re.compile(r"\bor so\b"), " ish "),
    (re.compile(r"\bgive or take\b"), " about "),
    (re.compile(r"-ish\b"), " ish "),
)


def tokenize(text: str) -> list[Token]:
    """Cut lower-cased, NFKC-normalized text into tokens; refuse what no token covers."""
    if re.search("[a-z]", text):
        for phrase, replacement in _ENGLISH_PHRASES:
            text = phrase.sub(replacement, text)
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            raise ParseError("money.invalid")
        kind, word = match.lastgroup, match.group()
        if kind == "word":
            if word not in ENGLISH_WORDS:
                raise ParseError("money.invalid")
            kind = ENGLISH_WORDS[word][0]
        if kind != "space":
            tokens.append(Token(kind, word))
        position = match.end()
    return tokens
