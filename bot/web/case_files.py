"""A case's attachment, opened by a signed-in operator or admin: a web chat upload from the
upload folder, or a Telegram file fetched from the Bot API on demand (the bot downloads
nothing at filing). Every opening is access-logged and audited (``Store.attachment``)."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote, urlparse
from urllib.request import url2pathname

import httpx
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from bot.web.chat_context import make_chat
from bot.web.context import account_of, console_of
from bot.web.pages import render
from storage.account_store import actor_of
from storage.records import AttachmentRecord

log = logging.getLogger(__name__)

ATTACHMENT_REASON = "case review in the web console: opening an attachment"
SHOWN_INLINE = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
"""Pictures open in the browser; anything else downloads (a PDF or an unknown document could
carry active content)."""
BY_KIND = {"photo": "image/jpeg", "voice": "audio/ogg"}
TIMEOUT = httpx.Timeout(30.0, connect=5.0)


async def case_attachment(request: Request) -> Response:
    reference = request.path_params["reference"]
    index = request.path_params["index"]
    console = console_of(request)
    found = await run_in_threadpool(
        lambda: console.intake.store.attachment(
            reference, index, actor=actor_of(account_of(request)), reason=ATTACHMENT_REASON
        )
    )
    if found is None:
        return _refused(request, "attachment_not_found", 404)
    if found.file_id.startswith("file:"):
        return _stored_file(request, found)
    if "://" in found.file_id:  # a rehearsal's script:// or another made-up address
        return _refused(request, "attachment_missing", 404)
    return await _telegram_file(request, found)


def _refused(request: Request, message: str, status: int) -> Response:
    title = "not_found_title" if status == 404 else "attachment_title"
    return render(request, "error.html", title=title, message=message, status_code=status)


def _stored_file(request: Request, found: AttachmentRecord) -> Response:
    """A web chat upload: only from the upload folder, whatever the stored address says."""
    folder = make_chat(console_of(request).settings, "").upload_folder
    path = Path(url2pathname(urlparse(found.file_id).path)).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        return _refused(request, "attachment_missing", 404)
    media_type = found.mime_type or "application/octet-stream"
    return FileResponse(
        path,
        media_type=media_type,
        filename=found.name or path.name,
        content_disposition_type="inline" if media_type in SHOWN_INLINE else "attachment",
    )


async def _telegram_file(request: Request, found: AttachmentRecord) -> Response:
    settings = console_of(request).settings
    if settings.telegram_bot_token is None:
        return _refused(request, "attachment_needs_bot", 503)
    token = settings.telegram_bot_token.get_secret_value()
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            answer = await client.get(
                f"{settings.telegram_api_base_url}{token}/getFile",
                params={"file_id": found.file_id},
            )
            described = answer.json()
            if not isinstance(described, dict) or not described.get("ok"):
                log.info("getFile refused an attachment (HTTP %s)", answer.status_code)
                return _refused(request, "attachment_unavailable", 502)
            file_path = described["result"]["file_path"]
            content = await client.get(f"{settings.telegram_file_base_url}{token}/{file_path}")
            content.raise_for_status()
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        log.info("a Telegram attachment could not be fetched: %s", type(exc).__name__)
        return _refused(request, "attachment_unavailable", 502)
    media_type = found.mime_type or BY_KIND.get(found.kind, "application/octet-stream")
    disposition = "inline" if media_type in SHOWN_INLINE else "attachment"
    name = found.name or Path(file_path).name
    return Response(
        content.content,
        media_type=media_type,
        headers={"Content-Disposition": f"{disposition}; filename*=utf-8''{quote(name)}"},
    )
