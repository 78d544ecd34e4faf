"""Erasing a claimant: the person goes (contact, free text, files, conversations), counts stay."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from flows import Choose, Interview
from storage import Store
from storage.tables import AttachmentRow, AuditEventRow, ConsentRow, ConversationRow, DeadlineRow
from tests.storage.filed import file_survey
from tests.storage.sample_flows import say, survey

NOW = dt.datetime(2022, 10, 20, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def interview(store: Store) -> Interview:
    loaded = survey()
    store.publish_flow(loaded)
    return Interview(loaded)


@pytest.fixture
def filed(store: Store, interview: Interview) -> str:
    """u1 filed a case with a phone number, a story and two photos, and began another."""
    ref = file_survey(
        store, interview, "u1", now=NOW, claimant="business", loss=70000, files=2,
        story="가게 매출이 줄었어요", phone="010-1234-5678",
    )  # fmt: skip
    with store.engine.begin() as conn:  # as if the files had been downloaded
        conn.execute(update(AttachmentRow.__table__).values(stored_path="/files/u1.jpg"))
    say(store, interview, "u1", None, now=NOW)
    say(store, interview, "u1", Choose("agree"), now=NOW)
    file_survey(store, interview, "u2", now=NOW, phone="010-9999-8888")
    return ref.reference


def test_erasure_blanks_personal_answers_and_notes_but_keeps_the_rest(
    store: Store, filed: str
) -> None:
    erasure = store.erase_user("test", "u1", actor="privacy-officer")
    case = store.case(filed)
    assert case is not None
    assert "phone" not in case.answers and "story" not in case.answers
    assert "evidence" not in case.answers
    assert case.answers["claimant"] == "business" and case.answers["loss"] == 70000
    assert case.notes == {} and case.erased_at is not None
    assert case.amount_total == 70000 and case.status == "received"
    assert (erasure.conversations, erasure.cases, erasure.attachments) == (2, 1, 2)
    assert erasure.stored_paths == ["/files/u1.jpg", "/files/u1.jpg"]


def test_erasure_replaces_the_user_key_and_forgets_their_conversations(
    store: Store, filed: str
) -> None:
    erasure = store.erase_user("test", "u1", actor="privacy-officer")
    case = store.case(filed)
    assert case is not None and case.user_key == erasure.pseudonym != "u1"
    assert "u1" not in erasure.pseudonym and case.conversation_id is None
    assert case.attachments == []
    assert store.cases_of("test", "u1") == [] and store.current("test", "u1") is None
    with store.engine.connect() as conn:
        users = set(conn.execute(select(ConversationRow.__table__.c.user_key)).scalars())
        deadlines = conn.execute(select(DeadlineRow.__table__)).all()
        consents = conn.execute(select(ConsentRow.__table__)).all()
    assert users == {"u2"}
    assert len(deadlines) == 1  # u2's; u1's went with their conversations
    withdrawn = [c for c in consents if c.withdrawn_at is not None]
    assert len(withdrawn) == 2 and all(c.conversation_id is None for c in withdrawn)


def test_erasure_leaves_other_claimants_alone(store: Store, filed: str) -> None:
    store.erase_user("test", "u1", actor="privacy-officer")
    (other,) = store.cases_of("test", "u2")
    case = store.case(other.reference)
    assert case is not None and case.answers["phone"] == "+821099998888"
    assert case.erased_at is None


def test_erasure_is_audited_without_personal_data(store: Store, filed: str) -> None:
    store.erase_user("test", "u1", actor="privacy-officer")
    with store.engine.connect() as conn:
        (event,) = conn.execute(
            select(AuditEventRow.__table__).where(AuditEventRow.__table__.c.action == "erase")
        ).all()
    assert event.actor == "privacy-officer"
    assert event.detail == {"conversations": 2, "cases": 1, "attachments": 2}
    assert "u1" not in event.subject and "1234" not in str(event.detail)


def test_erasing_an_unknown_user_removes_nothing(store: Store, filed: str) -> None:
    erasure = store.erase_user("test", "nobody", actor="op")
    assert (erasure.conversations, erasure.cases, erasure.attachments) == (0, 0, 0)
    assert len(store.cases_of("test", "u1")) == 1
