"""The one path for every claimant's message: channel -> engine -> storage -> channel."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from flows import Conversation, Interview, LoadedFlow, Outcome, Prompt, UserInput
from flows.errors import UnknownFlow
from storage import Store

log = logging.getLogger(__name__)

TURN_BASES = 10**9


@dataclass(frozen=True)
class Reply:
    """What a channel shows after an input: the prompt now current, and what just happened."""

    prompt: Prompt | None
    outcome: Outcome | None = None
    case_reference: str | None = None
    duplicate: bool = False
    stale: bool = False
    resumed: bool = False

    @property
    def error(self) -> str | None:
        return self.outcome.error if self.outcome else None


class IntakeService:
    """Joins the engine and storage; every channel calls this and nothing else."""

    def __init__(self, store: Store, flows: Iterable[LoadedFlow], default_flow: str) -> None:
        self.store = store
        self._interviews: dict[tuple[str, str], Interview] = {}
        self._current: dict[str, Interview] = {}
        for loaded in flows:
            store.publish_flow(loaded)
            interview = Interview(loaded)
            self._current[loaded.flow.id] = interview
            self._interviews[(loaded.flow.id, loaded.version)] = interview
        if default_flow not in self._current:
            raise UnknownFlow(f"default flow {default_flow!r} is not loaded")
        self.default_flow = default_flow

    @property
    def flow_ids(self) -> frozenset[str]:
        return frozenset(self._current)

    def interview(self, flow_id: str, version: str | None = None) -> Interview:
        """The compiled flow; an older version comes from storage so old conversations finish."""
        if version is None:
            return self._current[flow_id]
        key = (flow_id, version)
        if key not in self._interviews:
            loaded = self.store.flow_version(flow_id, version)
            if loaded is None:
                raise UnknownFlow(f"flow {flow_id!r} version {version} is not stored")
            self._interviews[key] = Interview(loaded)
        return self._interviews[key]

    def begin(
        self,
        channel: str,
        user_key: str,
        *,
        language: str | None = None,
        flow_id: str | None = None,
        update_key: str | None = None,
    ) -> Reply:
        """Resume the claimant's open interview, or start a new one."""
        flow_id = flow_id or self.default_flow
        resumed = False

        def turn(state: Conversation | None) -> Outcome | None:
            nonlocal resumed
            resumed = state is not None
            if state is not None:
                return None
            return self._start(flow_id, language)

        applied = self.store.apply(channel, user_key, turn, update_key=update_key)
        if applied.duplicate:
            return Reply(prompt=self.prompt(channel, user_key), duplicate=True)
        if applied.outcome is None:
            return Reply(prompt=self.prompt(channel, user_key), resumed=resumed)
        return Reply(prompt=applied.outcome.prompt, outcome=applied.outcome)

    def handle(
        self,
        channel: str,
        user_key: str,
        given: UserInput,
        *,
        update_key: str | None = None,
        turn: int | None = None,
        language: str | None = None,
    ) -> Reply:
        """Apply one input. ``turn`` is the prompt turn a button was drawn for (stale check)."""
        stale = False

        def step(state: Conversation | None) -> Outcome | None:
            nonlocal stale
            stale = False
            if state is None:
                return self._start(self.default_flow, language)
            if turn is not None and turn != state.turn:
                stale = True
                return None
            return self.interview(state.flow_id, state.flow_version).answer(state, given)

        applied = self.store.apply(channel, user_key, step, update_key=update_key)
        if applied.duplicate:
            return Reply(prompt=self.prompt(channel, user_key), duplicate=True)
        if applied.outcome is None:
            return Reply(prompt=self.prompt(channel, user_key), stale=stale)
        reference = applied.case.reference if applied.case else None
        if reference:
            log.info("case filed", extra={"channel": channel, "case": reference})
        return Reply(
            prompt=applied.outcome.prompt, outcome=applied.outcome, case_reference=reference
        )

    def _start(self, flow_id: str, language: str | None) -> Outcome:
        # Turns start at a random base so buttons of a user's earlier conversation (same step
        # ids, same small turn numbers) are stale in the new one, not a valid answer.
        return self.interview(flow_id).start(language, first_turn=secrets.randbelow(TURN_BASES))

    def prompt(self, channel: str, user_key: str) -> Prompt | None:
        """The open interview's current question, or None when there is none."""
        stored = self.store.current(channel, user_key)
        if stored is None:
            return None
        state = stored.state
        return self.interview(state.flow_id, state.flow_version).prompt(state)
