"""Step kind ``file``: photos or documents sent as evidence (kept by the channel's file id)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from flows import inputs as i
from flows.exporting import ColumnType
from flows.messages import message
from flows.prompt import Widget
from flows.reading import Accepted, Pending, Reading, Rejected
from flows.steps import AskingBase

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from flows.state import Conversation


class FileStep(AskingBase):
    widget: ClassVar[Widget] = "upload"
    hint: ClassVar[str | None] = "hint.file"
    personal_by_default: ClassVar[bool] = True
    collects: ClassVar[bool] = True

    kind: Literal["file"]
    max_files: int = Field(default=5, ge=1, le=20)
    accept: list[Literal["photo", "document"]] = Field(default=["photo", "document"])

    def read(self, given: i.UserInput, pending: list[Any], timezone: str) -> Reading:
        if isinstance(given, i.Upload):
            if given.kind not in self.accept:
                return Rejected("file.kind")
            if len(pending) >= self.max_files:
                return Rejected("file.too_many", {"max": self.max_files})
            item = {"file_id": given.file_id, "kind": given.kind, "size": given.size}
            extra = (("name", given.name), ("mime_type", given.mime_type),
                     ("file_unique_id", given.unique_id))  # fmt: skip
            item |= {k: v for k, v in extra if v}
            return Pending([*pending, item])
        if isinstance(given, i.Done) and pending:
            return Accepted(list(pending))
        if isinstance(given, i.Done) and not self.required:
            return Accepted(None)
        return Rejected("file.expected")

    def show(self, value: Any, language: str) -> str:
        return message("answer.files", language, count=len(value))

    def show_masked(self, value: Any, language: str) -> str:
        return self.show(value, language)  # how many files: their ids say nothing personal

    def show_own(self, value: Any, language: str) -> str:
        names = ", ".join(str(f["name"]) for f in value if isinstance(f, dict) and f.get("name"))
        shown = message("mydata.files", language, count=len(value))
        return shown + (f" ({names})" if names else "")

    def export_type(self) -> ColumnType:
        return "int"

    def export_cells(
        self, language: str, masked: bool, zone: ZoneInfo
    ) -> Callable[[Any], list[Any]]:
        """How many files, masked or not: their ids are no use to a reader, and say nothing
        personal."""

        def cells(value: Any) -> list[Any]:
            if value is None or value == [] or value == "":
                return [None]
            return [len(value) if isinstance(value, list) else 1]

        return cells

    def attachments(self, value: Any) -> list[dict[str, Any]]:
        return [item for item in value or [] if item]

    def prompt_extras(self, state: Conversation) -> dict[str, Any]:
        return {"uploads": len(state.pending), "max_files": self.max_files}


STEP = FileStep
