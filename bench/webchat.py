"""The web chat's answer round trip against the terminal intake, in the same run.

Both replay the same whole English interview (13 inputs, buttons and typed answers) for
many claimants on one SQLite file. The terminal side is what `complaintbot chat` does per
line: ``IntakeService.handle`` and rendering the prompt as text. The web side is what a
browser without JavaScript does per answer: POST /chat/answer (CSRF checked, rate limit
counted, the same ``handle``) and the redirected GET /chat (limit counted, the prompt read
and drawn as HTML), through the real ASGI app in process (no sockets: the app's own cost).
A browser with chat.js makes one request an answer instead: POST /chat/answer with
``X-Chat-Fetch: 1``, answered with the next page drawn from the intake's reply (measured too,
as "with chat.js"). Goal: within 2x of the terminal.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.intake import IntakeService
from bot.terminal import render
from flows import Button, Text, UserInput
from tests.web.chat_driver import EN_BY_BUTTONS, WebClaimant
from tests.web.conftest import client_for, make_console


def _terminal_inputs(intake: IntakeService, user: str) -> int:
    """One interview by the terminal's path; returns how many answers it took."""
    reply = intake.begin("terminal", user)
    prompt = reply.prompt
    answers = 0
    for how, what in EN_BY_BUTTONS:
        assert prompt is not None
        given: UserInput
        if how == "type":
            given = Text(what)
        else:
            labels = [o.label for o in getattr(prompt, "options", ())]
            matches = [n for n, label in enumerate(labels) if label.startswith(what)]
            if matches:
                action = "toggle" if how == "toggle" else "choose"
                given = Button(action, prompt.turn, matches[0], step=prompt.step)
            else:
                given = Text(what.lower())  # done, skip, submit: the words the engine reads
        reply = intake.handle("terminal", user, given)
        render(reply.prompt) if reply.prompt else None
        prompt = reply.prompt
        answers += 1
    assert reply.case_reference, reply
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rounds = 5 if args.quick else 20
    with tempfile.TemporaryDirectory() as scratch:
        made = make_console(
            f"sqlite:///{Path(scratch) / 'bench.db'}",
            web_upload_dir=str(Path(scratch) / "uploads"),
            web_chat_requests_per_minute=1_000_000,
        )
        terminal: list[float] = []
        web: list[float] = []
        fetched: list[float] = []
        floor: list[float] = []
        # One client kept open, as a browser talks to a server that keeps running (a
        # TestClient used outside ``with`` starts an event loop thread for every request).
        with client_for(made) as client:
            for n in range(rounds):  # interleaved, so all see the same machine load
                started = time.perf_counter()
                count = _terminal_inputs(made.intake, f"bench-{n}")
                terminal.append((time.perf_counter() - started) / count)
                for fetch, into in ((False, web), (True, fetched)):
                    client.cookies.clear()  # a new claimant, a new browser
                    me = WebClaimant(client, fetch=fetch)
                    me.start()
                    started = time.perf_counter()
                    me.run(EN_BY_BUTTONS)
                    into.append((time.perf_counter() - started) / len(EN_BY_BUTTONS))
                    assert me.case_number()
                started = time.perf_counter()
                for _ in range(len(EN_BY_BUTTONS)):
                    client.get("/healthz")
                    client.get("/healthz")
                floor.append((time.perf_counter() - started) / len(EN_BY_BUTTONS))
        made.store.close()
    t, w = statistics.median(terminal), statistics.median(web)
    print(f"interviews: {rounds} each, {len(EN_BY_BUTTONS)} answers per interview")
    print(f"terminal intake, per answer (median): {t * 1000:.2f} ms")
    print(f"web chat POST+GET, per answer (median): {w * 1000:.2f} ms")
    f = statistics.median(floor)
    print(f"in-process HTTP floor, two GET /healthz (median): {f * 1000:.2f} ms")
    print(f"ratio web / terminal: {w / t:.2f}x (goal: within 2x)")
    print(f"ratio without the HTTP floor: {(w - f) / t:.2f}x")
    j = statistics.median(fetched)
    print(f"web chat with chat.js (one POST, the page in its answer), per answer (median): "
          f"{j * 1000:.2f} ms")  # fmt: skip
    print(f"ratio with chat.js / terminal: {j / t:.2f}x (goal: within 2x)")
    print(f"ratio with chat.js, without one in-process request: {(j - f / 2) / t:.2f}x")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
