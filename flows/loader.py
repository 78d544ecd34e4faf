"""Loading flow files: YAML with source positions, pydantic shape checks, then graph rules."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from flows.answer_checks import check_answers
from flows.errors import FlowError, FlowProblem
from flows.graph import check_flow
from flows.retention import check_retention
from flows.schema import Flow

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

DEFINITIONS = Path(__file__).parent / "definitions"
"""The flows shipped with complaintbot."""
SCRIPTS_SUFFIX = ".test.yaml"
"""Scripted conversations of ``outage.yaml`` live in ``outage.test.yaml``: not a flow."""


@dataclass(frozen=True)
class LoadedFlow:
    """A validated flow with the exact source it came from."""

    flow: Flow
    source: str
    path: str

    @property
    def version(self) -> str:
        """Content hash of the source: every case traces to the exact text that asked it."""
        return hashlib.sha256(self.source.encode("utf-8")).hexdigest()[:16]


def load_flow(path: str | Path) -> LoadedFlow:
    """Load and validate one flow file; raise FlowError listing every problem with file:line."""
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FlowError(
            [FlowProblem(str(path), None, None, "", f"cannot read the file: {exc}")]
        ) from None
    return parse_flow(source, str(path))


def parse_flow(source: str, path: str = "<flow>") -> LoadedFlow:
    """Validate flow source text; ``path`` only names it in error messages."""
    data = _read_yaml(source, path)
    try:
        flow = Flow.model_validate(data)
    except ValidationError as exc:
        raise FlowError(_shape_problems(exc, data, source, path)) from None
    found = [*check_flow(flow), *check_answers(flow), *check_retention(flow)]
    problems = [_locate(data, source, path, p.where, p.message, p.step) for p in found]
    if problems:
        raise FlowError(problems)
    return LoadedFlow(flow=flow, source=source, path=path)


def load_flows(paths: Iterable[str | Path] | None = None) -> dict[str, LoadedFlow]:
    """Load every flow in ``paths`` (files or folders; the shipped flows when None), by id."""
    files: list[Path] = []
    for p in [DEFINITIONS] if paths is None else [Path(p) for p in paths]:
        found = sorted(p.glob("*.yaml")) + sorted(p.glob("*.yml")) if p.is_dir() else [p]
        files.extend(f for f in found if not (p.is_dir() and f.name.endswith(SCRIPTS_SUFFIX)))
    flows: dict[str, LoadedFlow] = {}
    problems: list[FlowProblem] = []
    for file in files:
        try:
            loaded = load_flow(file)
        except FlowError as exc:
            problems.extend(exc.problems)
            continue
        if loaded.flow.id in flows:
            other = flows[loaded.flow.id].path
            problems.append(
                FlowProblem(
                    str(file), 1, 1, "", f"flow id {loaded.flow.id!r} is also used by {other}"
                )
            )
        flows[loaded.flow.id] = loaded
    if problems:
        raise FlowError(problems)
    return flows


def _read_yaml(source: str, path: str) -> Any:
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(source)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise FlowError(
            [FlowProblem(path, line, column, _source_line(source, line), what)]
        ) from None
    if not isinstance(data, dict):
        raise FlowError(
            [FlowProblem(path, 1, 1, "", "a flow file must be a mapping with id, steps, ...")]
        )
    return data


def _shape_problems(exc: ValidationError, data: Any, source: str, path: str) -> list[FlowProblem]:
    problems = []
    for err in exc.errors():
        where = [part for part in err["loc"] if part != "function-after"]
        if len(where) > 2 and where[0] == "steps" and where[2] == _kind_of(data, where[1]):
            del where[2]  # pydantic's discriminator tag, not a key in the file
        step = str(where[1]) if len(where) > 1 and where[0] == "steps" else None
        problems.append(_locate(data, source, path, where, _plain(err), step))
    return problems


def _kind_of(data: Any, step_id: Any) -> Any:
    steps = data.get("steps")
    step = steps.get(step_id) if isinstance(steps, dict) else None
    return step.get("kind") if isinstance(step, dict) else None


def _plain(err: ErrorDetails) -> str:
    """Pydantic's message, in plainer words where they are obscure."""
    kind, msg = err["type"], err["msg"]
    if kind == "missing":
        return "this is required but missing"
    if kind == "extra_forbidden":
        return "unknown key (check its spelling against flows/README.md)"
    if kind == "union_tag_invalid":
        return f"unknown step kind {err['input'].get('kind')!r}; {msg.split('; ')[-1]}"
    if kind == "union_tag_not_found":
        return "every step needs a 'kind' (choice, text, money, ...)"
    if kind == "string_pattern_mismatch":
        return f"{err['input']!r} is not a valid identifier (use lowercase letters, digits and _)"
    return msg.removeprefix("Value error, ")


def _locate(
    data: Any, source: str, path: str, where: Sequence[Any], message: str, step: str | None
) -> FlowProblem:
    """Turn a path into the data into file:line:column by walking ruamel's position marks."""
    node, line, column, shown = data, None, None, []
    for part in where:
        key = "in" if part == "in_" else "not" if part == "not_" else part
        if isinstance(node, dict) and key in node:
            line, column = node.lc.key(key) if hasattr(node, "lc") else (None, None)
            node = node[key]
            shown.append(str(key))
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            line, column = node.lc.item(key) if hasattr(node, "lc") else (None, None)
            node = node[key]
            shown.append(str(key))
    line = line + 1 if line is not None else None
    column = column + 1 if column is not None else None
    return FlowProblem(
        path, line, column, _source_line(source, line), message, ".".join(shown), step
    )


def _source_line(source: str, line: int | None) -> str:
    if line is None:
        return ""
    lines = source.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""
