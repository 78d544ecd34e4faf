"""Opening a database: engine settings per dialect, and schema migrations with Alembic.

SQLite durability: every connection runs ``PRAGMA synchronous=FULL`` unless told otherwise.
The product promises that an answer, once acknowledged, survives. With WAL, ``NORMAL``
survives a process crash (kill -9) but can lose the last commits on a power cut; ``FULL``
survives both. ``FULL`` costs throughput (~8.6k commits/s against ~47.5k/s with ``NORMAL``
on the reference machine), but one bot can only send ~30 messages/s of bulk traffic and about
one per second per chat, so even thousands of simultaneous interviews stay far below what
``FULL`` sustains. Measured figures: ``bench/hotpath.py`` and ``bench/README.md``.

PostgreSQL: every wait is bounded. A database that stops answering (a network partition, a
stalled proxy, a hung server) must not hold a webhook request past Telegram's patience:
connecting gives up after ``CONNECT_TIMEOUT_S``, TCP keepalives and ``tcp_user_timeout`` find
a dead peer, the server cancels a statement after ``STATEMENT_TIMEOUT_MS`` and an idle open
transaction after ``IDLE_IN_TRANSACTION_MS``, a full pool makes a caller wait at most
``POOL_TIMEOUT_S``, and each connection is pinged when taken from the pool (a restarted
server's dead connections are replaced instead of failing the next claimant). A stall that
TCP cannot see (the peer acknowledges but never answers) is bounded by the caller: the
channels wait for storage at most a few seconds, then answer "try again" (the webhook: 503).

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
from sqlalchemy import Connection, Engine, Insert, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from storage.errors import SchemaOutdated, StorageError

MIGRATIONS = Path(__file__).parent / "migrations"
UPGRADE_COMMAND = "complaintbot db upgrade"
BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 30_000
"""Long enough for an operator's export or the report; the hot path takes milliseconds."""
IDLE_IN_TRANSACTION_MS = 60_000
POOL_TIMEOUT_S = 5.0
KEEPALIVE = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}
TCP_USER_TIMEOUT_MS = 15_000

Synchronous = Literal["FULL", "NORMAL", "EXTRA"]


def open_engine(
    url: str,
    *,
    synchronous: Synchronous = "FULL",
    pool_size: int = 10,
    statement_timeout_ms: int = STATEMENT_TIMEOUT_MS,
) -> Engine:
    """An engine for ``url`` with this project's per-connection settings applied."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, synchronous, pool_size)
    if backend != "postgresql":
        raise StorageError(
            f"unsupported database {backend!r}: use sqlite:// or postgresql+psycopg://"
        )
    return _postgres_engine(url, pool_size, statement_timeout_ms)


def _postgres_engine(url: str, pool_size: int, statement_timeout_ms: int) -> Engine:
    given = make_url(url).query.get("options")
    server_options = [
        *([given] if isinstance(given, str) else list(given or ())),
        f"-c statement_timeout={statement_timeout_ms}",
        f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}",
    ]
    connect_args: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "tcp_user_timeout": TCP_USER_TIMEOUT_MS,
        "options": " ".join(server_options),  # replaces the URL's options: merged above
        **KEEPALIVE,
    }
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size * 2,
        pool_timeout=POOL_TIMEOUT_S,
        pool_pre_ping=True,
        connect_args=connect_args,
    )


def without_statement_timeout(conn: Connection) -> None:
    """Lift the statement timeout that bounds the hot path, for this transaction only
    (PostgreSQL ``SET LOCAL``): an operator's batch, such as recounting the report over a
    million cases, runs single statements longer than a webhook may wait."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL statement_timeout = 0"))


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
    engine = open_engine(url, pool_size=1, statement_timeout_ms=0)  # 0: a migration may take long
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


def upsert_insert(dialect: str, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that can take the dialect's ON CONFLICT clause (PostgreSQL's or SQLite's)."""
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


def insert_ignoring(dialect: str, table: Table, unique: list[str]) -> Insert:
    """INSERT ... ON CONFLICT (unique) DO NOTHING; its rowcount says new (1) or there (0)."""
    return (
        upsert_insert(dialect, table)
        .on_conflict_do_nothing(index_elements=unique)
        .execution_options(preserve_rowcount=True)
    )
