"""The one path for every claimant's message: channel -> engine -> storage -> channel."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from bot.mydata import render_my_data
from flows import (
    Conversation,
    Flow,
    Interview,
    LoadedFlow,
    Outcome,
    Prompt,
    SwitchLanguage,
    UserInput,
)
from flows.errors import UnknownFlow
from flows.messages import message
from flows.opening import without_conversation
from flows.rehearsal import (
    RehearsalFailed,
    ScriptFile,
    ScriptResult,
    run_scripts,
    scripts_next_to,
)
from storage import (
    TRANSIENT_ERRORS,
    CaseSummary,
    DueDeadline,
    Erasure,
    Release,
    Report,
    Store,
    StoredVersion,
)
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
    answered: bool = False
    """For a duplicate: a process (maybe another one) replied to it already."""
    stale: bool = False
    resumed: bool = False
    notice: str | None = None
    """A sentence to show instead of a prompt (e.g. "nothing to cancel")."""

    @property
    def error(self) -> str | None:
        return self.outcome.error if self.outcome else None


class IntakeService:
    """Joins the engine and storage; every channel calls this and nothing else.

    New conversations get each flow's *released* version, read from storage (so every
    process agrees, within seconds of a publish); conversations under way keep theirs. The
    flow files handed in are the first release on an empty database and drafts after that.
    """

    def __init__(self, store: Store, flows: Iterable[LoadedFlow], default_flow: str) -> None:
        self.store = store
        self._interviews: dict[tuple[str, str], Interview] = {}
        self._lock = threading.Lock()
        for loaded in flows:
            store.release_first(loaded)
            self._interviews[(loaded.flow.id, loaded.version)] = Interview(loaded)
        if default_flow not in self.flow_ids:
            raise UnknownFlow(f"default flow {default_flow!r} is not loaded")
        self.default_flow = default_flow

    @property
    def flow_ids(self) -> frozenset[str]:
        """The released flows (new conversations can start in these)."""
        return frozenset(self.store.released_versions())

    def released_flows(self) -> Mapping[str, Flow]:
        """The flows new conversations get, read live: a publish or rollback after this
        call shows in it (what a long-running export worker exports by)."""
        return ReleasedFlows(self)

    def interview(self, flow_id: str, version: str | None = None) -> Interview:
        """The compiled flow: its released version, or the given one (an older version comes
        from storage, so old conversations finish on the flow they began with)."""
        if version is None:
            version = self.store.released_versions().get(flow_id)
            if version is None:
                raise UnknownFlow(f"flow {flow_id!r} has never been published")
        key = (flow_id, version)
        found = self._interviews.get(key)
        if found is not None:
            return found
        loaded = self.store.flow_version(flow_id, version)
        if loaded is None:
            raise UnknownFlow(f"flow {flow_id!r} version {version} is not stored")
        with self._lock:
            return self._interviews.setdefault(key, Interview(loaded))

    def begin(
        self,
        channel: str,
        user_key: str,
        *,
        language: str | None = None,
        flow_id: str | None = None,
        update_key: str | None = None,
        language_known: bool = False,
        buttons: bool = True,
    ) -> Reply:
        """Resume the claimant's open interview, or start a new one (``language_known``: the
        claimant chose ``language`` already, e.g. ``--lang en``, so the flow's language
        question is not asked; ``buttons``: whether this channel draws buttons, so the
        interview says "press" or "type")."""
        flow_id = flow_id or self.default_flow
        resumed = False

        def turn(state: Conversation | None) -> Outcome | None:
            nonlocal resumed
            resumed = state is not None
            if state is not None:
                return None
            return self._start(flow_id, language, language_known, buttons)

        applied = self.store.apply(channel, user_key, turn, update_key=update_key)
        if applied.duplicate:
            return self._duplicate(channel, user_key, update_key)
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
        language: str | None = None,
        flow_id: str | None = None,
        buttons: bool = True,
        language_known: bool = False,
    ) -> Reply:
        """Apply one input (typed text, a ``Button`` press, ``Cancel``, ``SwitchLanguage``...)
        in one transaction; every rule about it is the engine's.

        With no open interview, a message starts one (in ``language`` when the flow has it),
        a button press is stale, and cancel answers that there is nothing to cancel.
        """
        stale = False
        notice: str | None = None

        def step(state: Conversation | None) -> Outcome | None:
            nonlocal stale, notice
            stale, notice = False, None
            if state is not None:
                outcome = self.interview(state.flow_id, state.flow_version).answer(state, given)
                stale = outcome.result == "stale"
                return outcome
            opening = without_conversation(given)
            if opening == "stale":
                stale = True
                return None
            if opening == "nothing_to_cancel":
                notice = message("nothing_to_cancel", self._language(flow_id, language))
                return None
            started = self._start(flow_id or self.default_flow, language, language_known, buttons)
            if not isinstance(given, SwitchLanguage):
                return started
            switched = self.interview(flow_id or self.default_flow).answer(started.state, given)
            return replace(switched, result="next") if switched.result == "updated" else switched

        applied = self.store.apply(channel, user_key, step, update_key=update_key)
        if applied.duplicate:
            return self._duplicate(channel, user_key, update_key)
        if applied.outcome is None or stale:
            current = applied.outcome.prompt if applied.outcome else None
            if current is None and notice is None:
                current = self.prompt(channel, user_key)
            return Reply(prompt=current, stale=stale, notice=notice)
        reference = applied.case.reference if applied.case else None
        if reference:
            log.info("case filed", extra={"channel": channel, "case": reference})
        return Reply(
            prompt=applied.outcome.prompt, outcome=applied.outcome, case_reference=reference
        )

    def _start(
        self,
        flow_id: str,
        language: str | None,
        language_known: bool = False,
        buttons: bool = True,
    ) -> Outcome:
        # Turns start at a random base so buttons of a user's earlier conversation (same step
        # ids, same small turn numbers) are stale in the new one, not a valid answer.
        return self.interview(flow_id).start(
            language,
            first_turn=secrets.randbelow(TURN_BASES),
            language_known=language_known,
            buttons=buttons,
        )

    def _language(self, flow_id: str | None, language: str | None) -> str:
        flow = self.interview(flow_id or self.default_flow).flow
        return language if language in flow.languages else flow.default_language

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
        """Go on in ``language``: one input, applied in one transaction (see ``handle``)."""
        return self.handle(
            channel, user_key, SwitchLanguage(language), update_key=update_key, language=language
        )

    # -- flow releases (the CLI's `flows ...` commands; the admins' console) --------------

    def rehearse(self, loaded: LoadedFlow, scripts: ScriptFile | None = None) -> list[ScriptResult]:
        """Run a flow's scripts (given, or the ones beside its file) in memory: a dry run
        through the engine that stores nothing. No scripts: an empty list."""
        scripts = scripts if scripts is not None else scripts_next_to(loaded)
        return run_scripts(loaded, scripts) if scripts is not None else []

    def flow_file(self, flow_id: str) -> LoadedFlow | None:
        """The flow as this process loaded it from a file, if it did: its path names the file
        its scripts are beside (a console draft is checked against those scripts)."""
        for (found_id, _), interview in self._interviews.items():
            if found_id == flow_id and not interview.loaded.path.startswith("<"):
                return interview.loaded
        return None

    def publish(
        self,
        loaded: LoadedFlow,
        *,
        actor: str,
        note: str = "",
        scripts: ScriptFile | None = None,
    ) -> Release:
        """Make a flow's version the one new conversations get, on every process.

        Its scripts run first: ``RehearsalFailed`` if one fails. ``ReleaseRefused`` when that
        exact version was stored before (the same text again, or an older one: a rollback).
        """
        results = self.rehearse(loaded, scripts)
        if not all(result.passed for result in results):
            raise RehearsalFailed(results)
        released = self.store.publish_release(loaded, actor=actor, note=note)
        self._interviews.setdefault((loaded.flow.id, loaded.version), Interview(loaded))
        return released

    def rollback(self, flow_id: str, version: str, *, actor: str, note: str = "") -> Release:
        """Make an earlier stored version current again; conversations under way keep theirs."""
        return self.store.rollback_release(flow_id, version, actor=actor, note=note)

    def versions(self, flow_id: str) -> list[StoredVersion]:
        """Every stored version of a flow, oldest first, marked current or not."""
        return self.store.flow_history(flow_id)

    def diff(self, flow_id: str, old: str, new: str) -> str:
        """Unified diff of two stored versions' sources."""
        return self.store.flow_diff(flow_id, old, new)

    # -- the claimant's own records ------------------------------------------------------

    def cases(self, channel: str, user_key: str) -> list[CaseSummary]:
        """The cases the claimant filed on this channel, for a status answer."""
        return self.store.cases_of(channel, user_key)

    def erase(self, channel: str, user_key: str, *, actor: str) -> Erasure:
        """The claimant's right to erasure: open interview and personal answers go."""
        erasure = self.store.erase_user(channel, user_key, actor=actor)
        remove_stored_files(erasure.stored_paths)
        return erasure

    # -- operators -----------------------------------------------------------------------

    def report(self, flow_id: str) -> Report:
        return self.store.aggregate(flow_id)

    def received_since(self, flow_id: str, since: dt.datetime) -> ReceivedCounts:
        return self.store.received_since(flow_id, since)

    # -- privacy -------------------------------------------------------------------------

    def my_data(self, channel: str, user_key: str, language: str) -> list[str]:
        """What is stored about the claimant, per case, in ``language``: paragraphs to show."""
        found = self.store.claimant_data(channel, user_key)
        return render_my_data(found, self.interview, language)

    def run_daily_purge(self, who: str, progress: Progress | None = None) -> PurgeReport | None:
        """Today's retention purge, if no other process has claimed it."""
        report = self.store.run_daily_purge(who, progress=progress)
        if report is not None and not report.dry_run:
            remove_stored_files(report.stored_paths)
        return report

    # -- upkeep --------------------------------------------------------------------------

    def due_reminders(
        self, channel: str, now: dt.datetime | None = None, limit: int = 100
    ) -> list[DueDeadline]:
        return self.store.due_deadlines(now, limit, channel=channel)

    def claim_reminder(self, reminder: DueDeadline, now: dt.datetime | None = None) -> bool:
        """True for exactly one caller: claim first, then send (at most one reminder)."""
        return self.store.claim_deadline(reminder.id, reminder.due_at, now)

    def _duplicate(self, channel: str, user_key: str, update_key: str | None) -> Reply:
        answered = (
            update_key is not None
            and self.store.locks_across_processes
            and self.store.was_answered(channel, update_key)
        )
        return Reply(prompt=self.prompt(channel, user_key), duplicate=True, answered=answered)

    @property
    def locks_across_processes(self) -> bool:
        """Whether ``try_hold`` means anything: several processes may share this database."""
        return self.store.locks_across_processes

    def try_hold(self, channel: str, user_key: str) -> bool:
        """The claimant's lock across processes, held while one update is processed and
        answered; False: another process holds it now (try again shortly)."""
        return self.store.try_hold(channel, user_key)

    def wait_released(self, channel: str, user_key: str, timeout: float) -> None:
        """Wait, at most ``timeout`` seconds, until another process releases the lock."""
        self.store.wait_released(channel, user_key, timeout)

    def release(self, channel: str, user_key: str, *, answered: str | None) -> None:
        """Release ``try_hold``'s lock; ``answered``: the update key processed and replied to."""
        self.store.release(channel, user_key, answered=answered)

    def record_update(self, channel: str, update_key: str) -> bool:
        """For work outside ``handle`` (a command): True the first time ``update_key`` comes."""
        return self.store.record_update(channel, update_key)

    def prune_updates(self, older_than: dt.timedelta) -> int:
        """Forget update keys older than any redelivery can be; returns how many."""
        return self.store.prune_processed_updates(older_than)


class ReleasedFlows(Mapping[str, Flow]):
    """A live view of the released flows, by id (``IntakeService.released_flows``)."""

    def __init__(self, intake: IntakeService) -> None:
        self._intake = intake

    def __getitem__(self, flow_id: str) -> Flow:
        if flow_id not in self._intake.flow_ids:
            raise KeyError(flow_id)
        return self._intake.interview(flow_id).flow

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._intake.flow_ids))

    def __len__(self) -> int:
        return len(self._intake.flow_ids)


def remove_stored_files(paths: Iterable[str]) -> int:
    """Delete the files the server kept for erased or purged cases (web chat uploads), after
    their records are gone; a file already missing is fine. Returns how many went."""
    removed = 0
    for path in dict.fromkeys(paths):
        try:
            Path(path).unlink()
            removed += 1
        except FileNotFoundError:
            continue
        except OSError as exc:  # the records are gone: say so, without the path
            log.warning("a stored file could not be deleted: %s", type(exc).__name__)
    return removed
