"""Encryption at rest of personal answers (optional): AES-GCM, a key id on every value.

With ``PII_ENCRYPTION_KEY`` set, each personal value (a personal field's answer, a note, the
uploads of a file question, an attachment's file id and name) is stored as
``pii1:<key id>:<base64url(nonce | ciphertext | tag)>`` of its JSON; the field's name is the
associated data, so a value moved to another field does not decrypt. Everything reports and
counts read (dimensions, statuses, days, amounts) stays plain: they work without the key.
Old keys in ``PII_ENCRYPTION_OLD_KEYS`` still decrypt; ``complaintbot privacy rotate-key``
re-encrypts everything under the current one. The key id is a hash of the key, never the key.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from flows import Conversation, Flow
from storage.errors import StorageError
from storage.records import CaseRecord

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "pii1:"
KEY_BYTES = 32
NONCE_BYTES = 12
UNREADABLE = "[encrypted]"
"""What a lenient read shows for a value it has no key for (masked output only)."""
NEW_KEY_HINT = "make one with `complaintbot privacy new-key`"


class EncryptionKeyError(StorageError):
    """A key is missing, malformed or wrong; the message is one line for an operator."""


def new_key() -> str:
    """A fresh 256-bit key in URL-safe base64, for PII_ENCRYPTION_KEY."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode()


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"complaintbot-pii-key\x00" + key).hexdigest()[:12]


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def sealed_key_id(value: str) -> str:
    return value[len(PREFIX) :].split(":", 1)[0]


