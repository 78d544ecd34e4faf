"""Secrets shared by every web process, made once and kept in the database."""

from __future__ import annotations

import secrets

from sqlalchemy import Connection, select

from storage.database import insert_ignoring
from storage.tables import WebSecretRow, table_of

SECRETS = table_of(WebSecretRow)


def shared_secret(conn: Connection, name: str) -> str:
    """The secret called ``name``; the first process to ask makes it, the others read it."""
    insert = insert_ignoring(conn.dialect.name, SECRETS, ["name"])
    conn.execute(insert, {"name": name, "value": secrets.token_urlsafe(48)})
    value: str = conn.execute(select(SECRETS.c.value).where(SECRETS.c.name == name)).scalar_one()
    return value
