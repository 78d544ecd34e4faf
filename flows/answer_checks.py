"""Load checks between a flow and the answer parsers: shown examples parse, anchor words are new.

A question that shows "예: 123-45-67890" and then refuses exactly that teaches claimants the
bot is broken. So every example a question shows, the engine's own hints and error sentences
for its kind and any example the admin wrote into its help, is read through the question's
own parser at load time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

from flows import inputs as i
from flows.answers import Rejected, read_answer
from flows.graph import GraphProblem
from flows.messages import MESSAGES
from flows.parsing import ERROR_MEANINGS, anchor_word_problem
from flows.schema import AskingStep, Flow

_MARKER: Final[re.Pattern[str]] = re.compile(
    r"(?:예시?\s*[:)]|e\.g\.|for example:?|, like)\s*(?P<examples>[^\n]+)", re.IGNORECASE
)
_SEPARATOR: Final[re.Pattern[str]] = re.compile(r",\s+|\s+or\s+|\s+또는\s+")


def examples_in(text: str) -> list[str]:
    """The examples a sentence gives after 예: / e.g. / for example, split at ', ' and 'or'."""
    found = []
    for match in _MARKER.finditer(text):
        for part in _SEPARATOR.split(match.group("examples")):
            example = part.strip().strip("'\"‘’“”").rstrip(".").strip()
            if example and "{" not in example:
                found.append(example)
    return found


def check_answers(flow: Flow) -> list[GraphProblem]:
    """Every problem between the flow's questions and the parsers, each naming step and fix."""
    problems: list[GraphProblem] = []
    for sid, step in flow.asking_steps():
        if step.example_messages:  # the kinds whose answers are typed and parsed
            problems.extend(_check_engine_examples(flow, sid, step))
            problems.extend(_check_help_examples(flow, sid, step))
        if step.anchor_list:
            problems.extend(_check_anchors(sid, step))
    return problems


def _refusal(step: AskingStep, example: str) -> str | None:
    reading = read_answer(step, i.Text(example), [])
    return reading.code if isinstance(reading, Rejected) else None


def _check_engine_examples(flow: Flow, sid: str, step: AskingStep) -> Iterator[GraphProblem]:
    """The engine's examples must at least be readable; the step's own limits may refuse them
    (e.g. a 2022 example under a 2025 window), which is the admin's to explain in `help`.
    They are Korean numbers, so a step may read them its own way (for_engine_examples)."""
    step = step.for_engine_examples()
    for code in step.example_messages:
        for lang in flow.languages:
            text = MESSAGES.get(code, {}).get(lang) or MESSAGES.get(code, {}).get("en", "")
            for example in examples_in(text):
                refused = _refusal(step, example)
                if refused in ERROR_MEANINGS:
                    yield GraphProblem(
                        ["steps", sid, "kind"],
                        f"complaintbot's example {example!r} for this kind of question "
                        f"(message {code!r}, {lang}) fails its own parser ({refused}): "
                        "fix the example in flows/messages/",
                        sid,
                    )


def _check_help_examples(flow: Flow, sid: str, step: AskingStep) -> Iterator[GraphProblem]:
    if step.help is None:
        return
    for lang in flow.languages:
        for example in examples_in(step.help.get(lang, "")):
            refused = _refusal(step, example)
            if refused is not None:
                yield GraphProblem(
                    ["steps", sid, "help", lang],
                    f"the example {example!r} is refused by this very question ({refused}): "
                    "give an example it accepts",
                    sid,
                )


def _check_anchors(sid: str, step: AskingStep) -> Iterator[GraphProblem]:
    seen: dict[str, int] = {}
    for n, anchor in enumerate(step.anchor_list):
        for w, word in enumerate(anchor.words):
            where: list[Any] = ["steps", sid, "anchors", n, "words", w]
            problem = anchor_word_problem(word)
            if problem is not None:
                yield GraphProblem(where, f"anchor word {word!r} {problem}", sid)
            elif word.casefold() in seen:
                yield GraphProblem(
                    where, f"anchor word {word!r} already names anchor {seen[word.casefold()]}", sid
                )
            seen.setdefault(word.casefold(), n)
