"""Schema migrations: the hand-written revisions build exactly the tables the code declares."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table, inspect, text

from storage import SchemaOutdated, StorageError, Store, check_schema, upgrade
from storage.database import head_revisions, open_engine
from storage.tables import METADATA

ROOT = Path(__file__).parents[2]


def _differences(url: str, metadata: MetaData) -> list[object]:
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_upgrade_of_an_empty_database_matches_the_declared_tables(database_url: str) -> None:
    upgrade(database_url)
    assert _differences(database_url, METADATA) == []
    engine = open_engine(database_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert set(METADATA.tables) <= tables


def test_the_comparison_would_notice_a_missing_column(database_url: str) -> None:
    upgrade(database_url)
    changed = MetaData()
    for table in METADATA.tables.values():
        table.to_metadata(changed)
    Table("audit_events", changed, Column("extra", Integer), extend_existing=True)
    differences = _differences(database_url, changed)
    assert [d[0] for d in differences] == ["add_column"]  # type: ignore[index]


def test_upgrade_twice_changes_nothing(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)
    assert _differences(database_url, METADATA) == []


def test_the_migrations_ship_inside_the_package() -> None:
    assert head_revisions() == {"0008"}


def test_sqlite_is_upgraded_on_open(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/fresh.db"
    with Store(url):
        pass
    assert _differences(url, METADATA) == []


@pytest.mark.postgres
def test_an_empty_postgres_schema_refuses_to_start_naming_the_command(postgres_url: str) -> None:
    with pytest.raises(SchemaOutdated, match="complaintbot db upgrade"):
        Store(postgres_url)
    with pytest.raises(SchemaOutdated, match="complaintbot db upgrade"):
        check_schema(postgres_url)
    upgrade(postgres_url)
    check_schema(postgres_url)
    Store(postgres_url).close()


def test_a_schema_newer_than_the_code_is_refused(database_url: str) -> None:
    upgrade(database_url)
    engine = open_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(SchemaOutdated, match="newer than this complaintbot"):
        Store(database_url)


def test_two_processes_opening_a_new_sqlite_file_at_once_both_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/shared.db"
    command = [sys.executable, "-m", "tests.storage.answering", url]
    workers = [
        subprocess.Popen([*command, f"user{n}", "3"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for n in range(2)
    ]
    outputs = [worker.communicate(timeout=60)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0]
    assert [out.count("committed") for out in outputs] == [3, 3]
    assert _differences(url, METADATA) == []


def test_other_databases_are_refused_with_a_clear_message() -> None:
    with pytest.raises(StorageError, match="unsupported database 'mysql'"):
        Store("mysql://localhost/complaintbot")
