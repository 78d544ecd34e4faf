"""Opening a database: engine settings per dialect, and schema migrations with Alembic.

SQLite durability: every connection runs ``PRAGMA synchronous=FULL`` unless told otherwise.
The product promises that an answer, once acknowledged, survives. With WAL, ``NORMAL``
survives a process crash (kill -9) but can lose the last commits on a power cut; ``FULL``
survives both. ``FULL`` costs throughput (~8.6k commits/s against ~47.5k/s with ``NORMAL``
on the reference machine), but one bot can only send ~30 messages/s of bulk traffic and about
one per second per chat, so even thousands of simultaneous interviews stay far below what
``FULL`` sustains. Measured figures: ``bench/hotpath.py`` and ``bench/README.md``.

Writers on SQLite open their transactions with ``BEGIN IMMEDIATE``: the write lock is taken
before the conversation is read, so two writers queue on ``busy_timeout`` instead of one of
them failing at once with a stale snapshot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Insert, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from storage.errors import SchemaOutdated, StorageError

DEFAULT_URL = "sqlite:///./complaintbot.db"
"""What the app uses when DATABASE_URL is not set."""

MIGRATIONS = Path(__file__).parent / "migrations"
UPGRADE_COMMAND = "complaintbot db upgrade"
BUSY_TIMEOUT_MS = 5000

Synchronous = Literal["FULL", "NORMAL", "EXTRA"]


def open_engine(url: str, *, synchronous: Synchronous = "FULL", pool_size: int = 10) -> Engine:
    """An engine for ``url`` with this project's per-connection settings applied."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, synchronous, pool_size)
    if backend != "postgresql":
        raise StorageError(
            f"unsupported database {backend!r}: use sqlite:// or postgresql+psycopg://"
        )
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size * 2)


def writing(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions take SQLite's write lock up front."""
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def _sqlite_engine(url: str, synchronous: Synchronous, pool_size: int) -> Engine:
    database = make_url(url).database
    kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}}
    if not database or database == ":memory:":
        # One shared connection, or every thread would see its own empty database.
        kwargs |= {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    else:
        kwargs |= {"pool_size": pool_size, "max_overflow": pool_size * 2}
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def alembic_config(url: str | None = None) -> Config:
    """Alembic settings pointing into the installed package; no alembic.ini needed."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def upgrade(url: str) -> None:
    """Bring the schema at ``url`` to the newest revision (``complaintbot db upgrade``)."""
    engine = open_engine(url, pool_size=1)
    try:
        migrate(engine)
    finally:
        engine.dispose()


def migrate(engine: Engine) -> None:
    """Upgrade through an engine made by ``open_engine``; concurrent callers on SQLite queue."""
    config = alembic_config()
    with writing(engine).connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


def check_schema(url: str) -> None:
    """Raise SchemaOutdated unless ``url`` is at the newest revision; SQLite is upgraded."""
    engine = open_engine(url, pool_size=1)
    try:
        ensure_schema(engine)
    finally:
        engine.dispose()


def ensure_schema(engine: Engine) -> None:
    """The check of ``check_schema`` on an engine that is already open."""
    heads, current = head_revisions(), current_revisions(engine)
    if current == heads:
        return
    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if engine.dialect.name == "sqlite" and current <= known:
        migrate(engine)
        return
    found = ", ".join(sorted(current)) or "empty"
    needed = ", ".join(sorted(heads))
    if not current <= known:
        raise SchemaOutdated(
            f"the database schema ({found}) is newer than this complaintbot ({needed}); "
            "upgrade complaintbot"
        )
    raise SchemaOutdated(
        f"the database schema is {found}, this complaintbot needs {needed}: run `{UPGRADE_COMMAND}`"
    )


def insert_ignoring(dialect: str, table: Table, unique: list[str]) -> Insert:
    """INSERT ... ON CONFLICT (unique) DO NOTHING; its rowcount says new (1) or there (0)."""
    module = postgresql if dialect == "postgresql" else sqlite
    return (
        module.insert(table)
        .on_conflict_do_nothing(index_elements=unique)
        .execution_options(preserve_rowcount=True)
    )
