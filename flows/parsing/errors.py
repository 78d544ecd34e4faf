"""The one exception the answer parsers raise, and the stable codes it carries."""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

# The engine turns each code into a localized sentence, so a code, once shipped, never changes
# meaning. Add new codes here; never reuse or rename one.
ERROR_MEANINGS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "money.empty": "no amount was given",
        "money.invalid": "the text is not an amount of money",
        "money.negative": "the amount is below zero",
        "money.fraction": "the amount has a fraction of a won",
        "money.too_large": "the amount is above the ceiling (params: max)",
        "money.range": "a range of amounts, not one (params: low, high, as 30,000)",
        "number.empty": "no number was given",
        "number.invalid": "the text is not a number",
        "number.not_integer": "a whole number was expected, the text has a fraction",
        "date.empty": "no date was given",
        "date.invalid": "the text is not a date, or the date does not exist",
        "date.missing": "a time of day was given without the date",
        "date.ambiguous": "the window fits more than one reading (params: choices, ISO days)",
        "date.no_anchor": "a day counted from an event (다음날) the question does not name",
        "time.invalid": "the time of day does not exist (e.g. 오후 13시, 25:00)",
        "phone.empty": "no phone number was given",
        "phone.invalid": "the text is not a valid phone number",
        "phone.not_mobile": "a valid number, but not a mobile one where the step asks for one",
        "email.empty": "no e-mail address was given",
        "email.invalid": "the text is not a valid e-mail address",
        "brn.empty": "no business registration number was given",
        "brn.invalid": "characters other than digits, or impossible parts (office, serial)",
        "brn.length": "a business registration number has ten digits (params: length)",
        "brn.checksum": "the check digit does not match: a typo",
    }
)

ERROR_CODES: Final[tuple[str, ...]] = tuple(ERROR_MEANINGS)


class ParseError(ValueError):
    """An answer that could not be read; `code` says why, `params` fill the user's message."""

    code: str
    params: dict[str, object]

    def __init__(self, code: str, params: dict[str, object] | None = None) -> None:
        if code not in ERROR_MEANINGS:
            raise KeyError(f"unknown parse error code {code!r}: add it to ERROR_MEANINGS")
        super().__init__(code)
        self.code = code
        self.params = dict(params or {})

    def __repr__(self) -> str:
        return f"ParseError({self.code!r}, {self.params!r})"
