"""Reading a claimant's input at an asking step into a normalized answer, and showing it back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from flows import inputs as i
from flows.messages import message
from flows.parsing import (
    DateWindow,
    ParseError,
    contains_rrn,
    parse_brn,
    parse_date,
    parse_datetime,
    parse_email,
    parse_number,
    parse_phone,
    phone_for_display,
    read_krw,
)
from flows.schema import (
    AskingStep,
    ChoiceStep,
    DateStep,
    DateTimeStep,
    FileStep,
    MoneyStep,
    MultiChoiceStep,
    NumberStep,
    Option,
    PhoneStep,
    TextStep,
)

MAX_NUMBER = 10**12
"""Larger counts are typing mistakes, and must stay far inside a 64-bit column."""


@dataclass(frozen=True)
class Accepted:
    value: Any
    estimate: bool = False
    """The claimant hedged the answer (약 50만원, about 30k): a number, but not an exact one."""


@dataclass(frozen=True)
class Pending:
    """A multi-choice toggle or an upload: the step goes on with these selections so far."""

    items: list[Any]


@dataclass(frozen=True)
class Rejected:
    code: str
    params: dict[str, Any] = field(default_factory=dict)


Reading = Accepted | Pending | Rejected


def offers_way_on(step: Any) -> bool:
    """Typed answers that keep failing get a way on; a choice always has its buttons,
    and consent in particular can only be given, never skipped or noted around."""
    return getattr(step, "field", None) is not None and step.kind not in {"choice", "multi_choice"}


def read_answer(step: AskingStep, given: i.UserInput, pending: list[Any]) -> Reading:
    """What ``given`` means at ``step``; never raises for bad input."""
    try:
        if isinstance(step, ChoiceStep):
            return _read_choice(step, given)
        if isinstance(step, MultiChoiceStep):
            return _read_multi(step, given, pending)
        if isinstance(step, FileStep):
            return _read_file(step, given, pending)
        if not isinstance(given, i.Text):
            return Rejected("unreadable")
        return _read_typed(step, given.text.strip())
    except ParseError as exc:
        return Rejected(exc.code, dict(exc.params or {}))
    except (ArithmeticError, ValueError):  # a parser's blind spot must not stop an interview
        return Rejected("unreadable")


def _option_by_text(options: list[Option], text: str) -> Option | None:
    text = text.strip().rstrip(".").casefold()
    if text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1]
    for option in options:
        if text == option.value or text in (label.casefold() for label in option.label.values()):
            return option
    return None


def _read_choice(step: ChoiceStep, given: i.UserInput) -> Reading:
    if isinstance(given, i.Choose):
        found = next((o for o in step.options if o.value == given.value), None)
    elif isinstance(given, i.Text):
        found = _option_by_text(step.options, given.text)
    else:
        found = None
    return Accepted(found.value) if found else Rejected("choice.invalid")


def _read_multi(step: MultiChoiceStep, given: i.UserInput, pending: list[Any]) -> Reading:
    most = step.max_selected or len(step.options)
    if isinstance(given, i.Toggle):
        if given.value not in {o.value for o in step.options}:
            return Rejected("choice.invalid")
        if given.value in pending:
            return Pending([v for v in pending if v != given.value])
        if len(pending) >= most:
            return Rejected("multi.too_many", {"max": most})
        return Pending([*pending, given.value])
    if isinstance(given, i.Done):
        chosen = pending
    elif isinstance(given, i.Text):
        parts = _split_choices(given.text)
        found = [_option_by_text(step.options, p) for p in parts]
        if not found or None in found:
            return Rejected("choice.invalid")
        chosen = [o.value for o in found if o is not None]
    else:
        return Rejected("choice.invalid")
    ordered = [o.value for o in step.options if o.value in set(chosen)]
    if len(ordered) < max(step.min_selected, 1 if step.required else 0):
        return Rejected("multi.too_few", {"min": max(step.min_selected, 1)})
    if len(ordered) > most:
        return Rejected("multi.too_many", {"max": most})
    return Accepted(ordered)


def _split_choices(text: str) -> list[str]:
    """ "1,3" or "1 3" or "카카오톡, 멜론"; a label with spaces stays whole."""
    text = text.replace("，", ",").replace("、", ",")
    if "," in text:
        return [p.strip() for p in text.split(",") if p.strip()]
    words = text.split()
    return words if all(w.isdigit() for w in words) else [text.strip()] if text.strip() else []


def _read_file(step: FileStep, given: i.UserInput, pending: list[Any]) -> Reading:
    if isinstance(given, i.Upload):
        if given.kind not in step.accept:
            return Rejected("file.kind")
        if len(pending) >= step.max_files:
            return Rejected("file.too_many", {"max": step.max_files})
        item = {"file_id": given.file_id, "kind": given.kind, "size": given.size}
        item |= {k: v for k, v in (("name", given.name), ("mime_type", given.mime_type)) if v}
        return Pending([*pending, item])
    if isinstance(given, i.Done) and pending:
        return Accepted(list(pending))
    if isinstance(given, i.Done) and not step.required:
        return Accepted(None)
    return Rejected("file.expected")


def _read_typed(step: AskingStep, text: str) -> Reading:
    match step.kind:
        case "text":
            return _read_text(step, text)
        case "number":
            number = parse_number(text, integer=step.integer)
            if abs(number) > MAX_NUMBER:  # must fit the report's 64-bit amount column
                return Rejected("number.above_max", {"max": _number(MAX_NUMBER)})
            return _within(step, number, "number")
        case "money":
            amount = read_krw(text)
            reading = _within(step, amount.won, "money")
            if amount.estimate and isinstance(reading, Accepted):
                return Accepted(reading.value, estimate=True)
            return reading
        case "date":
            return _read_date(step, text)
        case "datetime":
            return _read_datetime(step, text)
        case "phone":
            return Accepted(parse_phone(text, region=step.region, mobile=step.mobile))
        case "email":
            return Accepted(parse_email(text))
        case "business_number":
            return Accepted(parse_brn(text))
    return Rejected("unreadable")


def _read_text(step: TextStep, text: str) -> Reading:
    if len(text) < step.min_length:
        return Rejected("text.too_short", {"min": step.min_length})
    if len(text) > step.max_length:
        return Rejected("text.too_long", {"max": step.max_length, "length": len(text)})
    if contains_rrn(text):
        return Rejected("text.rrn")
    return Accepted(text)


def _within(step: NumberStep | MoneyStep, value: float, kind: str) -> Reading:
    if step.min is not None and value < step.min:
        return Rejected(f"{kind}.below_min", {"min": _number(step.min)})
    if step.max is not None and value > step.max:
        return Rejected(f"{kind}.above_max", {"max": _number(step.max)})
    return Accepted(value)


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _read_date(step: DateStep, text: str) -> Reading:
    reference = step.earliest or step.latest or dt.date.today()
    anchors = {word: a.at for a in step.anchors for word in a.words}
    day = parse_date(
        text, reference=reference, earliest=step.earliest, latest=step.latest, anchors=anchors
    )
    if step.earliest and day < step.earliest:
        return Rejected("date.too_early", {"earliest": step.earliest.isoformat()})
    if step.latest and day > step.latest:
        return Rejected("date.too_late", {"latest": step.latest.isoformat()})
    return Accepted(day.isoformat())


def _read_datetime(step: DateTimeStep, text: str) -> Reading:
    zone = ZoneInfo(step.timezone)
    earliest = _aware(step.earliest, zone)
    latest = _aware(step.latest, zone)
    reference = earliest or latest or dt.datetime.now(zone)
    anchors = {word: a.at for a in step.anchors for word in a.words}
    moment = parse_datetime(
        text,
        reference=reference,
        tz=step.timezone,
        window=DateWindow(earliest, latest),
        anchors=anchors,
    )
    # a day, or a part of one (토요일 저녁), counts if any of it is in the window
    first, last = moment.span()
    if earliest and last < earliest:
        return Rejected("date.too_early", {"earliest": _show_moment(earliest)})
    if latest and first > latest:
        return Rejected("date.too_late", {"latest": _show_moment(latest)})
    if moment.has_time:
        return Accepted(moment.value.isoformat(timespec="minutes"))
    return Accepted(moment.value.date().isoformat())


def _aware(value: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)


def _show_moment(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def display(step: AskingStep, value: Any, language: str) -> str:
    """An answer as the claimant would read it back, in their language."""
    if value is None:
        return message("answer.skipped", language)
    if isinstance(step, ChoiceStep | MultiChoiceStep):
        labels = {o.value: o.label.get(language, o.value) for o in step.options}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, str(v)) for v in values)
    if isinstance(step, MoneyStep):
        return f"{value:,}원" if language == "ko" else f"KRW {value:,}"
    if isinstance(step, FileStep):
        return message("answer.files", language, count=len(value))
    if isinstance(step, PhoneStep):
        return phone_for_display(value, step.region)
    if isinstance(step, DateTimeStep) and "T" in str(value):
        return str(value)[:16].replace("T", " ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
