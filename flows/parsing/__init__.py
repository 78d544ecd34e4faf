"""Answer parsers: turn what a claimant typed into a normalized value or a ParseError code."""

from flows.parsing.brn import parse_brn
from flows.parsing.date_grammar import anchor_word_problem
from flows.parsing.date_window import DateWindow
from flows.parsing.dates import ParsedMoment, parse_date, parse_datetime
from flows.parsing.email import parse_email
from flows.parsing.errors import ERROR_CODES, ERROR_MEANINGS, ParseError
from flows.parsing.money import MAX_KRW, KrwAmount, parse_krw, read_krw
from flows.parsing.numbers import parse_number
from flows.parsing.phone import parse_phone, phone_for_display
from flows.parsing.rrn import contains_rrn, mask_rrn

__all__ = [
    "ERROR_CODES",
    "ERROR_MEANINGS",
    "MAX_KRW",
    "DateWindow",
    "KrwAmount",
    "ParseError",
    "ParsedMoment",
    "anchor_word_problem",
    "contains_rrn",
    "mask_rrn",
    "parse_brn",
    "parse_date",
    "parse_datetime",
    "parse_email",
    "parse_krw",
    "parse_number",
    "parse_phone",
    "phone_for_display",
    "read_krw",
]
