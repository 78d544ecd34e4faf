"""A separate process answering one user's counter interview: for kill -9 and race tests.

Usage: python -m tests.storage.answering URL USER COUNT [--wait]
Prints ``ready`` once the store is open (then, with --wait, waits for a line on stdin), and
``committed <turn>`` after each answer whose transaction has committed.
"""

from __future__ import annotations

import sys

from flows import Conversation, Interview, Outcome, Text
from storage import Store
from tests.storage.sample_flows import counter


def main(url: str, user: str, count: int, wait: bool) -> None:
    loaded = counter()
    interview = Interview(loaded)

    def answer(state: Conversation | None) -> Outcome:
        if state is None:
            state = interview.start().state
        return interview.answer(state, Text("1"))

    with Store(url) as store:
        store.publish_flow(loaded)
        print("ready", flush=True)
        if wait:
            sys.stdin.readline()
        for _ in range(count):
            applied = store.apply("test", user, answer)
            assert applied.outcome is not None
            print(f"committed {applied.outcome.state.turn}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), "--wait" in sys.argv[4:])
