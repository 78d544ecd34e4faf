"""Flow releases: which stored version of each flow new conversations get, and its history.

A flow file is a draft until it is published: publishing stores its exact source (once, in
``flow_versions``) and adds a release row pointing at it; a rollback adds a row pointing at
an older stored version. The newest row of a flow is its current release. Rows are only
added, so the table is also the history that ``versions`` and ``diff`` read. Every process
reads the pointer through ``ReleaseCache``, so a publish reaches the whole fleet within
``RELEASE_TTL`` seconds and a restart changes nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, insert, select

from flows import LoadedFlow
from storage.audit import record_event
from storage.errors import StorageError
from storage.published import FlowVersions
from storage.tables import FlowReleaseRow, FlowVersionRow, table_of

RELEASES = table_of(FlowReleaseRow)
VERSIONS = table_of(FlowVersionRow)
RELEASE_TTL = 2.0
"""Seconds a process trusts the release pointers it read; a publish elsewhere shows after."""
MAX_NOTE = 500


class ReleaseRefused(StorageError):
    """A publish or rollback that would change nothing, or silently replace something."""


@dataclass(frozen=True)
class Release:
    """One publish or rollback: this version became the one new conversations get."""

    flow_id: str
    version: str
    released_by: str
    released_at: dt.datetime
    note: str


@dataclass(frozen=True)
class StoredVersion:
    """A stored version of a flow, with when it was stored and whether it is current."""

    version: str
    stored_at: dt.datetime
    current: bool
    releases: tuple[Release, ...]


def current_versions(conn: Connection) -> dict[str, str]:
    """flow id -> the version of its newest release, for every released flow."""
    newest = (
        select(RELEASES.c.flow_id, func.max(RELEASES.c.id).label("id"))
        .group_by(RELEASES.c.flow_id)
        .subquery()
    )
    rows = conn.execute(
        select(RELEASES.c.flow_id, RELEASES.c.version).join(newest, RELEASES.c.id == newest.c.id)
    ).all()
    return {row.flow_id: row.version for row in rows}


def publish_first(
    conn: Connection, versions: FlowVersions, loaded: LoadedFlow, *, now: dt.datetime
) -> Release | None:
    """First start: release a flow that was never released (a shipped flow on an empty
    database); a flow with a release keeps it, whatever file this process loaded."""
    if loaded.flow.id in current_versions(conn):
        return None
    versions.publish(conn, loaded, now=now)
    note = f"first start: {loaded.path}"
    return _release(conn, loaded.flow.id, loaded.version, "system", note, now, action="release")


def publish(
    conn: Connection,
    versions: FlowVersions,
    loaded: LoadedFlow,
    *,
    actor: str,
    note: str,
    now: dt.datetime,
) -> Release:
    """Store ``loaded`` and make it current. Refused when this exact version was stored
    before: the same text again changes nothing, and an older one is a rollback."""
    flow_id, version = loaded.flow.id, loaded.version
    known = _stored_at(conn, flow_id, version)
    if known is not None:
        current = current_versions(conn).get(flow_id)
        if current == version:
            raise ReleaseRefused(
                f"flow {flow_id!r} version {version} is already the published version; "
                "nothing to do (edit the file to make a new version)"
            )
        raise ReleaseRefused(
            f"flow {flow_id!r} version {version} was published before ({known:%Y-%m-%d %H:%M} "
            f"UTC) and is not current; to bring it back run "
            f"`complaintbot flows rollback {flow_id} {version}`"
        )
    versions.publish(conn, loaded, now=now)
    return _release(conn, flow_id, version, actor, note, now, action="release")


def rollback(
    conn: Connection, flow_id: str, version: str, *, actor: str, note: str, now: dt.datetime
) -> Release:
    """Make an earlier stored version current again (conversations under way keep theirs)."""
    if _stored_at(conn, flow_id, version) is None:
        raise ReleaseRefused(f"flow {flow_id!r} has no stored version {version}")
    if current_versions(conn).get(flow_id) == version:
        raise ReleaseRefused(f"flow {flow_id!r} version {version} is already current")
    return _release(conn, flow_id, version, actor, note, now, action="rollback")


def history(conn: Connection, flow_id: str) -> list[StoredVersion]:
    """Every stored version of ``flow_id``, oldest first, with its releases."""
    stored = conn.execute(
        select(VERSIONS.c.version, VERSIONS.c.published_at)
        .where(VERSIONS.c.flow_id == flow_id)
        .order_by(VERSIONS.c.published_at, VERSIONS.c.version)
    ).all()
    rows = conn.execute(
        select(RELEASES).where(RELEASES.c.flow_id == flow_id).order_by(RELEASES.c.id)
    ).all()
    releases = [_record(row) for row in rows]
    current = releases[-1].version if releases else None
    return [
        StoredVersion(
            version=row.version,
            stored_at=_utc(row.published_at),
            current=row.version == current,
            releases=tuple(r for r in releases if r.version == row.version),
        )
        for row in stored
    ]


def diff(conn: Connection, flow_id: str, old: str, new: str) -> str:
    """A unified diff of two stored versions' exact sources."""
    sources = {}
    for version in (old, new):
        source = conn.execute(
            select(VERSIONS.c.source).where(
                VERSIONS.c.flow_id == flow_id, VERSIONS.c.version == version
            )
        ).scalar_one_or_none()
        if source is None:
            raise ReleaseRefused(f"flow {flow_id!r} has no stored version {version}")
        sources[version] = source
    return "".join(
        difflib.unified_diff(
            sources[old].splitlines(keepends=True),
            sources[new].splitlines(keepends=True),
            fromfile=f"{flow_id}@{old}",
            tofile=f"{flow_id}@{new}",
        )
    )


def _release(
    conn: Connection,
    flow_id: str,
    version: str,
    actor: str,
    note: str,
    now: dt.datetime,
    *,
    action: str,
) -> Release:
    note = note.strip()[:MAX_NOTE]
    row = {
        "flow_id": flow_id,
        "version": version,
        "released_by": actor,
        "released_at": now,
        "note": note,
    }
    conn.execute(insert(RELEASES), row)
    record_event(conn, now, actor, action, f"{flow_id}@{version}", {"note": note})
    return Release(flow_id, version, actor, now, note)


def _stored_at(conn: Connection, flow_id: str, version: str) -> dt.datetime | None:
    found = conn.execute(
        select(VERSIONS.c.published_at).where(
            VERSIONS.c.flow_id == flow_id, VERSIONS.c.version == version
        )
    ).scalar_one_or_none()
    return _utc(found) if found is not None else None


def _record(row: Row[*tuple[Any, ...]]) -> Release:
    return Release(row.flow_id, row.version, row.released_by, _utc(row.released_at), row.note)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class ReleaseCache:
    """The release pointers as this process last read them, re-read after ``ttl`` seconds."""

    def __init__(
        self, engine: Engine, ttl: float = RELEASE_TTL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._engine = engine
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._versions: dict[str, str] = {}
        self._read_at: float | None = None

    def current(self) -> dict[str, str]:
        """flow id -> current version; at most ``ttl`` seconds old."""
        now = self._clock()
        with self._lock:
            if self._read_at is not None and now - self._read_at < self._ttl:
                return self._versions
        with self._engine.connect() as conn:
            versions = current_versions(conn)
        with self._lock:
            self._versions, self._read_at = versions, now
        return versions

    def forget(self) -> None:
        """Read again next time (after this process published or rolled back)."""
        with self._lock:
            self._read_at = None
