"""What reading one input at an asking step gives: an answer, a selection so far, or a refusal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
