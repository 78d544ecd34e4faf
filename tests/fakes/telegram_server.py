"""Fake Telegram Bot API server on 127.0.0.1 that the real python-telegram-bot talks to."""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import copy
import inspect
import itertools
import json
import mimetypes
import random
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

JsonDict = dict[str, Any]
T = TypeVar("T")

DEFAULT_TOKEN = "123456789:AAF4ke-T0ken_for_complaintbot_tests"
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
CALLBACK_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
GET_UPDATES_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


CHAT_ACTIONS = _words(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note"
)
# Parameters that Telegram reads as plain strings; PTB sends every other value JSON-encoded.
STRING_PARAMS = _words(
    "text caption parse_mode callback_query_id url secret_token inline_message_id language_code "
    "file_id action ip_address document photo voice sticker audio video animation "
    "business_connection_id message_effect_id"
)
DEFAULT_EXCLUDED_UPDATES = _words("chat_member message_reaction message_reaction_count")
BUTTON_ACTIONS = _words(
    "callback_data url web_app login_url switch_inline_query switch_inline_query_current_chat "
    "switch_inline_query_chosen_chat copy_text callback_game pay"
)


class ApiError(Exception):
    """A Bot API error answer: HTTP status plus Telegram's description."""

    def __init__(self, status: int, description: str, parameters: JsonDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


# ---------------------------------------------------------------------------------------------
# Records handed to tests
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart request, exactly as the bot sent it."""

    name: str
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class StoredFile:
    """A file known to the fake (sent by the bot or pushed as a user's upload)."""

    file_id: str
    file_unique_id: str
    kind: str
    file_path: str
    content: bytes
    file_size: int
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0

    def as_document(self) -> JsonDict:
        doc: JsonDict = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.file_name is not None:
            doc["file_name"] = self.file_name
        if self.mime_type is not None:
            doc["mime_type"] = self.mime_type
        doc["file_size"] = self.file_size
        return doc

    def as_photo_size(self) -> JsonDict:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "width": self.width,
            "height": self.height,
        }


@dataclass
class ApiCall:
    """One Bot API request. ``time`` is time.monotonic() at arrival; ``status`` is None while
    the request is still pending (a long poll); ``result`` is the answer's ``result``."""

    method: str
    params: JsonDict
    files: dict[str, UploadedFile]
    time: float
    http_method: str = "POST"
    status: int | None = None
    result: Any = None
    description: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200

    def summary(self, origin: float) -> str:
        params = json.dumps(self.params, ensure_ascii=False, default=str)
        if len(params) > 160:
            params = params[:157] + "..."
        files = f" files={sorted(self.files)}" if self.files else ""
        outcome = "pending" if self.status is None else str(self.status)
        if self.description:
            outcome += f" {self.description}"
        return f"+{self.time - origin:7.3f}s {self.method} {params}{files} -> {outcome}"


@dataclass(frozen=True)
class ChatMessage:
    """A message as the user sees it now (after edits)."""

    message_id: int
    from_bot: bool
    text: str | None
    caption: str | None
    reply_markup: JsonDict | None
    keyboard: JsonDict | None
    document: StoredFile | None
    photo: StoredFile | None
    edited: bool
    raw: JsonDict

    @property
    def content(self) -> str:
        return self.text or self.caption or ""

    @property
    def buttons(self) -> list[JsonDict]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button_texts(self) -> list[str]:
        return [button["text"] for button in self.buttons]

    def callback_data(self, button_text: str) -> str:
        """callback_data of the button labelled ``button_text`` (or the one containing it)."""
        exact = [b for b in self.buttons if b["text"] == button_text]
        partial = [b for b in self.buttons if button_text in b["text"]]
        matches = exact or partial
        if len(matches) != 1 or "callback_data" not in matches[0]:
            raise LookupError(
                f"no single callback button {button_text!r} in message {self.message_id}; "
                f"buttons: {self.button_texts()}"
            )
        return str(matches[0]["callback_data"])


@dataclass
class _Record:
    chat_id: int
    message_id: int
    from_bot: bool
    json: JsonDict
    files: dict[str, StoredFile] = field(default_factory=dict)
    keyboard: JsonDict | None = None
    deleted: bool = False

    def view(self) -> ChatMessage:
        return ChatMessage(
            message_id=self.message_id,
            from_bot=self.from_bot,
            text=self.json.get("text"),
            caption=self.json.get("caption"),
            reply_markup=copy.deepcopy(self.json.get("reply_markup")),
            keyboard=copy.deepcopy(self.keyboard),
            document=self.files.get("document"),
            photo=self.files.get("photo"),
            edited="edit_date" in self.json,
            raw=copy.deepcopy(self.json),
        )


@dataclass
class _Callback:
    update_id: int
    answer: JsonDict | None = None


@dataclass(frozen=True)
class _Failure:
    status: int
    description: str
    parameters: JsonDict | None


@dataclass(frozen=True)
class _Delay:
    seconds: float
    before: bool


@dataclass
class _RandomDelay:
    share: float
    seconds: float
    methods: frozenset[str]
    rng: random.Random

    def applies(self, name: str) -> bool:
        if name == "getUpdates" or (self.methods and name not in self.methods):
            return False
        return self.rng.random() < self.share

    def draw(self) -> _Delay:
        return _Delay(self.seconds, False)


@dataclass
class _RandomFailure:
    share: float
    statuses: tuple[int, ...]
    rng: random.Random

    def draw(self) -> _Failure | None:
        if self.rng.random() >= self.share:
            return None
        status = self.rng.choice(self.statuses)
        if status == 429:
            return _Failure(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        return _Failure(status, HTTPStatus(status).phrase, None)


@dataclass(frozen=True)
class _Req:
    params: JsonDict
    files: dict[str, UploadedFile]


# ---------------------------------------------------------------------------------------------
# Wire decoding: PTB posts form data (multipart when uploading) with JSON-encoded values
# ---------------------------------------------------------------------------------------------

_DISPOSITION_RE = re.compile(r';\s*([\w*-]+)="((?:[^"\\]|\\.)*)"|;\s*([\w*-]+)=([^;\s]+)')
_FORM_ESCAPE_RE = re.compile(r"%(22|[01][0-9A-F])|\\(.)")


def _unquote_form_value(value: str) -> str:
    """Undo httpx's HTML5 form escaping of quoted header values."""
    return _FORM_ESCAPE_RE.sub(
        lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), value
    )


def _part_headers(head: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in head.decode("utf-8", "replace").split("\r\n"):
        key, sep, value = line.partition(":")
        if sep:
            headers[key.strip().lower()] = value.strip()
    return headers


def _disposition_params(value: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for match in _DISPOSITION_RE.finditer(value):
        if match.group(1):
            params[match.group(1).lower()] = _unquote_form_value(match.group(2))
        else:
            params[match.group(3).lower()] = match.group(4)
    return params


def parse_multipart(
    body: bytes, content_type: str
) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """Split a multipart/form-data body into text fields and file parts."""
    boundary = re.search(r'boundary="?([^";]+)"?', content_type)
    if boundary is None:
        raise bad_request("multipart boundary is missing")
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for section in body.split(b"--" + boundary.group(1).encode())[1:]:
        if section.startswith(b"--"):
            break
        head, _, content = section.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = _part_headers(head)
        disposition = _disposition_params(headers.get("content-disposition", ""))
        name = disposition.get("name")
        content = content.removesuffix(b"\r\n")
        if name is None:
            continue
        if "filename" in disposition:
            ctype = headers.get("content-type", "application/octet-stream")
            files[name] = UploadedFile(name, disposition["filename"], ctype, content)
        else:
            fields[name] = content.decode("utf-8")
    return fields, files


def decode_value(name: str, value: Any) -> Any:
    """Telegram reads complex (and numeric/boolean) parameters as JSON, strings as they are."""
    if not isinstance(value, str) or name in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_params(request: Request) -> tuple[JsonDict, dict[str, UploadedFile]]:
    raw: dict[str, Any] = dict(request.query_params)
    files: dict[str, UploadedFile] = {}
    body = await request.body()
    if body:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            try:
                loaded = json.loads(body)
            except ValueError:
                loaded = None
            if not isinstance(loaded, dict):
                raise bad_request("can't parse JSON object")
            raw.update(loaded)
        elif content_type.startswith("multipart/form-data"):
            fields, files = parse_multipart(body, content_type)
            raw.update(fields)
        else:
            raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return {name: decode_value(name, value) for name, value in raw.items()}, files


def _json_response(status: int, payload: JsonDict) -> Response:
    body = json.dumps(payload, ensure_ascii=False)
    return Response(body, status_code=status, media_type="application/json")


def _error_payload(error: ApiError) -> JsonDict:
    payload: JsonDict = {"ok": False, "error_code": error.status, "description": error.description}
    if error.parameters:
        payload["parameters"] = error.parameters
    return payload


# ---------------------------------------------------------------------------------------------
# Message text: parse modes, entities (offsets in UTF-16 code units), trimming
# ---------------------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode())


def _entity_error(message: str) -> ApiError:
    return bad_request(f"can't parse entities: {message}")


class _TextBuilder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.entities: list[JsonDict] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.pos > start:
            self.entities.append(
                {"type": kind, "offset": start, "length": self.pos - start, **extra}
            )

    def result(self) -> tuple[str, list[JsonDict]]:
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), entities


_HTML_CHAR_RE = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_HTML_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ATTR_RE = re.compile(r"""([a-zA-Z0-9_-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_HtmlStack = list[tuple[str, int, dict[str, str]]]
_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


def _html_char(match: re.Match[str]) -> str:
    name = match.group(1)
    if not name.startswith("#"):
        return _HTML_NAMED[name]
    code = int(name[2:], 16) if name.startswith("#x") else int(name[1:])
    return chr(code) if 0 < code <= 0x10FFFF else match.group(0)


def _html_attributes(text: str) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for match in _HTML_ATTR_RE.finditer(text):
        value = next((g for g in match.groups()[1:] if g is not None), "")
        attributes[match.group(1).lower()] = _HTML_CHAR_RE.sub(_html_char, value)
    return attributes


def _close_html_tag(
    out: _TextBuilder,
    stack: _HtmlStack,
    tag: str,
    start: int,
    attrs: dict[str, str],
) -> None:
    kind = _HTML_TAGS[tag]
    language = attrs.get("class", "")
    if kind == "text_link":
        if attrs.get("href"):
            out.entity("text_link", start, url=attrs["href"])
    elif kind == "code" and stack and stack[-1][0] == "pre" and language.startswith("language-"):
        stack[-1][2]["\0language"] = language.removeprefix("language-")
    elif kind == "pre" and "\0language" in attrs:
        out.entity("pre", start, language=attrs["\0language"])
    elif kind == "blockquote" and "expandable" in attrs:
        out.entity("expandable_blockquote", start)
    elif kind == "custom_emoji":
        out.entity("custom_emoji", start, custom_emoji_id=attrs.get("emoji-id", ""))
    else:
        out.entity(kind, start)


def _html_start_tag(text: str, i: int, out: _TextBuilder, stack: _HtmlStack) -> int:
    """Parse the start tag at ``i`` (tdlib's rules and messages); return the index after it."""
    offset = _byte_offset(text, i)
    name_end = i + 1
    while name_end < len(text) and not text[name_end].isspace() and text[name_end] != ">":
        name_end += 1
    if name_end >= len(text):
        raise _entity_error(f"Unclosed start tag at byte offset {offset}")
    name = text[i + 1 : name_end].lower()
    if name not in _HTML_TAGS:
        raise _entity_error(f'Unsupported start tag "{name}" at byte offset {offset}')
    end = text.find(">", name_end)
    if end < 0:
        raise _entity_error(f"Unclosed start tag at byte offset {offset}")
    attrs = _html_attributes(text[name_end:end])
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise _entity_error(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    stack.append((name, out.pos, attrs))
    return end + 1


def _html_end_tag(text: str, i: int, out: _TextBuilder, stack: _HtmlStack) -> int:
    offset = _byte_offset(text, i)
    if not stack:
        raise _entity_error(f"Unexpected end tag at byte offset {offset}")
    end = text.find(">", i)
    name = text[i + 2 : end].strip().lower() if end >= 0 else ""
    if end < 0 or " " in name:
        raise _entity_error(f"Unclosed end tag at byte offset {offset}")
    tag, start, attrs = stack.pop()
    if name and name != tag:
        raise _entity_error(
            f'Unmatched end tag at byte offset {offset}, expected "</{tag}>", found "</{name}>"'
        )
    _close_html_tag(out, stack, tag, start, attrs)
    return end + 1


def parse_html(text: str) -> tuple[str, list[JsonDict]]:
    """Telegram's HTML parse mode: supported tags only, four named entities, strict nesting."""
    out = _TextBuilder()
    stack: _HtmlStack = []
    i = 0
    while i < len(text):
        if text.startswith("</", i):
            i = _html_end_tag(text, i, out, stack)
        elif text[i] == "<":
            i = _html_start_tag(text, i, out, stack)
        elif text[i] == "&":
            char = _HTML_CHAR_RE.match(text, i)
            out.add(_html_char(char) if char else "&")
            i = char.end() if char else i + 1
        else:
            j = min(
                (k for k in (text.find("<", i), text.find("&", i)) if k >= 0), default=len(text)
            )
            out.add(text[i:j])
            i = j
    if stack:
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.result()


_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_MARKERS = {
    "__": "underline",
    "||": "spoiler",
    "*": "bold",
    "_": "italic",
    "~": "strikethrough",
}
_ENTITY_TITLES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
}


def _mdv2_toggle(
    stack: list[tuple[str, int, int]], out: _TextBuilder, kind: str, offset: int
) -> None:
    if not any(open_kind == kind for open_kind, _, _ in stack):
        stack.append((kind, out.pos, offset))
        return
    top_kind, start, top_offset = stack.pop()
    if top_kind != kind:
        raise _entity_error(
            f"Can't find end of {_ENTITY_TITLES[top_kind]} entity at byte offset {top_offset}"
        )
    out.entity(kind, start)


def _mdv2_code(text: str, i: int, out: _TextBuilder) -> int:
    """Parse `code` or ```pre``` starting at ``i``; return the index after it."""
    fence = "```" if text.startswith("```", i) else "`"
    j = i + len(fence)
    extra: dict[str, str] = {}
    if fence == "```":
        newline = text.find("\n", j)
        first_line = text[j:newline] if newline >= 0 else ""
        if newline >= 0 and not any(ch.isspace() for ch in first_line):
            if first_line:
                extra["language"] = first_line
            j = newline + 1
    start, chunk = out.pos, []
    while j < len(text):
        if text[j] == "\\" and j + 1 < len(text):
            chunk.append(text[j + 1])
            j += 2
        elif text.startswith(fence, j):
            out.add("".join(chunk))
            out.entity("pre" if fence == "```" else "code", start, **extra)
            return j + len(fence)
        else:
            chunk.append(text[j])
            j += 1
    title = "Pre" if fence == "```" else "Code"
    raise _entity_error(f"Can't find end of {title} entity at byte offset {_byte_offset(text, i)}")


def _mdv2_link_end(text: str, i: int, out: _TextBuilder, start: int) -> int:
    """At ``]`` closing a link label: read ``(url)`` and return the index after it."""
    if not text.startswith("(", i + 1):
        return i + 1
    j, url = i + 2, []
    while j < len(text) and text[j] != ")":
        if text[j] == "\\" and j + 1 < len(text):
            j += 1
        url.append(text[j])
        j += 1
    if j >= len(text):
        raise _entity_error(f"Can't find end of a URL at byte offset {_byte_offset(text, i + 1)}")
    out.entity("text_link", start, url="".join(url))
    return j + 1


def parse_markdown_v2(text: str) -> tuple[str, list[JsonDict]]:
    """Telegram's MarkdownV2: every reserved character outside markup must be escaped."""
    out = _TextBuilder()
    stack: list[tuple[str, int, int]] = []
    quote_start: int | None = None
    i = 0
    while i < len(text):
        char = text[i]
        at_line_start = i == 0 or text[i - 1] == "\n"
        marker = next((m for m in _MDV2_MARKERS if text.startswith(m, i)), None)
        if char == "\\" and i + 1 < len(text):
            out.add(text[i + 1])
            i += 2
        elif char == ">" and at_line_start:
            quote_start = out.pos if quote_start is None else quote_start
            i += 1
        elif char == "`":
            i = _mdv2_code(text, i, out)
        elif marker is not None:
            _mdv2_toggle(stack, out, _MDV2_MARKERS[marker], _byte_offset(text, i))
            i += len(marker)
        elif char == "[":
            stack.append(("text_link", out.pos, _byte_offset(text, i)))
            i += 1
        elif char == "]" and stack and stack[-1][0] == "text_link":
            i = _mdv2_link_end(text, i, out, stack.pop()[1])
        elif char in _MDV2_RESERVED:
            raise _entity_error(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        else:
            if char == "\n" and quote_start is not None and not text.startswith(">", i + 1):
                out.entity("blockquote", quote_start)
                quote_start = None
            out.add(char)
            i += 1
    if quote_start is not None:
        out.entity("blockquote", quote_start)
    if stack:
        kind, _, offset = stack[-1]
        raise _entity_error(
            f"Can't find end of {_ENTITY_TITLES[kind]} entity at byte offset {offset}"
        )
    return out.result()


def _markdown_entity(text: str, i: int, out: _TextBuilder) -> int:
    """Legacy Markdown: one non-nested entity starting at ``i``; return the index after it."""
    error = _entity_error(
        f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
    )
    start = out.pos
    if text[i] == "[":
        close = text.find("](", i + 1)
        paren = text.find(")", close + 2) if close >= 0 else -1
        if paren < 0:
            raise error
        out.add(text[i + 1 : close])
        out.entity("text_link", start, url=text[close + 2 : paren])
        return paren + 1
    marker = "```" if text.startswith("```", i) else text[i]
    end = text.find(marker, i + len(marker))
    if end < 0:
        raise error
    kinds = {"```": "pre", "`": "code", "*": "bold", "_": "italic"}
    out.add(text[i + len(marker) : end])
    out.entity(kinds[marker], start)
    return end + len(marker)


def parse_markdown(text: str) -> tuple[str, list[JsonDict]]:
    """Telegram's legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url)."""
    out = _TextBuilder()
    i = 0
    while i < len(text):
        if text[i] == "\\" and text[i + 1 : i + 2] in ("_", "*", "`", "["):
            out.add(text[i + 1])
            i += 2
        elif text[i] in "*_`[":
            i = _markdown_entity(text, i, out)
        else:
            out.add(text[i])
            i += 1
    return out.result()


_PARSERS: dict[str, Callable[[str], tuple[str, list[JsonDict]]]] = {
    "html": parse_html,
    "markdownv2": parse_markdown_v2,
    "markdown": parse_markdown,
}


def _trim(text: str, entities: list[JsonDict]) -> tuple[str, list[JsonDict]]:
    """Telegram strips leading and trailing whitespace from message texts and captions."""
    left = text.lstrip()
    lead = utf16_len(text) - utf16_len(left)
    trimmed = left.rstrip()
    total = utf16_len(trimmed)
    kept: list[JsonDict] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return trimmed, kept


def format_text(text: str, parse_mode: Any, entities: Any) -> tuple[str, list[JsonDict]]:
    """Apply parse_mode (or explicit entities) the way Telegram does; returns text and entities."""
    if parse_mode in (None, ""):
        plain, found = text, [e for e in entities or [] if isinstance(e, dict)]
    else:
        parser = _PARSERS.get(str(parse_mode).lower())
        if parser is None:
            raise bad_request("unsupported parse_mode")
        plain, found = parser(text)
    return _trim(plain, found)


_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_])")


def command_entities(text: str) -> list[JsonDict]:
    """The bot_command entities Telegram attaches to a user's text (``/start``, ``/help@bot``)."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group(0)),
        }
        for m in _COMMAND_RE.finditer(text)
    ]


# ---------------------------------------------------------------------------------------------
# Reply markup validation
# ---------------------------------------------------------------------------------------------


def _validate_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    actions = [name for name in BUTTON_ACTIONS if name in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request(f"can't parse inline keyboard button: more than one action: {actions}")
    data = button.get("callback_data")
    if "callback_data" in button and (
        not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES
    ):
        raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not re.match(r"^(https?|tg)://\S+$", str(button["url"])):
        raise bad_request("BUTTON_URL_INVALID")


def validate_reply_markup(markup: Any) -> JsonDict | None:
    """Check a reply_markup object like Telegram does; returns it (or None when absent)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                _validate_button(button)
        if sum(len(row) for row in rows) > 100:
            raise bad_request("reply markup is too long")
        return markup
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
            )
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def _inline_only(markup: JsonDict | None) -> JsonDict | None:
    return markup if markup is not None and "inline_keyboard" in markup else None


# ---------------------------------------------------------------------------------------------
# Waiting: one condition that wakes threads and asyncio tasks on any event loop
# ---------------------------------------------------------------------------------------------


class _Signal:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.condition = threading.Condition(self.lock)
        self._async_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def notify(self) -> None:
        """Wake every waiter; the caller holds ``lock``."""
        self.condition.notify_all()
        for waiter in list(self._async_waiters):
            loop, event = waiter
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that loop is closed
                self._async_waiters.discard(waiter)

    def wait(self, check: Callable[[], T], timeout: float) -> T:
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                result = check()
                remaining = deadline - time.monotonic()
                if result or remaining <= 0:
                    return result
                self.condition.wait(remaining)

    async def wait_async(self, check: Callable[[], T], timeout: float) -> T:
        loop = asyncio.get_running_loop()
        waiter = (loop, asyncio.Event())
        deadline = loop.time() + timeout
        with self.lock:
            self._async_waiters.add(waiter)
        try:
            while True:
                waiter[1].clear()
                with self.lock:
                    result = check()
                remaining = deadline - loop.time()
                if result or remaining <= 0:
                    return result
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiter[1].wait(), remaining)
        finally:
            with self.lock:
                self._async_waiters.discard(waiter)


class _Check:
    """Runs a test predicate (with no argument or with the fake); remembers its last error."""

    def __init__(
        self, predicate: Callable[..., Any], fake: FakeBotApi, description: str | None = None
    ) -> None:
        self.predicate = predicate
        self.description = description
        self.error: BaseException | None = None
        try:
            positional = [
                p
                for p in inspect.signature(predicate).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
            ]
        except (TypeError, ValueError):
            positional = []
        self.args: tuple[Any, ...] = (fake,) if positional else ()

    def __call__(self) -> Any:
        try:
            return self.predicate(*self.args)
        except (LookupError, AttributeError) as exc:
            self.error = exc
            return None

    def describe(self) -> str:
        if self.description is not None:
            return self.description
        try:
            return inspect.getsource(self.predicate).strip()
        except (OSError, TypeError):
            return repr(self.predicate)


class _ThreadedServer(uvicorn.Server):
    """uvicorn server that reports when it serves (a threading.Event) and stops on request."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.exit_requested: asyncio.Event | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        self.exit_requested = asyncio.Event()
        await super().startup(sockets=sockets)
        self.ready.set()

    async def main_loop(self) -> None:
        """Sleep until ``request_exit`` instead of uvicorn's 0.1 s polling loop."""
        await self.on_tick(0)
        if self.exit_requested is not None and not self.should_exit:
            await self.exit_requested.wait()

    def request_exit(self) -> None:
        self.should_exit = True
        if self.loop is not None and self.exit_requested is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already finished
                self.loop.call_soon_threadsafe(self.exit_requested.set)

    def run(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            super().run(sockets=sockets)
        except BaseException as exc:  # SystemExit from a failed startup included
            self.error = exc
        finally:
            self.ready.set()


def _fake_bytes(size: int, seed: str) -> bytes:
    if size > MAX_DOWNLOAD_SIZE:
        return b""
    pattern = f"FAKE:{seed}:".encode()
    return (pattern * (size // len(pattern) + 1))[:size]


def _private_chat(user: JsonDict) -> JsonDict:
    chat: JsonDict = {"id": user["id"], "first_name": user["first_name"], "type": "private"}
    if "username" in user:
        chat["username"] = user["username"]
    return chat


# ---------------------------------------------------------------------------------------------
# The fake server
# ---------------------------------------------------------------------------------------------


class FakeBotApi:
    """In-process Telegram Bot API: real HTTP on 127.0.0.1, state inspectable from tests.

    Thread-safe: the server runs on its own thread and event loop; every test-side method may be
    called from sync tests or from coroutines (use the ``await_*`` variants there, the blocking
    ``wait_*`` ones would stall the event loop the bot runs on).
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_first_name: str = "Complaint Test Bot",
        bot_username: str = "complaint_test_bot",
        strict_chats: bool = True,
        clock: Callable[[], float] = time.time,
        first_update_id: int = 1,
    ) -> None:
        self.token = token
        self.strict_chats = strict_chats
        self._clock = clock
        bot_id = token.split(":", 1)[0]
        self._bot_user: JsonDict = {
            "id": int(bot_id) if bot_id.isdigit() else 123456789,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self._signal = _Signal()
        self._lock = self._signal.lock
        self._origin = time.monotonic()
        self._calls: list[ApiCall] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._delays: dict[str, list[_Delay]] = {}
        self._random_delay: _RandomDelay | None = None
        self._random_failure: _RandomFailure | None = None
        self._queue: list[JsonDict] = []
        self._history: dict[int, JsonDict] = {}
        self._next_update_id = first_update_id
        self._allowed_updates: list[str] | None = None
        self._webhook: JsonDict | None = None
        self._poll_generation = 0
        self._pending_polls = 0
        self._users: dict[int, JsonDict] = {}
        self._chats: dict[int, JsonDict] = {}
        self._blocked: set[int] = set()
        self._records: dict[tuple[int, int], _Record] = {}
        self._chat_records: dict[int, list[_Record]] = {}
        self._last_message_id: dict[int, int] = {}
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._photo_sets: dict[str, list[StoredFile]] = {}
        self._file_counter = itertools.count(1)
        self._callbacks: dict[str, _Callback] = {}
        self._callback_counter = itertools.count(4_000_000_000_001)
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        self._downloads: list[str] = []
        self._closing = False
        self._port: int | None = None
        self._server: _ThreadedServer | None = None
        self._thread: threading.Thread | None = None
        self._methods = self._method_table()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        """Serve on 127.0.0.1 (a free port; the same one again after a stop)."""
        if self._thread is not None:
            raise RuntimeError("FakeBotApi is already running")
        # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose
        # proto says TCP; without it every request waits ~40 ms for a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self._port or 0))
        sock.listen(128)
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._build_app(),
            log_config=None,  # leave the process' logging configuration alone
            access_log=False,
            lifespan="off",
            ws="none",
            http="h11",
            timeout_graceful_shutdown=1,
        )
        server = _ThreadedServer(config)
        thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [sock]},
            name=f"fake-bot-api-{self._port}",
            daemon=True,
        )
        with self._lock:
            self._closing = False
        thread.start()
        if not server.ready.wait(timeout=10) or not server.started:
            server.request_exit()
            thread.join(timeout=2)
            sock.close()
            raise RuntimeError(f"fake Bot API server did not start: {server.error!r}")
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        """Stop serving; pending long polls answer at once with no updates. State is kept."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        with self._lock:
            self._closing = True
            self._signal.notify()
        server.request_exit()
        thread.join(timeout=5)
        self._server = self._thread = None
        if thread.is_alive():
            raise RuntimeError("fake Bot API server did not stop within 5 s")

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeBotApi:
        return await asyncio.to_thread(self.start)

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.to_thread(self.stop)

    @property
    def url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)`` / ``Bot(base_url=...)``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # -- HTTP layer ------------------------------------------------------------------------

    def _build_app(self) -> Starlette:
        async def not_found(request: Request, exc: Exception) -> Response:
            status = exc.status_code if isinstance(exc, HTTPException) else 404
            return _json_response(status, _error_payload(ApiError(status, "Not Found")))

        return Starlette(
            routes=[
                Route("/bot{token}/{method}", self._handle_api, methods=["GET", "POST"]),
                Route("/file/bot{token}/{file_path:path}", self._handle_file, methods=["GET"]),
            ],
            exception_handlers={404: not_found, 405: not_found},
        )

    async def _handle_api(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return _json_response(401, _error_payload(ApiError(401, "Unauthorized")))
        entry = self._methods.get(request.path_params["method"].lower())
        if entry is None:
            error = ApiError(404, "Not Found: method not found")
            return _json_response(404, _error_payload(error))
        name, handler = entry
        try:
            params, files = await _read_params(request)
        except ApiError as error:
            return _json_response(error.status, _error_payload(error))
        call = self._record_call(name, params, files, request.method)
        delay = self._injected_delay(name)
        if delay is not None and delay.before:
            await asyncio.sleep(delay.seconds)  # a Bot API slow to take the call at all
        try:
            self._raise_injected_failure(name)
            with self._lock:
                result = handler(_Req(params, files))
            if inspect.isawaitable(result):  # getUpdates waits outside the lock
                result = await result
        except ApiError as error:
            return self._finish(call, error.status, _error_payload(error))
        except (TypeError, ValueError) as exc:  # a parameter of the wrong type
            return self._finish(call, 400, _error_payload(bad_request(f"invalid parameter: {exc}")))
        if delay is not None and not delay.before:
            await asyncio.sleep(delay.seconds)  # done, but the answer comes late
        return self._finish(call, 200, {"ok": True, "result": result})

    async def _handle_file(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return _json_response(401, _error_payload(ApiError(401, "Unauthorized")))
        with self._lock:
            stored = self._files_by_path.get(request.path_params["file_path"])
            if stored is not None:
                self._downloads.append(stored.file_path)
                self._signal.notify()
        if stored is None:
            return _json_response(404, _error_payload(ApiError(404, "Not Found")))
        return Response(stored.content, media_type=stored.mime_type or "application/octet-stream")

    def _record_call(
        self, name: str, params: JsonDict, files: dict[str, UploadedFile], http_method: str
    ) -> ApiCall:
        call = ApiCall(name, params, files, time.monotonic(), http_method)
        with self._lock:
            self._calls.append(call)
            self._signal.notify()
        return call

    def _finish(self, call: ApiCall, status: int, payload: JsonDict) -> Response:
        with self._lock:
            call.status = status
            call.result = copy.deepcopy(payload.get("result"))
            call.description = payload.get("description") if status != 200 else None
            response = _json_response(status, payload)
            self._signal.notify()
        return response

    def _injected_delay(self, name: str) -> _Delay | None:
        with self._lock:
            queued = self._delays.get(name)
            if queued:
                return queued.pop(0)
            if self._random_delay is not None and self._random_delay.applies(name):
                return self._random_delay.draw()
        return None

    def _raise_injected_failure(self, name: str) -> None:
        with self._lock:
            queued = self._failures.get(name)
            failure = queued.pop(0) if queued else None
            if failure is None and self._random_failure is not None and name != "getUpdates":
                failure = self._random_failure.draw()
        if failure is not None:
            raise ApiError(failure.status, failure.description, failure.parameters)

    def _method_table(self) -> dict[str, tuple[str, Callable[[_Req], Any]]]:
        handlers: dict[str, Callable[[_Req], Any]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getFile": self._get_file,
            "close": lambda req: True,
            "logOut": lambda req: True,
        }
        return {name.lower(): (name, handler) for name, handler in handlers.items()}

    def _canonical(self, method: str) -> str:
        entry = self._methods.get(method.lower())
        if entry is None:
            raise ValueError(f"the fake does not implement Bot API method {method!r}")
        return entry[0]

    # -- updates: polling and webhook ------------------------------------------------------

    async def _get_updates(self, req: _Req) -> list[JsonDict]:
        params = req.params
        with self._lock:
            if self._webhook is not None:
                raise ApiError(409, WEBHOOK_ACTIVE)
            limit = min(max(int(params.get("limit") or 100), 1), 100)
            timeout = max(float(params.get("timeout") or 0), 0.0)
            self._confirm(int(params.get("offset") or 0))
            if "allowed_updates" in params:
                self._allowed_updates = list(params["allowed_updates"] or []) or None
            self._poll_generation += 1
            generation = self._poll_generation
            self._pending_polls += 1
            self._signal.notify()
        try:
            outcome = await self._signal.wait_async(
                lambda: self._poll_outcome(generation, limit), timeout
            )
        finally:
            with self._lock:
                self._pending_polls -= 1
                self._signal.notify()
        if outcome == "conflict":
            raise ApiError(409, GET_UPDATES_CONFLICT)
        return outcome if isinstance(outcome, list) else []

    def _poll_outcome(self, generation: int, limit: int) -> list[JsonDict] | str:
        if self._closing:
            return "closing"
        if generation != self._poll_generation:
            return "conflict"
        return [update for update in self._queue if self._is_allowed(update)][:limit]

    def _confirm(self, offset: int) -> None:
        """Telegram's offset: a positive one confirms every id below it; -N keeps the last N."""
        if offset > 0:
            self._queue = [u for u in self._queue if u["update_id"] >= offset]
        elif offset < 0:
            self._queue = self._queue[offset:]

    def _is_allowed(self, update: JsonDict) -> bool:
        kind = next(key for key in update if key != "update_id")
        if self._allowed_updates is None:
            return kind not in DEFAULT_EXCLUDED_UPDATES
        return kind in self._allowed_updates

    def _set_webhook(self, req: _Req) -> bool:
        params = req.params
        url = params.get("url") or ""
        secret = params.get("secret_token")
        max_connections = int(params.get("max_connections") or 40)
        if url and not re.match(r"^https?://[^/\s]+", str(url)):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad_request("secret token contains unallowed characters")
        if not 1 <= max_connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        if params.get("drop_pending_updates") is True:
            self._queue.clear()
        if "allowed_updates" in params:
            self._allowed_updates = list(params["allowed_updates"] or []) or None
        self._webhook = None
        if url:
            self._webhook = {
                "url": url,
                "secret_token": secret,
                "max_connections": max_connections,
                "has_custom_certificate": "certificate" in req.files,
                "ip_address": params.get("ip_address"),
            }
        self._signal.notify()
        return True

    def _delete_webhook(self, req: _Req) -> bool:
        if req.params.get("drop_pending_updates") is True:
            self._queue.clear()
        self._webhook = None
        self._signal.notify()
        return True

    def _get_webhook_info(self, req: _Req) -> JsonDict:
        info: JsonDict = {"url": "", "has_custom_certificate": False}
        if self._webhook is not None:
            info["url"] = self._webhook["url"]
            info["has_custom_certificate"] = self._webhook["has_custom_certificate"]
            info["max_connections"] = self._webhook["max_connections"]
            for key in ("ip_address", "last_error_date", "last_error_message"):
                if self._webhook.get(key) is not None:
                    info[key] = self._webhook[key]
        info["pending_update_count"] = len(self._queue)
        if self._allowed_updates is not None:
            info["allowed_updates"] = list(self._allowed_updates)
        return info

    def _prepare_delivery(self, url: str | None, update_id: int | None) -> tuple[str, int, bytes]:
        with self._lock:
            target = url or (self._webhook or {}).get("url")
            if not target:
                raise RuntimeError("no url given and no webhook set")
            queued = [u for u in self._queue if update_id in (None, u["update_id"])]
            if not queued:
                raise LookupError(
                    f"update {update_id} is not queued (pending: {self.pending_update_ids()})"
                )
            return (
                target,
                queued[0]["update_id"],
                json.dumps(queued[0], ensure_ascii=False).encode(),
            )

    def _delivery_done(self, update_id: int, response: httpx.Response) -> None:
        if response.is_success:
            self._webhook_reply(response)
        with self._lock:
            if response.is_success:
                self._queue = [u for u in self._queue if u["update_id"] != update_id]
            elif self._webhook is not None:
                self._webhook["last_error_date"] = int(self._clock())
                status = f"{response.status_code} {response.reason_phrase}"
                self._webhook["last_error_message"] = f"Wrong response from the webhook: {status}"
            self._signal.notify()

    def _webhook_reply(self, response: httpx.Response) -> None:
        """Telegram runs a method given in the webhook's answer (and tells nobody how it went);
        recorded as a call with ``http_method="WEBHOOK"``."""
        if "json" not in response.headers.get("content-type", ""):
            return
        params = dict(response.json())
        entry = self._methods.get(str(params.pop("method", "")).lower())
        if entry is None:
            return
        name, handler = entry
        call = self._record_call(name, params, {}, "WEBHOOK")
        try:
            with self._lock:
                result = handler(_Req(params, {}))
        except (ApiError, TypeError, ValueError):
            self._finish(call, 400, {"ok": False})
            return
        self._finish(call, 200, {"ok": True, "result": result})

    @staticmethod
    def _webhook_headers(secret: str | None) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return headers

    def deliver(
        self,
        url: str | None = None,
        update_id: int | None = None,
        *,
        secret: str | None = None,
        timeout: float = 30.0,
    ) -> httpx.Response:
        """POST a queued update (default: the oldest) to the webhook like Telegram does.

        A 2xx answer removes it from the queue; anything else leaves it queued. ``url``
        defaults to the URL from setWebhook. Blocking: from a coroutine use ``adeliver``.
        """
        target, delivered_id, body = self._prepare_delivery(url, update_id)
        response = httpx.post(
            target, content=body, headers=self._webhook_headers(secret), timeout=timeout
        )
        self._delivery_done(delivered_id, response)
        return response

    async def adeliver(
        self,
        url: str | None = None,
        update_id: int | None = None,
        *,
        secret: str | None = None,
        timeout: float = 30.0,
        client: httpx.AsyncClient | None = None,
    ) -> httpx.Response:
        """``deliver`` for async tests (does not block the event loop the bot may run on);
        ``client``: reuse one (and its connections) instead of opening one per delivery."""
        target, delivered_id, body = self._prepare_delivery(url, update_id)
        headers = self._webhook_headers(secret)
        if client is not None:
            response = await client.post(target, content=body, headers=headers, timeout=timeout)
        else:
            async with httpx.AsyncClient(timeout=timeout) as own:
                response = await own.post(target, content=body, headers=headers)
        self._delivery_done(delivered_id, response)
        return response

    # -- Bot API methods (called with the lock held) ---------------------------------------

    def _get_me(self, req: _Req) -> JsonDict:
        return {
            **self._bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _target_chat(self, params: JsonDict) -> int:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        if chat_id not in self._chats:
            if self.strict_chats:
                raise bad_request("chat not found")
            self._chats[chat_id] = {"id": chat_id, "first_name": "User", "type": "private"}
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _message_text(self, params: JsonDict) -> tuple[str, list[JsonDict]]:
        text = params.get("text")
        if text is None or text == "":
            raise bad_request("message text is empty")
        plain, entities = format_text(str(text), params.get("parse_mode"), params.get("entities"))
        if not plain:
            raise bad_request("message text is empty")
        if len(plain) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        return plain, entities

    def _caption(self, params: JsonDict) -> JsonDict:
        caption = params.get("caption")
        if not caption:
            return {}
        plain, entities = format_text(
            str(caption), params.get("parse_mode"), params.get("caption_entities")
        )
        if len(plain) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        content: JsonDict = {"caption": plain} if plain else {}
        if entities:
            content["caption_entities"] = entities
        return content

    def _replied_message(self, chat_id: int, params: JsonDict) -> JsonDict | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message_id, allow = reply.get("message_id"), reply.get("allow_sending_without_reply")
        elif params.get("reply_to_message_id") is not None:
            message_id = params["reply_to_message_id"]
            allow = params.get("allow_sending_without_reply")
        else:
            return None
        record = self._records.get((chat_id, int(message_id)))
        if record is None or record.deleted:
            if allow:
                return None
            raise bad_request("message to be replied not found")
        return {key: value for key, value in record.json.items() if key != "reply_to_message"}

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _add_record(self, record: _Record) -> None:
        self._records[(record.chat_id, record.message_id)] = record
        self._chat_records.setdefault(record.chat_id, []).append(record)
        self._signal.notify()

    def _store_bot_message(
        self, req: _Req, content: JsonDict, files: dict[str, StoredFile] | None = None
    ) -> JsonDict:
        """Validate the common send parameters, store the message and return its JSON."""
        chat_id = self._target_chat(req.params)
        markup = validate_reply_markup(req.params.get("reply_markup"))
        replied = self._replied_message(chat_id, req.params)
        message_id = self._next_message_id(chat_id)
        message: JsonDict = {
            "message_id": message_id,
            "from": self._bot_user,
            "chat": self._chats[chat_id],
            "date": int(self._clock()),
            **content,
        }
        if replied is not None:
            message["reply_to_message"] = replied
        if _inline_only(markup) is not None:
            message["reply_markup"] = markup
        keyboard = None if _inline_only(markup) else markup
        self._add_record(_Record(chat_id, message_id, True, message, dict(files or {}), keyboard))
        return message

    def _send_message(self, req: _Req) -> JsonDict:
        self._target_chat(req.params)
        text, entities = self._message_text(req.params)
        content: JsonDict = {"text": text}
        if entities:
            content["entities"] = entities
        if isinstance(req.params.get("link_preview_options"), dict):
            content["link_preview_options"] = req.params["link_preview_options"]
        return self._store_bot_message(req, content)

    def _message_to_change(self, params: JsonDict, verb: str) -> _Record:
        if params.get("inline_message_id") is not None:
            raise bad_request("MESSAGE_ID_INVALID")
        chat_id = self._target_chat(params)
        if params.get("message_id") is None:
            raise bad_request("message identifier is not specified")
        record = self._records.get((chat_id, int(params["message_id"])))
        if record is None or record.deleted:
            raise bad_request(f"message to {verb} not found")
        if verb == "edit" and not record.from_bot:
            raise bad_request("message can't be edited")
        return record

    def _replace_message(self, record: _Record, changes: JsonDict) -> JsonDict:
        """Store an edited version; keys mapped to None are removed."""
        message = {key: value for key, value in record.json.items() if key not in changes}
        message.update({key: value for key, value in changes.items() if value is not None})
        message["edit_date"] = int(self._clock())
        record.json = message
        self._signal.notify()
        return message

    def _edit_message_text(self, req: _Req) -> JsonDict:
        record = self._message_to_change(req.params, "edit")
        if "text" not in record.json:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._message_text(req.params)
        markup = _inline_only(validate_reply_markup(req.params.get("reply_markup")))
        current = record.json
        if (text, entities, markup) == (
            current["text"],
            current.get("entities", []),
            current.get("reply_markup"),
        ):
            raise bad_request(NOT_MODIFIED)
        changes = {"text": text, "entities": entities or None, "reply_markup": markup}
        return self._replace_message(record, changes)

    def _edit_message_reply_markup(self, req: _Req) -> JsonDict:
        record = self._message_to_change(req.params, "edit")
        markup = _inline_only(validate_reply_markup(req.params.get("reply_markup")))
        if markup == record.json.get("reply_markup"):
            raise bad_request(NOT_MODIFIED)
        return self._replace_message(record, {"reply_markup": markup})

    def _delete_message(self, req: _Req) -> bool:
        record = self._message_to_change(req.params, "delete")
        record.deleted = True
        self._signal.notify()
        return True

    def _answer_callback_query(self, req: _Req) -> bool:
        callback = self._callbacks.get(str(req.params.get("callback_query_id") or ""))
        if callback is None or callback.answer is not None:
            raise bad_request(CALLBACK_TOO_OLD)
        text = req.params.get("text")
        if text is not None and len(str(text)) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        callback.answer = {
            "text": text,
            "show_alert": bool(req.params.get("show_alert", False)),
            "url": req.params.get("url"),
        }
        self._signal.notify()
        return True

    def _register_file(
        self,
        kind: str,
        content: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        file_size: int | None = None,
        file_id: str | None = None,
        width: int = 0,
        height: int = 0,
    ) -> StoredFile:
        number = next(self._file_counter)
        prefix = {"document": "BQACAgIAAxkB", "photo": "AgACAgIAAxkB", "voice": "AwACAgIAAxkB"}
        extension = {"photo": ".jpg", "voice": ".oga", "sticker": ".webp"}.get(kind, "")
        if file_name and "." in file_name:
            extension = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=file_id or f"{prefix.get(kind, 'CAACAgIAAxkB')}{number:08d}_{kind}",
            file_unique_id=f"AQAD{number:06d}",
            kind=kind,
            file_path=f"{kind}s/file_{number}{extension or ''}",
            content=content,
            file_size=len(content) if file_size is None else file_size,
            file_name=file_name,
            mime_type=mime_type,
            width=width,
            height=height,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _register_photo(
        self, content: bytes, file_size: int, file_id: str | None
    ) -> list[StoredFile]:
        """Telegram stores a photo in several sizes, smallest first."""
        sizes = [(90, 67, max(file_size // 40, 1)), (320, 240, max(file_size // 4, 1))]
        photos = [
            self._register_file("photo", _fake_bytes(size, f"thumb{w}"), width=w, height=h)
            for w, h, size in sizes
        ]
        photos.append(
            self._register_file(
                "photo", content, file_size=file_size, file_id=file_id, width=1280, height=960
            )
        )
        for photo in photos:
            self._photo_sets[photo.file_id] = photos
        return photos

    def _input_file(self, req: _Req, name: str) -> tuple[UploadedFile | None, StoredFile | None]:
        """The uploaded part for parameter ``name``, or the known file its value refers to."""
        value = req.params.get(name)
        upload = req.files.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = req.files.get(value.removeprefix("attach://"))
        if upload is not None:
            if not upload.content:
                raise bad_request("file must be non-empty")
            return upload, None
        if not value:
            raise bad_request(f"there is no {name} in the request")
        if str(value) in self._files:
            return None, self._files[str(value)]
        if str(value).startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _send_document(self, req: _Req) -> JsonDict:
        self._target_chat(req.params)
        caption = self._caption(req.params)
        upload, known = self._input_file(req, "document")
        if upload is not None:
            mime_type = upload.content_type
            if mime_type == "application/octet-stream":
                mime_type = mimetypes.guess_type(upload.filename)[0] or mime_type
            known = self._register_file(
                "document", upload.content, file_name=upload.filename, mime_type=mime_type
            )
        assert known is not None
        if known.kind != "document":
            raise bad_request(f"can't use file of type {known.kind.title()} as Document")
        return self._store_bot_message(
            req, {"document": known.as_document(), **caption}, {"document": known}
        )

    def _send_photo(self, req: _Req) -> JsonDict:
        self._target_chat(req.params)
        caption = self._caption(req.params)
        upload, known = self._input_file(req, "photo")
        if upload is not None:
            photos = self._register_photo(upload.content, len(upload.content), None)
        elif known is not None and known.file_id in self._photo_sets:
            photos = self._photo_sets[known.file_id]
        else:
            raise bad_request("can't use file of type Document as Photo")
        content = {"photo": [photo.as_photo_size() for photo in photos], **caption}
        return self._store_bot_message(req, content, {"photo": photos[-1]})

    def _send_chat_action(self, req: _Req) -> bool:
        self._target_chat(req.params)
        if req.params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    @staticmethod
    def _command_key(params: JsonDict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise bad_request("can't parse BotCommandScope JSON object")
        language = params.get("language_code") or ""
        if not re.fullmatch(r"([a-z]{2})?", str(language)):
            raise bad_request("invalid language code specified")
        return json.dumps(scope, sort_keys=True), str(language)

    def _set_my_commands(self, req: _Req) -> bool:
        commands = req.params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not re.fullmatch(
                r"[a-z0-9_]{1,32}", str(command.get("command"))
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description") or "")) <= 256:
                raise bad_request("command description must be 1-256 characters long")
        key = self._command_key(req.params)
        self._commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        if not commands:
            del self._commands[key]
        self._signal.notify()
        return True

    def _get_my_commands(self, req: _Req) -> list[JsonDict]:
        return copy.deepcopy(self._commands.get(self._command_key(req.params), []))

    def _delete_my_commands(self, req: _Req) -> bool:
        self._commands.pop(self._command_key(req.params), None)
        self._signal.notify()
        return True

    def _get_file(self, req: _Req) -> JsonDict:
        stored = self._files.get(str(req.params.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.file_size > MAX_DOWNLOAD_SIZE:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    # -- test side: simulate users -----------------------------------------------------------

    def _enqueue(self, update: JsonDict) -> int:
        if "update_id" not in update:
            update = {"update_id": self._next_update_id, **update}
        update_id = int(update["update_id"])
        self._next_update_id = max(self._next_update_id, update_id + 1)
        self._history[update_id] = update
        if all(queued["update_id"] != update_id for queued in self._queue):
            bisect.insort(self._queue, update, key=lambda u: u["update_id"])
        self._signal.notify()
        return update_id

    def _remember_user(
        self, user_id: int, first_name: str | None, language_code: str | None
    ) -> JsonDict:
        """None keeps what the fake remembers of the user (new users: "Tester", "ko");
        ``language_code=""`` removes it, like a user whose client does not send one."""
        known = self._users.get(user_id)
        user: JsonDict = dict(
            known or {"id": user_id, "is_bot": False, "first_name": "Tester", "language_code": "ko"}
        )
        if first_name is not None:
            user["first_name"] = first_name
        if language_code == "":
            user.pop("language_code", None)
        elif language_code is not None:
            user["language_code"] = language_code
        self._users[user_id] = user
        return user

    def _remember_chat(self, user: JsonDict, chat_type: str, chat_id: int | None) -> JsonDict:
        if chat_type == "private":
            chat = _private_chat(user) | ({"id": chat_id} if chat_id is not None else {})
        else:
            default_id = int(f"-100{user['id']}") if chat_type == "supergroup" else -user["id"]
            chat = {
                "id": chat_id if chat_id is not None else default_id,
                "title": "Test group",
                "type": chat_type,
            }
        self._chats[chat["id"]] = chat
        return chat

    def _push_user_message(
        self,
        user_id: int,
        content: JsonDict,
        *,
        first_name: str | None = None,
        language_code: str | None = None,
        chat_type: str = "private",
        chat_id: int | None = None,
        files: dict[str, StoredFile] | None = None,
    ) -> int:
        with self._lock:
            user = self._remember_user(user_id, first_name, language_code)
            chat = self._remember_chat(user, chat_type, chat_id)
            message_id = self._next_message_id(chat["id"])
            message = {
                "message_id": message_id,
                "from": user,
                "chat": chat,
                "date": int(self._clock()),
                **content,
            }
            self._add_record(_Record(chat["id"], message_id, False, message, dict(files or {})))
            return self._enqueue({"message": message})

    def push_message(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str | None = None,
        language_code: str | None = None,
        chat_type: str = "private",
        chat_id: int | None = None,
    ) -> int:
        """A user sends ``text``; commands get their ``bot_command`` entities. Returns update_id."""
        content: JsonDict = {"text": text}
        if entities := command_entities(text):
            content["entities"] = entities
        return self._push_user_message(
            user_id,
            content,
            first_name=first_name,
            language_code=language_code,
            chat_type=chat_type,
            chat_id=chat_id,
        )

    def push_callback(
        self,
        user_id: int,
        message_id: int,
        data: str,
        *,
        chat_id: int | None = None,
        language_code: str | None = None,
    ) -> int:
        """The user presses a button on ``message_id`` (as that message is stored now)."""
        with self._lock:
            target_chat = user_id if chat_id is None else chat_id
            record = self._records.get((target_chat, message_id))
            if record is None or record.deleted:
                raise LookupError(f"no message {message_id} in chat {target_chat}")
            query_id = str(next(self._callback_counter))
            query = {
                "id": query_id,
                "from": self._remember_user(user_id, None, language_code),
                "message": record.json,
                "chat_instance": str((target_chat * 2654435761) % 10**19),
                "data": data,
            }
            update_id = self._enqueue({"callback_query": query})
            self._callbacks[query_id] = _Callback(update_id)
            return update_id

    def push_photo(
        self,
        user_id: int,
        *,
        file_id: str | None = None,
        file_size: int = 12345,
        caption: str | None = None,
        content: bytes | None = None,
        language_code: str | None = None,
    ) -> int:
        """The user sends a photo (three PhotoSize entries, smallest first)."""
        with self._lock:
            data = content if content is not None else _fake_bytes(file_size, "photo")
            photos = self._register_photo(
                data, len(data) if content is not None else file_size, file_id
            )
            message: JsonDict = {"photo": [photo.as_photo_size() for photo in photos]}
            if caption:
                message["caption"] = caption
            return self._push_user_message(
                user_id, message, language_code=language_code, files={"photo": photos[-1]}
            )

    def push_document(
        self,
        user_id: int,
        *,
        file_name: str = "receipt.pdf",
        mime_type: str = "application/pdf",
        file_size: int | None = None,
        content: bytes | None = None,
        caption: str | None = None,
        language_code: str | None = None,
    ) -> int:
        """The user uploads a document. Without ``content`` fake bytes of ``file_size`` are made
        (default 23456); a declared ``file_size`` over 20 MB makes getFile say "file is too big"."""
        with self._lock:
            data = content if content is not None else _fake_bytes(file_size or 23456, file_name)
            stored = self._register_file(
                "document",
                data,
                file_name=file_name,
                mime_type=mime_type,
                file_size=file_size if file_size is not None else len(data),
            )
            message: JsonDict = {"document": stored.as_document()}
            if caption:
                message["caption"] = caption
            return self._push_user_message(
                user_id, message, language_code=language_code, files={"document": stored}
            )

    def push_sticker(self, user_id: int, *, emoji: str = "👍") -> int:
        with self._lock:
            stored = self._register_file(
                "sticker", _fake_bytes(2048, "sticker"), mime_type="image/webp"
            )
            sticker = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": emoji,
                "file_size": stored.file_size,
            }
            return self._push_user_message(user_id, {"sticker": sticker})

    def push_voice(self, user_id: int, *, duration: int = 3, file_size: int = 4567) -> int:
        with self._lock:
            stored = self._register_file(
                "voice", _fake_bytes(file_size, "voice"), mime_type="audio/ogg"
            )
            voice = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "duration": duration,
                "mime_type": "audio/ogg",
                "file_size": stored.file_size,
            }
            return self._push_user_message(user_id, {"voice": voice})

    def push_location(
        self, user_id: int, *, latitude: float = 37.5665, longitude: float = 126.978
    ) -> int:
        return self._push_user_message(
            user_id, {"location": {"latitude": latitude, "longitude": longitude}}
        )

    def push_raw(self, update: JsonDict) -> int:
        """Queue an update as given (an update_id is added when missing); its chat becomes known."""
        with self._lock:
            update = copy.deepcopy(update)
            for value in update.values():
                if isinstance(value, dict):
                    message = value.get("message", value)
                    if isinstance(message, dict) and isinstance(message.get("chat"), dict):
                        self._chats.setdefault(message["chat"]["id"], message["chat"])
            return self._enqueue(update)

    def redeliver(self, update_id: int) -> None:
        """Put an update back in the queue, as Telegram does when it was never confirmed.

        Note: a bot that polls with an offset above ``update_id`` confirms it again at once;
        a restarted PTB Updater (offset 0) receives it.
        """
        with self._lock:
            if update_id not in self._history:
                raise LookupError(f"unknown update {update_id}")
            self._enqueue(self._history[update_id])

    def add_chat(
        self, user_id: int, *, first_name: str | None = None, language_code: str | None = None
    ) -> None:
        """Make a private chat known without a message (e.g. for reminders in a fresh fake)."""
        with self._lock:
            self._remember_chat(
                self._remember_user(user_id, first_name, language_code), "private", None
            )

    def block_bot(self, user_id: int, blocked: bool = True) -> None:
        """The user blocks (or unblocks) the bot: sends get 403 "bot was blocked by the user"."""
        with self._lock:
            (self._blocked.add if blocked else self._blocked.discard)(user_id)

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        description: str | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """The next ``times`` calls of ``method`` fail with Telegram's error JSON.

        A 429 carries ``"parameters": {"retry_after": N}`` and, by default, the description
        "Too Many Requests: retry after N"; other statuses default to the HTTP reason phrase."""
        name = self._canonical(method)
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if status == 429
                else HTTPStatus(status).phrase
            )
        parameters = {"retry_after": retry_after} if status == 429 else None
        with self._lock:
            self._failures.setdefault(name, []).extend(
                [_Failure(status, description, parameters)] * times
            )

    def delay_next(
        self, method: str, seconds: float, *, times: int = 1, before: bool = False
    ) -> None:
        """The next ``times`` calls of ``method`` answer ``seconds`` late (past a client's
        read timeout, the client gives up). By default the call is carried out at once and
        only its answer is late, as with a Bot API slow under load; ``before=True`` holds
        the call itself back first (it still takes effect, late)."""
        name = self._canonical(method)
        with self._lock:
            self._delays.setdefault(name, []).extend([_Delay(seconds, before)] * times)

    def delay_randomly(
        self,
        share: float,
        seconds: float,
        *,
        methods: tuple[str, ...] = (),
        seed: int = 0,
    ) -> None:
        """From now on, a ``share`` (0..1) of the calls of ``methods`` (default: every method
        but getUpdates) answer ``seconds`` late, drawn with a fixed ``seed``; 0 stops it."""
        with self._lock:
            if share <= 0:
                self._random_delay = None
                return
            names = frozenset(self._canonical(m) for m in methods)
            self._random_delay = _RandomDelay(share, seconds, names, random.Random(seed))

    def fail_randomly(
        self, share: float, statuses: tuple[int, ...] = (429, 500, 502), *, seed: int = 0
    ) -> None:
        """From now on a ``share`` of the calls (getUpdates aside) fail before they take
        effect, with a status drawn from ``statuses`` (a 429 asks to retry after 1 s); 0
        stops it."""
        with self._lock:
            self._random_failure = (
                _RandomFailure(share, statuses, random.Random(seed)) if share > 0 else None
            )

    # -- test side: inspection ---------------------------------------------------------------

    @property
    def bot_user(self) -> JsonDict:
        return dict(self._bot_user)

    @property
    def calls(self) -> list[ApiCall]:
        with self._lock:
            return list(self._calls)

    def calls_of(self, method: str) -> list[ApiCall]:
        name = self._canonical(method)
        with self._lock:
            return [call for call in self._calls if call.method == name]

    @property
    def pending_polls(self) -> int:
        """getUpdates requests currently waiting (long polls)."""
        with self._lock:
            return self._pending_polls

    @property
    def webhook_url(self) -> str | None:
        with self._lock:
            return (self._webhook or {}).get("url")

    @property
    def webhook_secret(self) -> str | None:
        with self._lock:
            return (self._webhook or {}).get("secret_token")

    @property
    def downloads(self) -> list[str]:
        """file_paths the bot downloaded, in order."""
        with self._lock:
            return list(self._downloads)

    def pending_update_ids(self) -> list[int]:
        with self._lock:
            return [update["update_id"] for update in self._queue]

    def update(self, update_id: int) -> JsonDict:
        with self._lock:
            return copy.deepcopy(self._history[update_id])

    def chat(self, chat_id: int) -> list[ChatMessage]:
        """The chat as the user sees it now: bot and user messages in order, deleted ones gone."""
        with self._lock:
            return [r.view() for r in self._chat_records.get(chat_id, []) if not r.deleted]

    def bot_messages(self, chat_id: int) -> list[ChatMessage]:
        return [message for message in self.chat(chat_id) if message.from_bot]

    def last_bot_message(self, chat_id: int) -> ChatMessage | None:
        messages = self.bot_messages(chat_id)
        return messages[-1] if messages else None

    def callback_answer(self, update_id: int) -> JsonDict | None:
        """How the bot answered the callback query of ``update_id`` (None: not answered yet)."""
        with self._lock:
            for callback in self._callbacks.values():
                if callback.update_id == update_id:
                    return copy.deepcopy(callback.answer)
        raise LookupError(f"update {update_id} is not a pushed callback query")

    def commands(self, *, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        with self._lock:
            key = self._command_key({"scope": scope, "language_code": language_code})
            return copy.deepcopy(self._commands.get(key, []))

    def file(self, file_id: str) -> StoredFile:
        with self._lock:
            return self._files[file_id]

    def add_file(
        self, kind: str, content: bytes, *, file_name: str | None = None,
        mime_type: str | None = None,
    ) -> StoredFile:  # fmt: skip
        """A file Telegram holds, as if a user had sent it earlier: getFile and the file
        download serve it."""
        with self._lock:
            return self._register_file(kind, content, file_name=file_name, mime_type=mime_type)

    # -- test side: waiting ------------------------------------------------------------------

    def wait_for(self, predicate: Callable[..., T], timeout: float = 30.0) -> T:
        """Block until ``predicate()`` (or ``predicate(fake)``) is truthy; return its value.

        LookupError/AttributeError inside the predicate count as "not yet". On timeout an
        AssertionError shows the recent Bot API calls, pending updates and chats."""
        return self._wait(_Check(predicate, self), timeout)

    async def await_for(self, predicate: Callable[..., T], timeout: float = 30.0) -> T:
        """``wait_for`` without blocking the running event loop."""
        return await self._await(_Check(predicate, self), timeout)

    def wait_for_bot_message(
        self,
        chat_id: int,
        count: int | None = None,
        text_contains: str | None = None,
        timeout: float = 30.0,
    ) -> ChatMessage:
        """With ``count``: the count-th bot message in the chat (1-based), once it exists (and
        contains ``text_contains``). Without: the latest bot message containing the text."""
        return self._wait(self._bot_message_check(chat_id, count, text_contains), timeout)

    async def await_bot_message(
        self,
        chat_id: int,
        count: int | None = None,
        text_contains: str | None = None,
        timeout: float = 30.0,
    ) -> ChatMessage:
        """``wait_for_bot_message`` without blocking the running event loop."""
        return await self._await(self._bot_message_check(chat_id, count, text_contains), timeout)

    def _wait(self, check: _Check, timeout: float) -> Any:
        result = self._signal.wait(check, timeout)
        if not result:
            raise AssertionError(self._timeout_report(check, timeout))
        return result

    async def _await(self, check: _Check, timeout: float) -> Any:
        result = await self._signal.wait_async(check, timeout)
        if not result:
            raise AssertionError(self._timeout_report(check, timeout))
        return result

    def _bot_message_check(
        self, chat_id: int, count: int | None, text_contains: str | None
    ) -> _Check:
        def find() -> ChatMessage | None:
            messages = self.bot_messages(chat_id)
            candidates = messages[count - 1 : count] if count is not None else messages[::-1]
            for message in candidates:
                if text_contains is None or text_contains in message.content:
                    return message
            return None

        wanted = f"bot message #{count}" if count is not None else "a bot message"
        if text_contains is not None:
            wanted += f" containing {text_contains!r}"
        return _Check(find, self, f"{wanted} in chat {chat_id}")

    def _timeout_report(self, check: _Check, timeout: float) -> str:
        with self._lock:
            lines = [
                f"FakeBotApi: nothing satisfied this within {timeout:.1f}s:",
                f"    {check.describe()}",
            ]
            if check.error is not None:
                lines.append(f"  last error inside the predicate: {check.error!r}")
            lines.append(f"  pending updates: {self.pending_update_ids()}")
            lines.append(f"  last {min(len(self._calls), 25)} of {len(self._calls)} Bot API calls:")
            lines += [f"    {call.summary(self._origin)}" for call in self._calls[-25:]]
            for chat_id, records in self._chat_records.items():
                lines.append(f"  chat {chat_id}:")
                for record in records[-8:]:
                    view = record.view()
                    who = "bot " if view.from_bot else "user"
                    gone = " (deleted)" if record.deleted else ""
                    text = view.content.replace("\n", " ")[:80]
                    buttons = f" {view.button_texts()}" if view.buttons else ""
                    lines.append(f"    #{view.message_id} {who}: {text!r}{buttons}{gone}")
        return "\n".join(lines)
