"""Flow tests in files: scripted conversations run through the engine, storing nothing.

A flow file ``outage.yaml`` may have a script file ``outage.test.yaml`` next to it::

    flow: kakao-outage-2022
    scripts:
      - name: refusing consent files nothing
        language: ko
        steps:
          - {choose: ko, expect: consent}
          - {say: "아니요", error: choice.invalid}
          - {choose: refuse}
        ends: refused

Each step gives one input (``say`` typed text, ``choose``, ``toggle`` one value or a list,
``done``, ``back``, ``skip``, ``cancel``, ``submit``, ``edit`` a field, ``upload`` a file
name, ``language`` a code) and may check what follows: ``expect`` the step now asked,
``error`` the message code of a retry, ``shows`` a piece of the prompt's text. ``ends`` says
how the conversation must end: ``filed`` (a case), ``refused`` (ended, nothing filed) or
``cancelled``; ``answers`` lists answers the case must hold. The run is a dry run: the same
engine, in memory, nothing stored; ``run_scripts`` returns typed results for any caller (the
CLI, CI, the admins' console).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from flows import inputs as i
from flows.engine import Interview
from flows.errors import FlowError, FlowProblem
from flows.loader import SCRIPTS_SUFFIX, LoadedFlow
from flows.messages import MESSAGES
from flows.prompt import Outcome

INPUT_KEYS = (
    "say",
    "choose",
    "toggle",
    "done",
    "back",
    "skip",
    "cancel",
    "submit",
    "edit",
    "upload",
    "language",
)
Ending = Literal["filed", "refused", "cancelled"]


class ScriptStep(BaseModel):
    """One input and what must follow it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    say: str | None = None
    choose: str | None = None
    toggle: str | list[str] | None = None
    done: bool | None = None
    back: bool | None = None
    skip: bool | None = None
    cancel: bool | None = None
    submit: bool | None = None
    edit: str | None = None
    upload: str | None = None
    language: str | None = None
    expect: str | None = Field(default=None, description="The step asked after this input.")
    error: str | None = Field(default=None, description="A retry with this message code.")
    shows: str | None = Field(default=None, description="Text the prompt after it contains.")
    line: int | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _one_input(self) -> ScriptStep:
        given = [key for key in INPUT_KEYS if getattr(self, key) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one input of {', '.join(INPUT_KEYS)}; got {given}")
        return self

    def inputs(self) -> list[i.UserInput]:
        """The engine inputs this step stands for (a toggle of a list is several)."""
        if self.say is not None:
            return [i.Text(self.say)]
        if self.choose is not None:
            return [i.Choose(self.choose)]
        if self.toggle is not None:
            values = [self.toggle] if isinstance(self.toggle, str) else self.toggle
            return [i.Toggle(value) for value in values]
        if self.edit is not None:
            return [i.Edit(self.edit)]
        if self.upload is not None:
            return [i.Upload(file_id=f"script://{self.upload}", kind="document", name=self.upload)]
        if self.language is not None:
            return [i.SwitchLanguage(self.language)]
        simple: dict[str, type[i.Done | i.Back | i.Skip | i.Cancel | i.Submit]]
        simple = {"done": i.Done, "back": i.Back, "skip": i.Skip}
        simple |= {"cancel": i.Cancel, "submit": i.Submit}
        return [kind() for key, kind in simple.items() if getattr(self, key)]

    def describe(self) -> str:
        for key in INPUT_KEYS:
            value = getattr(self, key)
            if value is not None:
                return key if value is True else f"{key} {value!r}"
        return "?"


class Script(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    language: str | None = None
    steps: list[ScriptStep]
    ends: Ending
    answers: dict[str, Any] = Field(default_factory=dict)
    line: int | None = Field(default=None, exclude=True)


class ScriptFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    flow: str | None = None
    scripts: list[Script] = Field(min_length=1)
    path: str = Field(default="<scripts>", exclude=True)


@dataclass(frozen=True)
class ScriptResult:
    """How one script went: passed, or the first thing that differed and where."""

    name: str
    passed: bool
    inputs: int
    problem: str | None = None
    line: int | None = None
    path: str = "<scripts>"
    visited: tuple[str, ...] = ()
    """The steps the script's conversation was shown, in order (for coverage checks)."""

    def __str__(self) -> str:
        if self.passed:
            return f"ok    {self.name} ({self.inputs} inputs)"
        where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"FAIL  {self.name}\n      {where}{self.problem}"


class RehearsalFailed(Exception):
    """A flow's scripts did not pass: it must not be published."""

    def __init__(self, results: list[ScriptResult]) -> None:
        self.results = results
        failed = [r for r in results if not r.passed]
        super().__init__(
            f"{len(failed)} of {len(results)} flow script(s) failed:\n"
            + "\n".join(str(r) for r in failed)
        )


def scripts_path(flow_path: str | Path) -> Path:
    path = Path(flow_path)
    return path.with_name(path.name.removesuffix(path.suffix) + SCRIPTS_SUFFIX)


def parse_scripts(source: str, path: str = "<scripts>") -> ScriptFile:
    """Read a script file; raise FlowError (with file:line) if its shape is wrong."""
    try:
        data = YAML(typ="rt").load(source)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise FlowError([FlowProblem(path, line, None, "", str(exc.problem))]) from None
    if not isinstance(data, dict):
        raise FlowError([FlowProblem(path, 1, 1, "", "a script file is a mapping: scripts: [...]")])
    _mark_lines(data)
    try:
        return ScriptFile.model_validate({**data, "path": path})
    except ValidationError as exc:
        problems = [
            FlowProblem(path, None, None, "", f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
            for e in exc.errors()
        ]
        raise FlowError(problems) from None


def load_scripts(path: str | Path) -> ScriptFile:
    path = Path(path)
    return parse_scripts(path.read_text(encoding="utf-8"), str(path))


def scripts_next_to(loaded: LoadedFlow) -> ScriptFile | None:
    """The scripts beside the file ``loaded`` came from, if there are any."""
    path = scripts_path(loaded.path)
    return load_scripts(path) if path.is_file() else None


def _mark_lines(data: Any) -> None:
    """Keep each script's and step's line, so a failure points into the file."""
    for n, script in enumerate(data.get("scripts") or []):
        if not isinstance(script, dict):
            continue
        script["line"] = data["scripts"].lc.item(n)[0] + 1
        steps = script.get("steps")
        if not isinstance(steps, CommentedSeq):  # the round-trip loader's lists keep lines
            continue
        for m, step in enumerate(steps):
            if isinstance(step, dict):
                step["line"] = steps.lc.item(m)[0] + 1


def run_scripts(loaded: LoadedFlow, scripts: ScriptFile) -> list[ScriptResult]:
    """Run every script against ``loaded`` in memory; nothing is stored anywhere."""
    interview = Interview(loaded)
    if scripts.flow is not None and scripts.flow != loaded.flow.id:
        problem = f"the scripts are for flow {scripts.flow!r}, not {loaded.flow.id!r}"
        return [ScriptResult("(file)", False, 0, problem, 1, scripts.path)]
    return [_run(interview, script, scripts.path) for script in scripts.scripts]


def _run(interview: Interview, script: Script, path: str) -> ScriptResult:
    outcome = interview.start(script.language)
    count = 0
    visited = [outcome.prompt.step]

    def failed(problem: str, line: int | None) -> ScriptResult:
        return ScriptResult(script.name, False, count, problem, line, path, tuple(visited))

    for step in script.steps:
        for given in step.inputs():
            if outcome.state.status != "active":
                return failed(f"the conversation had ended before {step.describe()}", step.line)
            outcome = interview.answer(outcome.state, given)
            count += 1
            if outcome.prompt.step != visited[-1]:
                visited.append(outcome.prompt.step)
        problem = _check_step(outcome, step)
        if problem is not None:
            return failed(f"after {step.describe()}: {problem}", step.line)
    problem = _check_end(outcome, script)
    if problem is not None:
        return failed(problem, script.line)
    return ScriptResult(script.name, True, count, path=path, visited=tuple(visited))


def _check_step(outcome: Outcome, step: ScriptStep) -> str | None:
    prompt = outcome.prompt
    if step.error is not None:
        expected = _message_start(step.error, outcome.state.language)
        if outcome.result != "retry":
            return f"expected the error {step.error!r}, but the answer was taken ({prompt.step})"
        if not (outcome.error or "").startswith(expected):
            return f"expected the error {step.error!r}, got {outcome.error!r}"
    elif outcome.result == "retry":
        return f"not accepted at {prompt.step}: {outcome.error}"
    if step.expect is not None and prompt.step != step.expect:
        return f"expected step {step.expect!r}, but the interview is at {prompt.step!r}"
    if step.shows is not None and step.shows not in prompt.text:
        return f"expected the prompt to show {step.shows!r}; it shows {prompt.text[:80]!r}"
    return None


def _message_start(code: str, language: str) -> str:
    """A message up to its first parameter: enough to recognise it."""
    texts = MESSAGES.get(code)
    if texts is None:
        return f"<unknown message {code}>"
    text = texts.get(language) or texts["en"]
    return text.split("{", 1)[0]


def _check_end(outcome: Outcome, script: Script) -> str | None:
    state = outcome.state
    ended: Ending | None = None
    if state.status == "cancelled":
        ended = "cancelled"
    elif state.status == "finished":
        ended = "filed" if state.submit else "refused"
    if ended != script.ends:
        where = ended or f"still at step {state.step!r}"
        return f"expected the interview to end {script.ends}, but it {_ended(where)}"
    for field, value in script.answers.items():
        if state.answers.get(field) != value:
            return f"expected answer {field} = {value!r}, got {state.answers.get(field)!r}"
    return None


def _ended(where: str) -> str:
    return f"is {where}" if where.startswith("still") else f"ended {where}"
