"""Database fixtures: every storage test runs on SQLite and on a throwaway PostgreSQL database.

PostgreSQL: one database ``complaintbot_test_<random>`` per session, created through
COMPLAINTBOT_TEST_POSTGRES (default: user postgres, database test on 127.0.0.1:5432) and
dropped at the end; each test gets its own empty schema in it. Unreachable, the PostgreSQL
params skip with the reason; with COMPLAINTBOT_REQUIRE_POSTGRES=1 (CI) they fail instead.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ADMIN_URL = os.environ.get(
    "COMPLAINTBOT_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
if TYPE_CHECKING:
    from storage import Store

REQUIRED = os.environ.get("COMPLAINTBOT_REQUIRE_POSTGRES") == "1"


@cache
def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used here, or None when it can."""
    engine = create_engine(ADMIN_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means: no PostgreSQL here
        return f"PostgreSQL unreachable at {make_url(ADMIN_URL).render_as_string()}: {exc!s:.200}"
    finally:
        engine.dispose()
    return None


def pytest_report_header() -> str:
    problem = postgres_problem()
    if problem is None:
        return f"databases: sqlite, postgresql ({make_url(ADMIN_URL).host})"
    return f"databases: sqlite only; {problem} (postgres tests will skip)"


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """URL of a database created for this test session, dropped afterwards."""
    problem = postgres_problem()
    if problem is not None:
        if REQUIRED:
            pytest.fail(f"COMPLAINTBOT_REQUIRE_POSTGRES=1 but {problem}")
        pytest.skip(problem)
    name = f"complaintbot_test_{secrets.token_hex(4)}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _postgres_schema_url(database_url: str) -> str:
    """A fresh empty schema in the session database, made the default for every connection."""
    schema = f"t_{secrets.token_hex(6)}"
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    url = make_url(database_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(
    params=[
        pytest.param("sqlite"),
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a new schema of the PostgreSQL session database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'complaintbot.db'}"
    return _postgres_schema_url(request.getfixturevalue("postgres_database"))


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A Store on an empty, freshly migrated database (storage imported lazily)."""
    from storage import Store, upgrade

    upgrade(database_url)
    opened = Store(database_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def postgres_url(postgres_database: str) -> str:
    """An empty schema on PostgreSQL only, for behaviour that SQLite does not have."""
    return _postgres_schema_url(postgres_database)
