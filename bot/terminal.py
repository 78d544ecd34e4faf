"""The terminal chat: the same interview as Telegram, typed at a prompt."""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from typing import TextIO

from bot.input_text import is_readable, unreadable_note
from bot.intake import IntakeService, Reply
from flows import (
    ChooseMany,
    ChooseOne,
    Confirm,
    Info,
    Prompt,
    Summary,
    Text,
    TypedText,
    Upload,
    UploadFiles,
    UserInput,
    message,
)
from flows.messages import MESSAGES, instruction
from flows.typed import is_word

CHANNEL = "terminal"
COMMAND_VARIABLE = "COMPLAINTBOT_CHAT_COMMAND"
"""How the claimant started the chat, to tell them how to continue: ``./dev`` sets it to
``./dev chat``; otherwise the installed ``complaintbot chat``."""


def chat_command() -> str:
    return os.environ.get(COMMAND_VARIABLE) or "complaintbot chat"


def word(key: str, lang: str, **params: object) -> str:
    """The sentence ``terminal.<key>`` (or the every-channel ``chat.<key>``) in ``lang``."""
    code = f"terminal.{key}" if f"terminal.{key}" in MESSAGES else f"chat.{key}"
    return message(code, lang, **params)


def render(prompt: Prompt) -> str:
    """A prompt as terminal text: the question, numbered options, and what can be typed."""
    lang = prompt.language
    lines = [prompt.text]
    if prompt.help:
        lines.append(f"  ({prompt.help})")
    match prompt:
        case ChooseOne(options=options) | ChooseMany(options=options) | Confirm(options=options):
            for n, option in enumerate(options, start=1):
                mark = "[x] " if option.selected else ""
                lines.append(f"  {n}. {mark}{option.label}")
        case Summary(summary=summary):
            for n, line in enumerate(summary, start=1):
                lines.append(f"  {n}. {line.label}: {line.value}")
    match prompt:
        case Summary():
            lines.append(word("confirm", lang))
        case Confirm():
            lines.append(word("yes_no", lang))
        case ChooseMany():
            lines.append(word("multi", lang))
        case UploadFiles():
            lines.append(word("file", lang))
        case Info():
            lines.append(word("info", lang))
        case TypedText(hint=hint) if hint:
            lines.append(f"  {hint}")
    return "\n".join(lines)


def parse_line(line: str, prompt: Prompt) -> UserInput | None:
    """What a typed line means at ``prompt``; None means quit (continue later). Words like
    "back" or "수정 2" are the engine's to read: they go on as typed text."""
    text = line.strip()
    if is_word(text, "quit"):
        return None
    if prompt.widget == "upload" and text and Path(text).expanduser().is_file():
        return _upload(Path(text).expanduser())
    return Text(text)


def _upload(path: Path) -> Upload:
    mime, _ = mimetypes.guess_type(path.name)
    kind = "photo" if (mime or "").startswith("image/") else "document"
    return Upload(
        file_id=f"file://{path.resolve()}",
        kind=kind,
        size=path.stat().st_size,
        name=path.name,
        mime_type=mime,
    )


def run_chat(
    intake: IntakeService,
    user_key: str,
    *,
    language: str | None,
    flow_id: str | None,
    stdin: TextIO,
    stdout: TextIO,
) -> int:
    """Run one interview (resuming an open one) until it ends or the claimant quits."""
    reply = intake.begin(
        CHANNEL,
        user_key,
        language=language,
        flow_id=flow_id,
        language_known=language is not None,
        buttons=False,  # everything is typed here: the interview says "type", not "press"
    )
    prompt = reply.prompt
    if prompt is None:
        return 1
    lang = prompt.language
    if reply.resumed:
        print(word("resumed", lang), file=stdout)
    print(word("commands", lang), file=stdout)
    try:
        return _chat_loop(intake, user_key, prompt, stdin=stdin, stdout=stdout)
    except KeyboardInterrupt:  # Ctrl-C: every answer taken so far is stored already
        print("\n" + word("saved", lang, command=chat_command()), file=stdout)
        return 130


def _chat_loop(
    intake: IntakeService, user_key: str, prompt: Prompt, *, stdin: TextIO, stdout: TextIO
) -> int:
    while True:
        print("\n" + render(prompt), file=stdout)
        stdout.write("> ")
        stdout.flush()
        line = stdin.readline()
        if not is_readable(line):
            print(f"! {unreadable_note(prompt.language)}", file=stdout)
            continue
        if is_word(line, "mydata"):  # what is stored about me; the question stays
            print("\n\n".join(intake.my_data(CHANNEL, user_key, prompt.language)), file=stdout)
            continue
        given = parse_line(line, prompt) if line else None
        if given is None:
            print("\n" + word("saved", prompt.language, command=chat_command()), file=stdout)
            return 0
        reply = intake.handle(CHANNEL, user_key, given, buttons=False)
        typed_path = prompt.widget == "upload" and isinstance(given, Text) and bool(given.text)
        if _show_reply(reply, stdout, typed_path=typed_path):
            return 0
        assert reply.prompt is not None
        prompt = reply.prompt


def _show_reply(reply: Reply, stdout: TextIO, *, typed_path: bool = False) -> bool:
    """Print what happened; True when the interview is over."""
    prompt = reply.prompt
    assert prompt is not None
    if (
        reply.error
        and typed_path
        and reply.error == instruction("file.expected", prompt.language, buttons=False)
    ):
        print(f"! {word('no_file', prompt.language)}", file=stdout)  # a path, not a file
    elif reply.error:
        print(f"! {reply.error}", file=stdout)
    elif reply.outcome and reply.outcome.result == "updated" and isinstance(prompt, UploadFiles):
        print(word("attached", prompt.language, count=prompt.uploads), file=stdout)
    elif reply.outcome and reply.outcome.echo:
        print(f"✓ {reply.outcome.echo}", file=stdout)
    if prompt.is_end:
        print("\n" + prompt.text, file=stdout)
        if reply.case_reference:
            print(word("case_number", prompt.language, reference=reply.case_reference), file=stdout)
        return True
    if reply.outcome and reply.outcome.result == "ignored":
        print(message("finished", prompt.language), file=stdout)
        return True
    return False
