"""A conversation's state: small plain data that serializes to JSON and back."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["active", "finished", "cancelled"]


class Conversation(BaseModel):
    """Where one claimant is in one flow version, and what they answered so far."""

    model_config = ConfigDict(extra="forbid")

    flow_id: str
    flow_version: str
    language: str
    step: str
    status: Status = "active"
    submit: bool = Field(default=False, description="Finished at an end step that files a case.")
    answers: dict[str, Any] = Field(default_factory=dict)
    history: list[str] = Field(
        default_factory=list, description="Steps answered on the way here, for back."
    )
    pending: list[Any] = Field(
        default_factory=list, description="Multi-choice selections or uploads not yet done."
    )
    failures: int = Field(default=0, description="Failed tries at the current step.")
    editing: bool = Field(default=False, description="Came from the summary; return to it.")
    notes: dict[str, str] = Field(
        default_factory=dict, description="Own-words notes left where an answer could not be read."
    )
    estimates: list[str] = Field(
        default_factory=list,
        description="Fields whose answer the claimant hedged (약 50만원, 10만원쯤): an estimate.",
    )
    turn: int = Field(default=0, description="Counts changes; buttons of older turns are stale.")
    buttons: bool = Field(
        default=True,
        description="The channel draws buttons: instructions say press; else they say type.",
    )
    cancelling: bool = Field(
        default=False, description="Asked to stop: waiting for yes (stop) or no (go on)."
    )

    def to_json(self) -> str:
        return self.model_dump_json(exclude_defaults=True)

    @classmethod
    def from_json(cls, data: str | bytes) -> Conversation:
        return cls.model_validate_json(data)
