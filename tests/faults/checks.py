"""What every fault test checks in the database afterwards."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from storage import Store
from storage.tables import CaseRow, ConversationRow

CHANNEL = "telegram"


def one_own_case_each(store: Store, descriptions: dict[int, str]) -> None:
    """Every claimant: exactly one case, holding the description they typed; no stray case;
    no forked interview (at most one conversation row per claimant still open)."""
    cases, conversations = CaseRow.__table__, ConversationRow.__table__
    with store.engine.connect() as conn:
        rows = conn.execute(select(cases.c.user_key, cases.c.answers)).all()
        open_rows = conn.execute(
            select(conversations.c.user_key).where(conversations.c.status == "active")
        ).all()
    per_user = Counter(user_key for user_key, _ in rows)
    assert per_user == Counter({str(uid): 1 for uid in descriptions}), per_user
    for user_key, answers in rows:
        assert answers["description"] == descriptions[int(user_key)], "someone else's answers"
    forks = [key for key, n in Counter(k for (k,) in open_rows).items() if n > 1]
    assert not forks, f"forked interviews: {forks}"
