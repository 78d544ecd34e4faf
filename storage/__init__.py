"""Persistence: conversations that survive crashes, filed cases and the figures reports count."""

from storage.access_log import AccessEntry, ReasonRequired, record_access
from storage.claimant_data import ClaimantData
from storage.database import UPGRADE_COMMAND, check_schema, upgrade
from storage.encryption import EncryptionKeyError
from storage.errors import (
    TRANSIENT_ERRORS,
    ConflictError,
    SchemaOutdated,
    StorageError,
    UnknownCase,
    UnknownFlowVersion,
)
from storage.lifecycle import close_case
from storage.purge import PurgeReport
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
    "TRANSIENT_ERRORS",
    "UPGRADE_COMMAND",
    "AccessEntry",
    "AmountSum",
    "Applied",
    "AttachmentRecord",
    "CaseRecord",
    "CaseRef",
    "CaseSummary",
    "ClaimantData",
    "ConflictError",
    "CrossingCount",
    "DueDeadline",
    "EncryptionKeyError",
    "Erasure",
    "PurgeReport",
    "ReasonRequired",
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
    "close_case",
    "record_access",
    "recount",
    "upgrade",
]
