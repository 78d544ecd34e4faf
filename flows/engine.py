"""The interview engine: every interview rule, over one flow version's state machine
(flows.machine), with conversations as plain data."""

from __future__ import annotations

from typing import Any

from flows import inputs as i
from flows import turns, typed
from flows.answers import Accepted, Pending, Rejected, display, offers_way_on, read_answer
from flows.loader import LoadedFlow
from flows.machine import Router
from flows.messages import instruction, message
from flows.parsing import contains_rrn
from flows.prompt import Outcome, Prompt, Result
from flows.render import render_prompt, summary
from flows.schema import AskingStep, Flow
from flows.state import Conversation
from flows.steps import AskingBase

MAX_FAILURES = 3
"""After this many failed tries at one step the prompt offers a way on."""


class Interview:
    """A compiled flow version. Shared by every conversation in it; holds no conversation."""

    def __init__(self, loaded: LoadedFlow) -> None:
        self.loaded = loaded
        self.flow: Flow = loaded.flow
        self.version = loaded.version
        self.router = Router(self.flow)

    # -- public API --------------------------------------------------------------------

    def start(
        self,
        language: str | None = None,
        *,
        first_turn: int = 0,
        language_known: bool = False,
        buttons: bool = True,
    ) -> Outcome:
        """A new conversation at the flow's first question.

        With ``language_known`` (the claimant chose it already: ``--lang en``, a Telegram
        client's language) and ``language`` one of the flow's, the flow's language question
        is answered with it and not asked; it stays in the history, so back (or /language)
        still changes it.

        ``first_turn`` lets a channel number the turns of a claimant's successive
        conversations apart (e.g. from a random base), so that a button drawn in an earlier
        conversation can never pass for one of this conversation's questions.

        ``buttons``: whether the channel draws buttons (Telegram, the web chat) or the claimant
        types everything (the terminal); the engine words its instructions to match.
        """
        lang = language if language in self.flow.languages else self.flow.default_language
        state = Conversation(
            flow_id=self.flow.id,
            flow_version=self.version,
            language=lang,
            step=self.flow.start,
            turn=first_turn,
            buttons=buttons,
        )
        state = self._settle(state)
        step = self.flow.steps[state.step]
        chosen = language_known and lang == language
        if chosen and isinstance(step, AskingBase) and step.changes_language:
            state.answers[step.field] = lang
            state.history.append(state.step)
            state.step = self._next("answer", state.step, state.answers)
            state = self._settle(state)
        return self._outcome(state, "next")

    def prompt(self, state: Conversation) -> Prompt:
        """The current question of ``state`` again (e.g. on /start or a stale button)."""
        path = self.live_path(state) if self.flow.steps[state.step].is_summary else []
        return render_prompt(self.flow, state, MAX_FAILURES, path)

    def answer(self, state: Conversation, given: i.UserInput) -> Outcome:
        """Apply one input to a conversation; returns the new state and what to show next.

        Every interview rule is applied here, whatever the channel: a button press counts
        only for its own turn (``flows.turns``), typed words like "back" or "건너뛰기" mean
        what their buttons mean (``flows.typed``), cancelling asks for a yes first.
        """
        if state.status != "active":
            return self._outcome(state, "ignored", error=message("finished", state.language))
        if isinstance(given, i.Button):
            meant = turns.meaning(given, self.prompt(state)) if turns.counts(given, state) else None
            if meant is None:
                return self._outcome(state, "stale")
            given = meant
        state = _copy(state)
        if isinstance(given, i.SwitchLanguage):
            return self._switch_language(state, given.language)
        if state.cancelling:
            return self._cancelling(state, given)
        if isinstance(given, i.Text):
            given = typed.navigation(given.text) or given
        step = self.flow.steps[state.step]
        if step.is_end:
            return self._outcome(state, "ignored")
        if isinstance(given, i.Cancel):
            state.cancelling = True
            return self._changed(state, "next")
        if isinstance(given, i.Back):
            return self._back(state)
        if step.is_summary:
            return self._confirm(state, given)
        if not isinstance(step, AskingBase):  # a message to read: any input goes on
            if isinstance(given, i.Skip | i.Edit | i.Toggle | i.Upload | i.Submit):
                return self._retry(state, "unreadable")
            return self._go_on(state, echo=None)
        return self._ask(state, step, given)

    def _cancelling(self, state: Conversation, given: i.UserInput) -> Outcome:
        """Asked "stop the report?": yes forgets everything, no goes back to the question."""
        said = given.text if isinstance(given, i.Text) else None
        if isinstance(given, i.Choose) and given.value in {"yes", "no"}:
            stop = given.value == "yes"
        elif said is not None and (typed.is_word(said, "yes") or typed.is_word(said, "no")):
            stop = typed.is_word(said, "yes")
        elif isinstance(given, i.Back):
            stop = False
        else:
            return self._changed(state, "retry", error=message("cancel.expected", state.language))
        state.cancelling = False
        if not stop:
            return self._changed(state, "next")
        state.status = "cancelled"
        _forget(state)  # nothing entered is kept once the claimant stops
        return self._changed(state, "cancelled")

    # -- steps -------------------------------------------------------------------------

    def _ask(self, state: Conversation, step: AskingStep, given: i.UserInput) -> Outcome:
        way_on = state.failures >= MAX_FAILURES and offers_way_on(step)
        if isinstance(given, i.Skip):
            if not self.router.can("skip", state.step):  # required: its way on is a note
                return self._retry(state, "required")
            state.answers.pop(step.field, None)
            _mark_estimate(state, step.field, False)
            return self._go_on(
                state, echo=message("answer.skipped", state.language), trigger="skip"
            )
        asked_again = isinstance(given, i.Text) and typed.is_word(given.text, "show_again")
        if step.consent_option and asked_again:  # the full notice, on request only
            state.failures = 0
            return self._changed(state, "next")
        reading = read_answer(step, given, state.pending, self.flow.timezone)
        if isinstance(reading, Pending):
            state.pending = reading.items
            return self._changed(state, "updated")
        if isinstance(reading, Rejected):
            if (
                isinstance(given, i.Text)
                and typed.is_word(given.text, "none")
                and self.router.can("skip", state.step)
            ):
                return self._ask(state, step, i.Skip())
            if way_on and step.required and isinstance(given, i.Text) and given.text.strip():
                return self._take_note(state, step, given.text.strip())
            return self._retry(state, reading.code, **reading.params)
        assert isinstance(reading, Accepted)
        if reading.value is None:
            state.answers.pop(step.field, None)
        else:
            state.answers[step.field] = reading.value
        state.notes.pop(step.field, None)
        _mark_estimate(state, step.field, reading.estimate and reading.value is not None)
        if step.changes_language:
            state.language = reading.value
        echo = display(step, reading.value, state.language)
        if step.field in state.estimates:
            echo += " " + message("answer.estimate", state.language)
        return self._go_on(state, echo=echo)

    def _switch_language(self, state: Conversation, language: str) -> Outcome:
        """At the flow's own language question the switch answers it; elsewhere it changes
        the language where the claimant stands."""
        if language not in self.flow.languages:
            return self._retry(state, "unreadable")
        step = self.flow.steps[state.step]
        if not state.cancelling and isinstance(step, AskingBase) and step.changes_language:
            return self._ask(state, step, i.Choose(language))
        state.language = language
        for _, asking in self.flow.asking_steps():
            if asking.changes_language and asking.field in state.answers:
                state.answers[asking.field] = language  # keep the recorded choice truthful
        return self._changed(state, "updated")

    def _take_note(self, state: Conversation, step: AskingStep, text: str) -> Outcome:
        """Third strike: keep the claimant's own words for a person, and go on."""
        if contains_rrn(text):
            return self._retry(state, "text.rrn")
        state.answers.pop(step.field, None)
        state.notes[step.field] = text[:2000]
        return self._go_on(state, echo=message("answer.note", state.language, note=text[:200]))

    def _confirm(self, state: Conversation, given: i.UserInput) -> Outcome:
        number = typed.edit_number(given.text) if isinstance(given, i.Text) else None
        if number is not None:
            lines = summary(self.flow, state, self.live_path(state))
            if not 1 <= number <= len(lines):
                return self._retry(state, "confirm.expected")
            given = i.Edit(lines[number - 1].field)
        if isinstance(given, i.Edit):
            context = {"answers": state.answers, "field": given.field}
            target = self.router.route("edit", state.step, context)
            if target is None or target not in state.history:
                return self._retry(state, "confirm.expected")
            state.history.append(state.step)
            state.step, state.editing, state.pending = target, True, []
            state.failures = 0
            self._preload_pending(state)
            return self._changed(state, "next")
        if isinstance(given, i.Submit | i.Done) or (
            isinstance(given, i.Text) and typed.is_word(given.text, "submit")
        ):
            missing = self._first_unanswered(state)
            if missing is not None:  # e.g. left empty by a back from an edit: ask it now
                state.history.append(state.step)
                state.step, state.editing, state.pending, state.failures = missing, True, [], 0
                return self._changed(state, "next")
            return self._go_on(state, echo=None, trigger="submit")
        return self._retry(state, "confirm.expected")

    def _first_unanswered(self, state: Conversation) -> str | None:
        for sid in self.live_path(state):
            step = self.flow.steps[sid]
            if not isinstance(step, AskingBase) or not step.required:
                continue
            if step.field not in state.answers and step.field not in state.notes:
                return sid
        return None

    def _back(self, state: Conversation) -> Outcome:
        if not state.history:
            return self._retry(state, "cannot_back")
        leaving = self.flow.steps[state.step].answer_field
        if leaving is not None and not state.editing:  # off the path now: forget it
            state.answers.pop(leaving, None)
            state.notes.pop(leaving, None)
        state.step = state.history.pop()
        state.pending, state.failures, state.editing = [], 0, False
        self._preload_pending(state)
        return self._changed(state, "next")

    def _preload_pending(self, state: Conversation) -> None:
        """Going back to a multi-choice or file step starts from the earlier answer."""
        step = self.flow.steps[state.step]
        if isinstance(step, AskingBase) and step.collects:
            state.pending = list(state.answers.get(step.field) or [])

    # -- moving on ---------------------------------------------------------------------

    def _go_on(self, state: Conversation, echo: str | None, trigger: str = "answer") -> Outcome:
        state.history.append(state.step)
        state.step = self._next(trigger, state.step, state.answers)
        state.pending, state.failures = [], 0
        state = self._settle(state)
        result: Result = "finished" if state.status == "finished" else "next"
        return self._changed(state, result, echo=echo)

    def _settle(self, state: Conversation) -> Conversation:
        """Pass steps whose ask_if fails (and, after an edit, ones already answered)."""
        for _ in range(len(self.flow.steps) + 1):
            step = self.flow.steps[state.step]
            passed = step.ask_if is not None and not step.ask_if.holds(state.answers)
            if passed and step.answer_field is not None:
                state.answers.pop(step.answer_field, None)
            already = (
                state.editing
                and not (step.is_summary or step.is_end)
                and state.step in state.history
            )
            if not (passed or already):
                break
            if already:
                state.history.append(state.step)
            state.step = self._next(
                "submit" if step.is_summary else "answer", state.step, state.answers
            )
        step = self.flow.steps[state.step]
        if step.is_summary:
            state.editing = False
            self._drop_answers_off_path(state)
        elif step.is_end:
            self._drop_answers_off_path(state)
            state.status, state.submit, state.editing = "finished", step.files_case, False
            if not step.files_case:
                _forget(state)
        self._preload_pending(state)
        return state

    def _drop_answers_off_path(self, state: Conversation) -> None:
        """Answers from a branch the claimant later left (by back or edit) are not filed."""
        on_path = {self.flow.steps[s].answer_field for s in self.live_path(state)}
        for name in [f for f in state.answers if f not in on_path]:
            del state.answers[name]
        for name in [f for f in state.notes if f not in on_path]:
            del state.notes[name]
        state.estimates = [f for f in state.estimates if f in on_path]

    def live_path(self, state: Conversation) -> list[str]:
        """The steps asked on the way from the start to the current step, given the answers."""
        path: list[str] = []
        sid, seen = self.flow.start, set()
        while sid not in seen and sid != state.step:
            seen.add(sid)
            step = self.flow.steps[sid]
            if step.is_summary or step.is_end:
                break
            if step.ask_if is None or step.ask_if.holds(state.answers):
                path.append(sid)
            sid = self._next("answer", sid, state.answers)
        return path

    def _next(self, trigger: str, step_id: str, answers: dict[str, Any]) -> str:
        """Where ``trigger`` leads from ``step_id``: the flow's Machine, read by its router."""
        dest = self.router.route(trigger, step_id, {"answers": answers})
        if dest is None:  # the graph rules make the last rule unconditional: a bug if here
            raise RuntimeError(f"flow {self.flow.id}: no way on from step {step_id!r}")
        return dest

    # -- outcomes ----------------------------------------------------------------------

    def _retry(self, state: Conversation, code: str, **params: Any) -> Outcome:
        state.failures += 1
        error = instruction(code, state.language, state.buttons, **params)
        step = self.flow.steps[state.step]
        if state.failures >= MAX_FAILURES and offers_way_on(step):
            extra = "way_on.skip" if not step.required else "way_on.note"
            error += "\n" + message(extra, state.language)
        return self._changed(state, "retry", error=error)

    def _changed(self, state: Conversation, result: Result, **kw: Any) -> Outcome:
        state.turn += 1
        return self._outcome(state, result, **kw)

    def _outcome(self, state: Conversation, result: Result, **kw: Any) -> Outcome:
        return Outcome(state=state, prompt=self.prompt(state), result=result, **kw)


def _copy(state: Conversation) -> Conversation:
    """A copy safe to change: the engine replaces answer values, never mutates them."""
    return state.model_copy(
        update={
            "answers": dict(state.answers),
            "history": list(state.history),
            "pending": list(state.pending),
            "notes": dict(state.notes),
        }
    )


def _forget(state: Conversation) -> None:
    state.answers, state.notes, state.pending, state.history = {}, {}, [], []
    state.estimates = []


def _mark_estimate(state: Conversation, field: str, estimate: bool) -> None:
    """Keep ``field`` in the conversation's estimates exactly while its answer is hedged."""
    others = [f for f in state.estimates if f != field]
    state.estimates = [*others, field] if estimate else others
