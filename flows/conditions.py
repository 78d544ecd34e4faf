"""Branch conditions over earlier answers: structured data, evaluated by our code, never eval'd."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

Scalar = str | int | float | bool


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FieldCondition(_Strict):
    """A test of one answer, with exactly one operator: ``{field: x, equals: y}``."""

    field: str
    equals: Scalar | None = None
    not_equals: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    contains: Scalar | None = None
    exists: bool | None = None
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None

    @model_validator(mode="after")
    def _exactly_one_operator(self) -> FieldCondition:
        used = [op for op in _OPERATORS if getattr(self, op) is not None]
        if len(used) != 1:
            names = ", ".join(o.rstrip("_") for o in _OPERATORS)
            raise ValueError(
                f"a condition on {self.field!r} needs exactly one operator of: {names}"
                + (f" (found {', '.join(u.rstrip('_') for u in used)})" if used else "")
            )
        return self

    def holds(self, answers: Mapping[str, Any]) -> bool:
        present = self.field in answers and answers[self.field] is not None
        if self.exists is not None:
            return present == self.exists
        if not present:
            return False
        value: object = answers[self.field]
        if self.equals is not None:
            return value == self.equals
        if self.not_equals is not None:
            return value != self.not_equals
        if self.in_ is not None:
            return value in self.in_
        if self.contains is not None:
            return isinstance(value, list | tuple | str) and self.contains in value
        return _compare(self, value)


def _compare(cond: FieldCondition, value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if cond.gt is not None:
        return value > cond.gt
    if cond.gte is not None:
        return value >= cond.gte
    if cond.lt is not None:
        return value < cond.lt
    return cond.lte is not None and value <= cond.lte


_OPERATORS = ("equals", "not_equals", "in_", "contains", "exists", "gt", "gte", "lt", "lte")


class AllCondition(_Strict):
    all: list[Condition] = Field(min_length=1)

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return all(c.holds(answers) for c in self.all)


class AnyCondition(_Strict):
    any: list[Condition] = Field(min_length=1)

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return any(c.holds(answers) for c in self.any)


class NotCondition(_Strict):
    not_: Condition = Field(alias="not")

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return not self.not_.holds(answers)


def _condition_kind(value: Any) -> str:
    """Which condition a mapping is, by its keys, so errors name one kind, not all four."""
    if isinstance(value, BaseModel):
        return _TAGS[type(value)]
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return f"<{key}>"
    return "<field>"


_TAGS: dict[type, str] = {
    FieldCondition: "<field>",
    AllCondition: "<all>",
    AnyCondition: "<any>",
    NotCondition: "<not>",
}

Condition = Annotated[
    Annotated[FieldCondition, Tag("<field>")]
    | Annotated[AllCondition, Tag("<all>")]
    | Annotated[AnyCondition, Tag("<any>")]
    | Annotated[NotCondition, Tag("<not>")],
    Discriminator(_condition_kind),
]

AllCondition.model_rebuild()
AnyCondition.model_rebuild()
NotCondition.model_rebuild()


def walk(condition: Condition) -> Iterator[FieldCondition]:
    """Every single-field test inside a condition."""
    if isinstance(condition, FieldCondition):
        yield condition
    elif isinstance(condition, AllCondition | AnyCondition):
        for c in condition.all if isinstance(condition, AllCondition) else condition.any:
            yield from walk(c)
    else:
        yield from walk(condition.not_)


def fields_of(condition: Condition) -> Iterator[str]:
    """Every answer field a condition reads."""
    for leaf in walk(condition):
        yield leaf.field


def describe(condition: Condition) -> str:
    """A short human-readable form, for diagrams and error messages."""
    if isinstance(condition, FieldCondition):
        for op in _OPERATORS:
            value = getattr(condition, op)
            if value is not None:
                return f"{condition.field} {op.rstrip('_')} {_show(value)}"
    if isinstance(condition, AllCondition):
        return " and ".join(f"({describe(c)})" for c in condition.all)
    if isinstance(condition, AnyCondition):
        return " or ".join(f"({describe(c)})" for c in condition.any)
    assert isinstance(condition, NotCondition)
    return f"not ({describe(condition.not_)})"


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)