class Keyring:
    """The current key (encrypts) and old ones (still decrypt); empty: store plain text."""

    def __init__(self, current: str | None = None, old: Iterable[str] = ()) -> None:
        self._ciphers: dict[str, AESGCM] = {}
        self._lookups: dict[str, bytes] = {}
        self.current_id: str | None = None
        if current:
            self.current_id = self._add(current, "PII_ENCRYPTION_KEY")
        for text in old:
            self._add(text, "PII_ENCRYPTION_OLD_KEYS")

    @property
    def enabled(self) -> bool:
        return self.current_id is not None

    @property
    def key_ids(self) -> frozenset[str]:
        return frozenset(self._ciphers)

    def _add(self, text: str, setting: str) -> str:
        try:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        except ImportError:
            raise EncryptionKeyError(
                f"{setting} needs the 'cryptography' package: "
                "pip install 'complaintbot[encryption]'"
            ) from None
        try:
            key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
        except (binascii.Error, ValueError):
            key = b""
        if len(key) != KEY_BYTES:
            raise EncryptionKeyError(
                f"{setting} is not a key: it must be {KEY_BYTES} bytes in URL-safe base64 "
                f"({NEW_KEY_HINT})"
            )
        kid = key_id(key)
        self._ciphers[kid] = AESGCM(key)
        self._lookups[kid] = hmac.digest(key, b"complaintbot-lookup-key", "sha256")
        return kid

    def lookup_secrets(self) -> list[bytes | None]:
        """Secrets for keyed hashes of personal values (duplicate keys), current key's first.

        A phone number has few enough possible values that a plain hash of it can be
        reversed by trying them all; a keyed hash (HMAC) cannot without the key. Old keys'
        secrets and ``None`` (the plain hash, as stored before a key was set) are for lookups
        only, so repeats of cases filed under an earlier key are still found.
        """
        if self.current_id is None:
            return [None]
        current = self._lookups[self.current_id]
        return [current, *(s for s in self._lookups.values() if s != current), None]

    # -- one value -----------------------------------------------------------------------

    def seal(self, value: Any, context: str) -> Any:
        """``value`` encrypted under the current key; as it is without a key or when empty."""
        if self.current_id is None or value is None or value in ("", []) or is_sealed(value):
            return value
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.current_id].encrypt(nonce, plain, context.encode())
        packed = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{PREFIX}{self.current_id}:{packed}"

    def open(self, value: Any, context: str) -> Any:
        """The plain value; a plain one passes through. Raises EncryptionKeyError."""
        if not is_sealed(value):
            return value
        kid, _, packed = value[len(PREFIX) :].partition(":")
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise EncryptionKeyError(self._missing(kid))
        from cryptography.exceptions import InvalidTag

        try:
            raw = base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4))
            plain = cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        except (InvalidTag, binascii.Error, ValueError):
            raise EncryptionKeyError(
                f"a personal value ({context}) does not decrypt with key {kid}: "
                "the data was changed or the key is not the one it was encrypted with"
            ) from None
        return json.loads(plain)

    def _missing(self, kid: str) -> str:
        if not self._ciphers:
            return f"personal data is encrypted (key id {kid}) but PII_ENCRYPTION_KEY is not set"
        return (
            f"personal data is encrypted with key id {kid}, which is neither PII_ENCRYPTION_KEY "
            "nor in PII_ENCRYPTION_OLD_KEYS: set the key it was encrypted with"
        )

    # -- answers, states, cases ----------------------------------------------------------

    def seal_answers(self, answers: Mapping[str, Any], personal: frozenset[str]) -> dict[str, Any]:
        if self.current_id is None:
            return dict(answers)
        return {
            name: self.seal(value, f"answer:{name}") if name in personal else value
            for name, value in answers.items()
        }

    def open_answers(self, answers: Mapping[str, Any], *, lenient: bool = False) -> dict[str, Any]:
        """Plain answers; ``lenient`` puts UNREADABLE where a value does not decrypt."""
        opened = self._open_leniently if lenient else self.open
        return {  # the test inlined: most answers are plain, and exports open every row's
            name: opened(value, f"answer:{name}")
            if value.__class__ is str and value.startswith(PREFIX)
            else value
            for name, value in answers.items()
        }

    def lenient_answers(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """Plain answers, UNREADABLE where a value is under a key this ring lacks."""
        return self.open_answers(answers, lenient=True)

    def _open_leniently(self, value: Any, context: str) -> Any:
        try:
            return self.open(value, context)
        except EncryptionKeyError:
            return UNREADABLE

    def seal_notes(self, notes: Mapping[str, Any]) -> dict[str, Any]:
        return {name: self.seal(value, f"note:{name}") for name, value in notes.items()}

    def open_notes(self, notes: Mapping[str, Any], *, lenient: bool = False) -> dict[str, Any]:
        opened = self._open_leniently if lenient else self.open
        return {name: opened(value, f"note:{name}") for name, value in notes.items()}

    def seal_state(self, state: Conversation, flow: Flow) -> Conversation:
        """The state as stored: personal answers, notes and pending uploads encrypted."""
        if self.current_id is None:
            return state
        step = flow.steps.get(state.step)
        personal_step = bool(step is not None and getattr(step, "is_personal", False))
        pending = state.pending
        if personal_step and pending:
            pending = [self.seal(pending, "pending")]
        return state.model_copy(
            update={
                "answers": self.seal_answers(state.answers, flow.personal_fields()),
                "notes": self.seal_notes(state.notes),
                "pending": pending,
            }
        )

    def open_state(self, state: Conversation) -> Conversation:
        """The state as the engine needs it; a state with nothing sealed is returned as is."""
        pending = state.pending
        sealed_pending = len(pending) == 1 and is_sealed(pending[0])
        if not (
            sealed_pending
            or any(is_sealed(v) for v in state.answers.values())
            or any(is_sealed(v) for v in state.notes.values())
        ):
            return state
        return state.model_copy(
            update={
                "answers": self.open_answers(state.answers),
                "notes": self.open_notes(state.notes),
                "pending": self.open(pending[0], "pending") if sealed_pending else pending,
            }
        )

    def seal_attachment(self, row: dict[str, Any]) -> dict[str, Any]:
        if self.current_id is None:
            return row
        return row | {
            "file_id": self.seal(row["file_id"], "file_id"),
            "name": self.seal(_fitting(row.get("name")), "file_name"),
        }

    def open_case(self, case: CaseRecord, *, lenient: bool = False) -> CaseRecord:
        """The case in clear; ``lenient`` (for a masked view) puts UNREADABLE where a value
        is under a key this ring lacks instead of raising."""
        opened = self._open_leniently if lenient else self.open
        files = [
            dataclasses.replace(
                f, file_id=opened(f.file_id, "file_id"), name=opened(f.name, "file_name")
            )
            for f in case.attachments
        ]
        return dataclasses.replace(
            case,
            answers=self.open_answers(case.answers, lenient=lenient),
            notes=self.open_notes(case.notes, lenient=lenient),
            attachments=files,
        )


def _fitting(name: str | None) -> str | None:
    """A file name short enough to fit the column once encrypted (255 characters).

    Encryption adds the prefix, the key id, nonce and tag, and base64 grows it by a third:
    about 140 bytes of name fit. A longer name keeps its start and its extension.
    """
    if name is None or len(name.encode()) <= 130:
        return name
    stem, dot, extension = name.rpartition(".")
    tail = f".{extension[:10]}" if dot else ""
    head = (stem if dot else name).encode()[: 120 - len(tail.encode())]
    return head.decode(errors="ignore") + "…" + tail
