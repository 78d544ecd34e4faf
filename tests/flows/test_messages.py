"""The one message catalogue: every message in every language the flows declare, the same
placeholders in each, and typed words that cannot mean two things."""

from __future__ import annotations

import string
from itertools import combinations
from pathlib import Path

import pytest

from flows import load_flow, load_flows
from flows.messages import MESSAGES, message, missing_messages
from flows.typed import words

FLOWS = [*load_flows().values(), load_flow(Path(__file__).parent / "data" / "mini.yaml")]
DECLARED = sorted({language for loaded in FLOWS for language in loaded.flow.languages})


@pytest.mark.parametrize("language", DECLARED)
def test_every_message_exists_in_every_language_a_flow_declares(language: str) -> None:
    assert missing_messages([language]) == []


def test_the_check_names_what_is_missing() -> None:
    assert "cancel.ask: ja" in missing_messages(["ja"])
    assert len(missing_messages(["ja"])) == len(MESSAGES)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_language_of_a_message_has_the_same_placeholders(code: str) -> None:
    texts = MESSAGES[code]
    assert len({frozenset(_placeholders(text)) for text in texts.values()}) == 1, texts


def test_a_missing_translation_falls_back_to_english() -> None:
    assert message("cancel.ask", "ja") == MESSAGES["cancel.ask"]["en"]


def test_navigation_words_never_mean_two_things() -> None:
    for a, b in combinations(["back", "skip", "cancel", "done"], 2):
        assert words(a) & words(b) == set(), (a, b)
    assert words("yes") & words("no") == set()
