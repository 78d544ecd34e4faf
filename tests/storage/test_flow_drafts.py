"""Flow drafts: one per flow, replaced on save, kept with its author, audited, discarded."""

from __future__ import annotations

from storage import Store
from storage.audit import events_before
from storage.flow_drafts import discard_draft, find_draft, save_draft


def test_a_draft_is_saved_replaced_and_discarded_with_audit(store: Store) -> None:
    engine = store.engine
    assert find_draft(engine, "f") is None
    save_draft(engine, "f", "id: f\n", actor="web:alice")
    save_draft(engine, "f", "id: f\nsteps: {}\n", actor="web:bob")
    draft = find_draft(engine, "f")
    assert draft is not None
    assert (draft.source, draft.saved_by) == ("id: f\nsteps: {}\n", "web:bob")
    assert draft.saved_at.tzinfo is not None
    assert find_draft(engine, "other") is None
    assert discard_draft(engine, "f", actor="web:alice") is True
    assert discard_draft(engine, "f", actor="web:alice") is False
    assert find_draft(engine, "f") is None
    with engine.connect() as conn:
        events = [(e.actor, e.action, e.subject) for e in events_before(conn, None, 10)]
    assert events == [
        ("web:alice", "discard draft", "f"),
        ("web:bob", "draft", "f"),
        ("web:alice", "draft", "f"),
    ]


def test_a_publish_drops_the_draft_without_its_own_audit_event(store: Store) -> None:
    save_draft(store.engine, "f", "id: f\n", actor="web:alice")
    assert discard_draft(store.engine, "f", actor=None) is True
    with store.engine.connect() as conn:
        assert [e.action for e in events_before(conn, None, 10)] == ["draft"]
