"""The flows package's exception types."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FlowProblem:
    """One thing wrong with a flow file, located as precisely as the source allows."""

    path: str
    line: int | None
    column: int | None
    source_line: str
    message: str
    where: str = ""
    step: str | None = None

    def __str__(self) -> str:
        place = self.path
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        head = f"{place}: "
        if self.where:
            head += f"{self.where}: "
        text = head + self.message
        if self.step and f"'{self.step}'" not in self.message:
            text += f" (step '{self.step}')"
        if self.source_line:
            caret = " " * ((self.column or 1) - 1) + "^"
            text += f"\n    {self.source_line}\n    {caret}"
        return text


class FlowError(Exception):
    """A flow file that cannot be used; lists every problem found."""

    def __init__(self, problems: list[FlowProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UnknownFlow(KeyError):
    """No flow with that id (or that version) is loaded."""
