"""Persistence: conversations that survive crashes, filed cases and the figures reports count."""

from storage.database import DEFAULT_URL, UPGRADE_COMMAND, check_schema, upgrade
from storage.errors import (
    TRANSIENT_ERRORS,
    ConflictError,
    SchemaOutdated,
    StorageError,
    UnknownCase,
    UnknownFlowVersion,
)
from storage.records import (
    Applied,
    AttachmentRecord,
    CaseRecord,
    CaseRef,
    CaseSummary,
    DueDeadline,
    Erasure,
    StoredConversation,
)
from storage.releases import Release, ReleaseRefused, StoredVersion
from storage.report import AmountSum, CrossingCount, Report, aggregate, recount
from storage.store import Store

__all__ = [
    "DEFAULT_URL",
    "TRANSIENT_ERRORS",
    "UPGRADE_COMMAND",
    "AmountSum",
    "Applied",
    "AttachmentRecord",
    "CaseRecord",
    "CaseRef",
    "CaseSummary",
    "ConflictError",
    "CrossingCount",
    "DueDeadline",
    "Erasure",
    "Release",
    "ReleaseRefused",
    "Report",
    "SchemaOutdated",
    "StorageError",
    "Store",
    "StoredConversation",
    "StoredVersion",
    "UnknownCase",
    "UnknownFlowVersion",
    "aggregate",
    "check_schema",
    "recount",
    "upgrade",
]
