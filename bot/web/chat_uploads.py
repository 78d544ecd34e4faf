"""Evidence sent through the web chat: checked by size and by content, kept in a folder.

The type is read from the file's first bytes, never trusted from its name or the browser's
claim. Kept files get random names (the claimant's file name goes into the case record
only, as Telegram's does), so the folder holds nothing an outsider could guess or read off.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from starlette.datastructures import UploadFile

from flows import Upload

CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileType:
    mime_type: str
    suffix: str
    kind: Literal["photo", "document"]


def sniff(head: bytes) -> FileType | None:
    """The file's type from its first bytes: photos (JPEG, PNG, GIF, WebP, HEIC) and PDF."""
    if head.startswith(b"\xff\xd8\xff"):
        return FileType("image/jpeg", ".jpg", "photo")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType("image/png", ".png", "photo")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return FileType("image/gif", ".gif", "photo")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileType("image/webp", ".webp", "photo")
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"heim"):
        return FileType("image/heic", ".heic", "photo")
    if head.startswith(b"%PDF-"):
        return FileType("application/pdf", ".pdf", "document")
    return None


class Refused(Exception):
    """Not kept: ``reason`` is "empty", "too_large" or "type" (a words key's tail)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def keep(file: UploadFile, folder: Path, max_bytes: int) -> Upload:
    """Check and store one uploaded file; the Upload input the intake records for it."""
    head = file.file.read(16)
    if not head:
        raise Refused("empty")
    found = sniff(head)
    if found is None:
        raise Refused("type")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{secrets.token_hex(16)}{found.suffix}"
    size = len(head)
    digest = hashlib.sha256(head)  # the content's id: the same file uploaded twice matches
    try:
        with target.open("xb") as out:
            out.write(head)
            while chunk := file.file.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise Refused("too_large")
                out.write(chunk)
                digest.update(chunk)
    except Refused:
        target.unlink(missing_ok=True)
        raise
    name = Path(file.filename or "").name[:200] or None
    return Upload(
        file_id=target.as_uri(),
        kind=found.kind,
        size=size,
        name=name,
        mime_type=found.mime_type,
        unique_id=f"sha256:{digest.hexdigest()}",
    )
