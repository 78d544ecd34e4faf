"""After a rehearsal: did every claimant who saw a case number get exactly one case of their own?"""

from __future__ import annotations

from dataclasses import dataclass

from bot.rehearsal.claimants import Tally, description_of
from bot.telegram import CHANNEL
from storage import Store


@dataclass(frozen=True)
class CaseCheck:
    """The verdict on the cases filed, in one line."""

    ok: bool
    text: str


def check_in_database(store: Store, tally: Tally, claimants: range) -> CaseCheck:
    """Each completed claimant: one case, the number they were shown, their own description;
    a claimant who never saw a number has no case either (nothing filed behind their back)."""
    wrong: list[int] = []
    for user_id in tally.completed:
        filed = store.cases_of(CHANNEL, str(user_id))
        if len(filed) != 1 or filed[0].reference != tally.references.get(user_id):
            wrong.append(user_id)
            continue
        case = store.case(filed[0].reference, lenient=True)
        if case is None or case.answers.get("description") != description_of(user_id):
            wrong.append(user_id)
    done = set(tally.completed)
    unseen = [u for u in claimants if u not in done and store.cases_of(CHANNEL, str(u))]
    if wrong or unseen:
        return CaseCheck(
            False,
            f"FAILED: {len(wrong)} claimant(s) without exactly one case of their own, "
            f"{len(unseen)} case(s) filed for claimants who never saw their number "
            f"(first: {', '.join(map(str, (wrong + unseen)[:3]))})",
        )
    return CaseCheck(
        True,
        f"ok: {len(done)} cases in the database, one per claimant, each the number the "
        "claimant was shown and holding the claimant's own answers",
    )


def check_by_numbers(tally: Tally) -> CaseCheck:
    """Without the database: every completed claimant was shown a case number of their own."""
    numbers = [tally.references[u] for u in tally.completed if u in tally.references]
    if len(numbers) != len(tally.completed) or len(set(numbers)) != len(numbers):
        return CaseCheck(
            False,
            f"FAILED: {len(tally.completed)} claimants completed but "
            f"{len(set(numbers))} distinct case numbers were shown",
        )
    return CaseCheck(
        True,
        f"ok: {len(numbers)} distinct case numbers shown (give --database-url to check the "
        "cases themselves)",
    )
