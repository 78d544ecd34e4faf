"""Migration 0005 on a database with cases: every row survives, and 'in_review' is allowed."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from storage import upgrade
from storage.database import alembic_config, open_engine, writing
from storage.tables import AttachmentRow, CaseDimensionRow, CaseRow, FlowVersionRow

NOW = dt.datetime(2022, 10, 20, 3, 0, tzinfo=dt.UTC)
CASES = CaseRow.__table__


def _at_0001(url: str) -> None:
    engine = open_engine(url)
    with writing(engine).connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.commit()
    engine.dispose()


def test_upgrading_a_database_with_cases_keeps_every_row(database_url: str) -> None:
    _at_0001(database_url)
    engine = open_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            insert(FlowVersionRow.__table__).values(
                flow_id="survey", version="v1", source="id: survey", published_at=NOW
            )
        )
        conn.execute(
            text(
                "INSERT INTO cases (id, reference, flow_id, flow_version, channel, user_key, "
                "submitted_at, incident_day, amount_total, status, answers, notes) VALUES "
                "(1, 'SV-221020-000001', 'survey', 'v1', 'test', 'u1', :now, :day, 5000, "
                "'received', '{}', '{}')"
            ),
            {"now": NOW, "day": NOW.date()},
        )
        conn.execute(
            text(
                "INSERT INTO case_dimensions (case_id, flow_id, name, value, day, counted) "
                "VALUES (1, 'survey', 'service', 'talk', :day, true)"
            ),
            {"day": NOW.date()},
        )
        conn.execute(
            text("INSERT INTO attachments (case_id, file_id, kind) VALUES (1, 'f1', 'photo')")
        )
    engine.dispose()

    upgrade(database_url)

    engine = open_engine(database_url)
    with engine.begin() as conn:
        counts = [
            conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (CASES, CaseDimensionRow.__table__, AttachmentRow.__table__)
        ]
        assert counts == [1, 1, 1]
        conn.execute(update(CASES).values(status="in_review"))
        assert conn.execute(select(CASES.c.status, CASES.c.closed_at)).one() == ("in_review", None)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(update(CASES).values(status="lost"))
    engine.dispose()
