"""Store.apply: every accepted answer committed, updates applied once, conversations closed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from flows import Cancel, Choose, Conversation, Done, Interview, Outcome, Submit, Text, Toggle
from storage import Store, UnknownFlowVersion
from storage.tables import CaseRow, ConsentRow, ConversationRow, DeadlineRow, ProcessedUpdateRow
from tests.storage.sample_flows import converse, mini, say

NOW = dt.datetime(2022, 10, 19, 1, 0, tzinfo=dt.UTC)
TO_SUBMIT = (
    Choose("agree"),
    Toggle("talk"),
    Done(),
    Choose("time"),
    Text("10월 16일"),
    Text("010-1234-5678"),
    Submit(),
)


@pytest.fixture
def interview(store: Store) -> Interview:
    loaded = mini()
    store.publish_flow(loaded)
    return Interview(loaded)


def _count(store: Store, table: object, *where: object) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()  # type: ignore[arg-type]


def test_apply_creates_then_updates_the_open_conversation(
    store: Store, interview: Interview
) -> None:
    first = say(store, interview, "u1", None)
    assert first.outcome is not None and first.outcome.state.step == "consent"
    stored = store.current("test", "u1")
    assert stored is not None and stored.version == 1 and stored.state.step == "consent"

    say(store, interview, "u1", Choose("agree"))
    stored = store.current("test", "u1")
    assert stored is not None and stored.version == 2
    assert stored.state.answers == {"consent": "agree"} and stored.state.step == "services"


def test_no_open_conversation_means_none(store: Store) -> None:
    assert store.current("test", "nobody") is None


def test_every_answer_is_readable_by_a_fresh_store_after_apply_returns(
    store: Store, interview: Interview, database_url: str
) -> None:
    converse(store, interview, "u1", Choose("agree"), Toggle("pay"), Done())
    with Store(database_url) as other:
        stored = other.current("test", "u1")
    assert stored is not None
    assert stored.state.answers == {"consent": "agree", "services": ["pay"]}


def test_an_unchanged_outcome_stores_nothing_but_the_update_key(
    store: Store, interview: Interview
) -> None:
    say(store, interview, "u1", None)
    applied = say(store, interview, "u1", None, update_key="7")
    assert applied.outcome is None and not applied.duplicate
    stored = store.current("test", "u1")
    assert stored is not None and stored.version == 1
    assert _count(store, ProcessedUpdateRow.__table__) == 1


def test_a_redelivered_update_is_applied_once_without_calling_the_engine(
    store: Store, interview: Interview
) -> None:
    say(store, interview, "u1", None, update_key="1")
    first = say(store, interview, "u1", Choose("agree"), update_key="2")
    calls: list[Conversation | None] = []

    def turn(state: Conversation | None) -> Outcome | None:
        calls.append(state)
        return interview.answer(state, Choose("agree")) if state else None

    again = store.apply("test", "u1", turn, update_key="2")
    assert first.outcome is not None and not first.duplicate
    assert again.duplicate and again.outcome is None and calls == []
    stored = store.current("test", "u1")
    assert stored is not None and stored.version == 2 and stored.state.turn == 1


def test_the_same_update_key_on_another_channel_is_a_different_update(
    store: Store, interview: Interview
) -> None:
    say(store, interview, "u1", None, channel="telegram", update_key="1")
    applied = say(store, interview, "u1", None, channel="web", update_key="1")
    assert not applied.duplicate and applied.outcome is not None


def test_submitting_closes_the_conversation_and_files_one_case(
    store: Store, interview: Interview
) -> None:
    applied = converse(store, interview, "u1", *TO_SUBMIT, now=NOW)
    assert applied.case is not None
    assert applied.outcome is not None and applied.outcome.result == "finished"
    assert store.current("test", "u1") is None
    statuses = _statuses(store, "u1")
    assert statuses == ["finished"]
    assert _count(store, CaseRow.__table__) == 1
    table = ConversationRow.__table__
    with store.engine.connect() as conn:
        kept = Conversation.from_json(conn.execute(select(table.c.state)).scalar_one())
    assert kept.answers == {} and kept.notes == {}  # the case holds the answers, once
    assert store.case(applied.case.reference).answers  # type: ignore[union-attr]


def test_a_repeated_submit_or_redelivery_never_makes_a_second_case(
    store: Store, interview: Interview
) -> None:
    converse(store, interview, "u1", *TO_SUBMIT[:-1])
    filed = say(store, interview, "u1", Submit(), update_key="last")
    redelivered = say(store, interview, "u1", Submit(), update_key="last")
    assert filed.case is not None and redelivered.duplicate and redelivered.case is None

    def submit_again(state: Conversation | None) -> Outcome | None:
        return None if state is None else interview.answer(state, Submit())

    pressed_again = store.apply("test", "u1", submit_again, update_key="again")
    assert pressed_again.case is None and pressed_again.outcome is None
    assert _count(store, CaseRow.__table__) == 1


def test_after_a_finished_interview_the_next_start_opens_a_new_one(
    store: Store, interview: Interview
) -> None:
    converse(store, interview, "u1", *TO_SUBMIT)
    say(store, interview, "u1", None)
    stored = store.current("test", "u1")
    assert stored is not None and stored.state.step == "consent"
    assert sorted(_statuses(store, "u1")) == ["active", "finished"]


def test_cancelling_closes_without_a_case(store: Store, interview: Interview) -> None:
    applied = converse(store, interview, "u1", Choose("agree"), Cancel(), Choose("yes"))
    assert applied.case is None and store.current("test", "u1") is None
    assert _statuses(store, "u1") == ["cancelled"]
    assert _count(store, CaseRow.__table__) == 0


def test_refusing_consent_finishes_without_a_case_or_consent(
    store: Store, interview: Interview
) -> None:
    applied = converse(store, interview, "u1", Choose("refuse"))
    assert applied.outcome is not None and applied.outcome.state.status == "finished"
    assert applied.case is None
    assert _count(store, CaseRow.__table__) == 0
    assert _count(store, ConsentRow.__table__) == 0


def test_consent_is_recorded_once_with_the_hash_of_the_text_shown(
    store: Store, interview: Interview
) -> None:
    converse(store, interview, "u1", Choose("agree"), Toggle("talk"), Done(), now=NOW)
    with store.engine.connect() as conn:
        rows = conn.execute(select(ConsentRow.__table__)).all()
    assert len(rows) == 1
    consent = rows[0]
    assert (consent.flow_id, consent.step, consent.language) == ("mini", "consent", "ko")
    assert consent.flow_version == mini().version and consent.accepted_at == NOW
    assert len(consent.text_hash) == 64 and consent.withdrawn_at is None


def test_an_open_conversation_has_one_reminder_pushed_back_by_each_answer(
    store: Store, interview: Interview
) -> None:
    say(store, interview, "u1", None, now=NOW)
    later = NOW + dt.timedelta(hours=3)
    say(store, interview, "u1", Choose("agree"), now=later)
    with store.engine.connect() as conn:
        rows = conn.execute(select(DeadlineRow.__table__)).all()
    assert [(r.kind, r.due_at, r.done_at) for r in rows] == [
        ("reminder", later + dt.timedelta(hours=24), None)
    ]


def test_closing_a_conversation_marks_its_deadlines_done(
    store: Store, interview: Interview
) -> None:
    converse(store, interview, "u1", Choose("agree"), Cancel(), Choose("yes"), now=NOW)
    with store.engine.connect() as conn:
        rows = conn.execute(select(DeadlineRow.__table__)).all()
    assert [(r.kind, r.done_at) for r in rows] == [("reminder", NOW)]


def test_a_state_of_an_unpublished_flow_is_refused(store: Store) -> None:
    interview = Interview(mini())  # never published to this database
    with pytest.raises(UnknownFlowVersion):
        say(store, interview, "u1", None)
    assert store.current("test", "u1") is None


def test_an_engine_error_rolls_back_everything_including_the_update_key(
    store: Store, interview: Interview
) -> None:
    say(store, interview, "u1", None)

    def broken(state: Conversation | None) -> Outcome | None:
        raise RuntimeError("engine bug")

    with pytest.raises(RuntimeError):
        store.apply("test", "u1", broken, update_key="9")
    retried = say(store, interview, "u1", Choose("agree"), update_key="9")
    assert not retried.duplicate and retried.outcome is not None


def test_naive_datetimes_are_refused(store: Store, interview: Interview) -> None:
    with pytest.raises(ValueError, match="timezone"):
        say(store, interview, "u1", None, now=dt.datetime(2022, 10, 19))


def _statuses(store: Store, user: str) -> list[str]:
    table = ConversationRow.__table__
    with store.engine.connect() as conn:
        return list(conn.execute(select(table.c.status).where(table.c.user_key == user)).scalars())
