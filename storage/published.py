"""Published flow versions: stored once with their exact source, cached in memory when read."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import Connection, select

from flows import FlowError, LoadedFlow, parse_flow
from storage.audit import record_event
from storage.database import insert_ignoring
from storage.errors import StorageError, UnknownFlowVersion
from storage.filing import personal_dimensions
from storage.tables import FlowVersionRow, table_of

_table = table_of(FlowVersionRow)


class FlowVersions:
    """Every flow version this process has seen, by (flow id, version)."""

    def __init__(self, dialect: str) -> None:
        self._cache: dict[tuple[str, str], LoadedFlow] = {}
        self._lock = threading.Lock()
        self._insert = insert_ignoring(dialect, _table, ["flow_id", "version"])

    def publish(self, conn: Connection, loaded: LoadedFlow, *, now: dt.datetime) -> bool:
        """Store ``loaded`` unless it is there already; True the first time."""
        offending = personal_dimensions(loaded.flow)
        if offending:
            raise StorageError(
                f"flow {loaded.flow.id}: dimensions {offending} come from personal fields; "
                "reports must not hold personal data (set personal: false or drop the dimension)"
            )
        flow_id, version = loaded.flow.id, loaded.version
        row = {"flow_id": flow_id, "version": version, "source": loaded.source}
        first = conn.execute(self._insert, [row | {"published_at": now}]).rowcount == 1
        if first:
            record_event(
                conn, now, "system", "publish", f"{flow_id}@{version}", {"path": loaded.path}
            )
        self._cache[(flow_id, version)] = loaded
        return first

    def find(self, conn: Connection, flow_id: str, version: str) -> LoadedFlow | None:
        cached = self._cache.get((flow_id, version))
        if cached is not None:
            return cached
        source = conn.execute(
            select(_table.c.source).where(_table.c.flow_id == flow_id, _table.c.version == version)
        ).scalar_one_or_none()
        if source is None:
            return None
        loaded = _parse(source, flow_id, version)
        with self._lock:
            return self._cache.setdefault((flow_id, version), loaded)

    def get(self, conn: Connection, flow_id: str, version: str) -> LoadedFlow:
        loaded = self.find(conn, flow_id, version)
        if loaded is None:
            raise UnknownFlowVersion(
                f"flow {flow_id} version {version} was never published to this database"
            )
        return loaded


def _parse(source: str, flow_id: str, version: str) -> LoadedFlow:
    try:
        loaded = parse_flow(source, f"<stored {flow_id}@{version}>")
    except FlowError as exc:
        raise StorageError(f"stored flow {flow_id}@{version} no longer loads: {exc}") from exc
    if loaded.version != version or loaded.flow.id != flow_id:
        raise StorageError(f"stored flow {flow_id}@{version} does not match its content hash")
    return loaded
