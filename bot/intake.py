"""The one path for every claimant's message: channel -> engine -> storage -> channel."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from bot.mydata import render_my_data
from flows import (
    Choose,
    Conversation,
    Interview,
    LoadedFlow,
    Outcome,
    Prompt,
    SwitchLanguage,
    UserInput,
)
from flows.errors import UnknownFlow
from storage import TRANSIENT_ERRORS, CaseSummary, DueDeadline, Erasure, Report, Store
from storage.exports import write_cases_csv
from storage.purge import Progress, PurgeReport
from storage.report import ReceivedCounts

log = logging.getLogger(__name__)

TURN_BASES = 10**9

UNAVAILABLE = TRANSIENT_ERRORS
"""What the intake raises while storage is down or overloaded: worth trying the same input
again later (channels answer "try again", or let Telegram redeliver), never a wrong answer."""


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

    def switch_language(
        self, channel: str, user_key: str, language: str, *, update_key: str | None = None
    ) -> Reply:
        """Go on in ``language``: start an interview in it, or, in the open one, answer the
        flow's language question with it or switch where the claimant stands."""
        stored = self.store.current(channel, user_key)
        if stored is None:
            started = self.begin(channel, user_key, language=language, update_key=update_key)
            stored = self.store.current(channel, user_key)
            if stored is None:
                return started
        state = stored.state
        step = self.interview(state.flow_id, state.flow_version).flow.steps.get(state.step)
        sets_language = bool(getattr(step, "sets_language", False))
        given = Choose(language) if sets_language else SwitchLanguage(language)
        return self.handle(
            channel,
            user_key,
            given,
            update_key=f"{update_key}:language" if update_key else None,
            turn=state.turn,
        )

    # -- the claimant's own records ------------------------------------------------------

    def cases(self, channel: str, user_key: str) -> list[CaseSummary]:
        """The cases the claimant filed on this channel, for a status answer."""
        return self.store.cases_of(channel, user_key)

    def erase(self, channel: str, user_key: str, *, actor: str) -> Erasure:
        """The claimant's right to erasure: open interview and personal answers go."""
        return self.store.erase_user(channel, user_key, actor=actor)

    # -- operators -----------------------------------------------------------------------

    def report(self, flow_id: str) -> Report:
        return self.store.aggregate(flow_id)

    def received_since(self, flow_id: str, since: dt.datetime) -> ReceivedCounts:
        return self.store.received_since(flow_id, since)

    def export_csv(
        self,
        flow_id: str,
        out: BinaryIO,
        *,
        mask: bool = True,
        actor: str,
        reason: str | None = None,
    ) -> int:
        """Every case of ``flow_id`` as CSV into ``out``; who exported is audited.

        Unmasked, it needs a ``reason`` and leaves a row in the access log (before any
        personal value is written, so a failed export is logged too).
        """
        flow = self.interview(flow_id).flow
        if not mask:
            shown = [*sorted(flow.personal_fields()), "notes", "user_key"]
            self.store.record_access(actor, f"flow:{flow_id}", shown, reason or "")
        count = write_cases_csv(self.store, flow, out, mask=mask)
        detail = {"cases": count, "masked": mask, "format": "csv"}
        self.store.audit(actor, "export", flow_id, detail)
        return count

    # -- privacy -------------------------------------------------------------------------

    def my_data(self, channel: str, user_key: str, language: str) -> list[str]:
        """What is stored about the claimant, per case, in ``language``: paragraphs to show."""
        found = self.store.claimant_data(channel, user_key)
        return render_my_data(found, self.interview, language)

    def run_daily_purge(self, who: str, progress: Progress | None = None) -> PurgeReport | None:
        """Today's retention purge, if no other process has claimed it."""
        return self.store.run_daily_purge(who, progress=progress)

    # -- upkeep --------------------------------------------------------------------------

    def due_reminders(
        self, channel: str, now: dt.datetime | None = None, limit: int = 100
    ) -> list[DueDeadline]:
        return self.store.due_deadlines(now, limit, channel=channel)

    def claim_reminder(self, reminder: DueDeadline, now: dt.datetime | None = None) -> bool:
        """True for exactly one caller: claim first, then send (at most one reminder)."""
        return self.store.claim_deadline(reminder.id, reminder.due_at, now)

    def record_update(self, channel: str, update_key: str) -> bool:
        """For work outside ``handle`` (a command): True the first time ``update_key`` comes."""
        return self.store.record_update(channel, update_key)

    def prune_updates(self, older_than: dt.timedelta) -> int:
        """Forget update keys older than any redelivery can be; returns how many."""
        return self.store.prune_processed_updates(older_than)
