"""What the flows pages know about one flow: its live version, its draft checked by the
loader, its versions, and the diff between them. Plain blocking calls (run in a thread)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from bot.intake import IntakeService
from flows import FlowError, FlowProblem, LoadedFlow, parse_flow
from storage.flow_drafts import FlowDraft, find_draft
from storage.releases import StoredVersion


@dataclass(frozen=True)
class DiffLine:
    kind: str
    """``added``, ``removed``, ``hunk`` (a ``@@`` line), ``file`` or ``same``."""
    text: str


@dataclass(frozen=True)
class Editing:
    """One flow as its page shows it."""

    flow_id: str
    live: LoadedFlow
    draft: FlowDraft | None
    checked: LoadedFlow | None
    """The draft as the loader read it; None without a draft or while it has problems."""
    problems: list[FlowProblem] = field(default_factory=list)
    versions: list[StoredVersion] = field(default_factory=list)

    @property
    def source(self) -> str:
        return self.draft.source if self.draft else self.live.source

    @property
    def shown(self) -> LoadedFlow:
        """What the outline, the dry run and the scripts use: the checked draft, else live."""
        return self.checked or self.live


def normalized(source: str) -> str:
    """A browser sends a textarea with CRLF line ends; the stored text (and its version
    hash) must not depend on the browser."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") or not text else text + "\n"


def check(
    intake: IntakeService, flow_id: str, source: str
) -> tuple[LoadedFlow | None, list[FlowProblem]]:
    """Read ``source`` as the loader would; a draft must keep its flow's id."""
    shipped = intake.flow_file(flow_id)
    path = shipped.path if shipped else f"<draft {flow_id}>"
    try:
        loaded = parse_flow(source, path)
    except FlowError as exc:
        return None, exc.problems
    if loaded.flow.id != flow_id:
        line = next(
            (n for n, text in enumerate(source.splitlines(), 1) if text.startswith("id:")), 1
        )
        problem = FlowProblem(
            path,
            line,
            1,
            source.splitlines()[line - 1] if source.strip() else "",
            f"the id must stay {flow_id!r} (a new flow is a new file, not an edit)",
            "id",
        )
        return None, [problem]
    return loaded, []


def editing(intake: IntakeService, flow_id: str) -> Editing:
    """The flow's page state: live version, stored draft and the loader's verdict on it."""
    live = intake.interview(flow_id).loaded
    draft = find_draft(intake.store.engine, flow_id)
    checked, problems = (None, []) if draft is None else check(intake, flow_id, draft.source)
    return Editing(flow_id, live, draft, checked, problems, intake.versions(flow_id))


def diff_lines(old: str, new: str, old_name: str, new_name: str) -> list[DiffLine]:
    """A unified diff, each line typed, so the page can say "added"/"removed" in words."""
    lines = []
    for text in difflib.unified_diff(
        old.splitlines(), new.splitlines(), fromfile=old_name, tofile=new_name, lineterm=""
    ):
        lines.append(DiffLine(_kind(text), text))
    return lines


def stored_diff(intake: IntakeService, flow_id: str, old: str, new: str) -> list[DiffLine]:
    """The diff of two stored versions (``ReleaseRefused`` when one is not stored)."""
    return [DiffLine(_kind(text), text) for text in intake.diff(flow_id, old, new).splitlines()]


def _kind(text: str) -> str:
    if text.startswith(("+++", "---")):
        return "file"
    if text.startswith("@@"):
        return "hunk"
    if text.startswith("+"):
        return "added"
    if text.startswith("-"):
        return "removed"
    return "same"
