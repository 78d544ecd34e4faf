"""What storage raises: a small hierarchy the bot can catch and turn into friendly words."""

from __future__ import annotations

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout


class StorageError(Exception):
    """Something went wrong in storage; the message holds no personal data."""


class SchemaOutdated(StorageError):
    """The database schema is older (or newer) than this code; an operator must migrate."""


class ConflictError(StorageError):
    """A conversation kept changing under us: every retry lost the race."""


class UnknownFlowVersion(StorageError):
    """A conversation or case names a flow version that was never published to this database."""


class UnknownCase(StorageError):
    """No case has this reference."""


TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    PoolTimeout,
    ConflictError,
    TimeoutError,  # a caller's bounded wait on a database that stopped answering
)
"""Failures a later try of the same work can get past (the database is down or busy)."""


class IllegalTransition(StorageError, ValueError):
    """A review change the case's status does not allow (or one without a reason)."""


class CaseLocked(StorageError):
    """Another operator holds the case's edit lock."""


class UnknownExport(StorageError):
    """No export job has this id."""
