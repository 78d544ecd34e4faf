"""The survey flow with a retention declaration, and claimants seeded with recognisable data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select

from flows import Interview, LoadedFlow, parse_flow
from storage import Store
from storage.tables import METADATA
from tests.storage.filed import file_survey
from tests.storage.sample_flows import SURVEY_SOURCE, say

RETAINED_SOURCE = (
    SURVEY_SOURCE
    + """\
retention:
  after_closing: P1Y
  longest_after_filing: P3Y
  abandoned_interviews: P30D
"""
)
"""The survey's consent help says "보유 1년" / "kept one year": after_closing P1Y agrees."""

FILED = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)


def retained() -> LoadedFlow:
    return parse_flow(RETAINED_SOURCE, "retained.yaml")


@dataclass(frozen=True)
class Claimant:
    """A claimant whose every personal value is unique, so a grep can find it anywhere."""

    user: str
    phone: str
    phone_stored: str
    story: str

    @property
    def personal(self) -> list[str]:
        return [self.user, self.phone_stored, self.story]


def claimant(n: int) -> Claimant:
    return Claimant(
        user=f"claimant-{n}-qz",
        phone=f"010-5{n:03d}-7{n:03d}",
        phone_stored=f"+82105{n:03d}7{n:03d}",
        story=f"가게 매출 사연 {n}번 xq{n}",
    )


def file_for(
    store: Store, interview: Interview, who: Claimant, *, files: int = 2, now: dt.datetime = FILED
) -> str:
    ref = file_survey(
        store, interview, who.user, now=now, claimant="business", loss=50000 + 1000 * len(who.user),
        files=files, story=who.story, phone=who.phone,
    )  # fmt: skip
    return ref.reference


def abandon(store: Store, interview: Interview, who: Claimant, now: dt.datetime) -> None:
    """Open an interview, consent, and leave it: an abandoned interview with answers."""
    from flows import Choose

    say(store, interview, who.user, None, now=now)
    say(store, interview, who.user, Choose("agree"), now=now)
    say(store, interview, who.user, Choose("person"), now=now)


def every_value(engine: Engine) -> str:
    """Every row of every table, decoded (JSON as Python values), as one searchable text."""
    parts = []
    with engine.connect() as conn:
        for table in METADATA.sorted_tables:
            parts.extend(repr(tuple(row)) for row in conn.execute(select(table)))
    return "\n".join(parts)


def raw_dump(engine: Engine) -> str:
    """Every table read with plain SQL: what is on disk, JSON as the database holds its text."""
    parts = []
    with engine.connect() as conn:
        for table in METADATA.sorted_tables:
            for row in conn.exec_driver_sql(f"SELECT * FROM {table.name}"):
                parts.append(repr(tuple(row)))
    return "\n".join(parts)
