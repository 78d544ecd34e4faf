"""The terminal chat: the same interview as Telegram, typed at a prompt."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.intake import IntakeService, Reply
from flows import Back, Cancel, Done, Edit, Prompt, Skip, Submit, Text, Upload, UserInput, message

CHANNEL = "terminal"

COMMANDS: dict[str, Callable[[], UserInput]] = {
    "back": Back,
    "이전": Back,
    "skip": Skip,
    "건너뛰기": Skip,
    "cancel": Cancel,
    "그만하기": Cancel,
    "취소": Cancel,
    "done": Done,
    "완료": Done,
    "submit": Submit,
    "제출": Submit,
}
QUIT = {"quit", "exit", "종료", "나가기"}
MY_DATA = {"mydata", "내정보"}
EDIT_WORDS = ("edit", "수정")

WORDS = {
    "commands": {
        "ko": "명령: 이전 · 건너뛰기 · 그만하기 · 내정보 · 종료(나중에 이어서 하기)",
        "en": "Commands: back · skip · cancel · mydata · quit (continue later)",
    },
    "confirm": {
        "ko": "맞으면 '제출', 고치려면 '수정 번호' (예: 수정 2)",
        "en": "Type 'submit' if this is right, or 'edit N' to change answer N",
    },
    "multi": {
        "ko": "번호를 쉼표로 구분해 입력 (예: 1,3)",
        "en": "Type numbers separated by commas (e.g. 1,3)",
    },
    "file": {
        "ko": "파일 경로를 입력해 첨부하고, 다 되면 '완료' (또는 '건너뛰기')",
        "en": "Type a file path to attach it, then 'done' (or 'skip')",
    },
    "info": {"ko": "계속하려면 Enter", "en": "Press Enter to continue"},
    "saved": {
        "ko": "저장했습니다. `complaintbot chat`을 다시 실행하면 이어서 진행합니다.",
        "en": "Saved. Run `complaintbot chat` again to continue where you left off.",
    },
    "resumed": {"ko": "진행 중이던 접수를 이어서 합니다.", "en": "Continuing your open report."},
    "case": {"ko": "접수번호: {ref}", "en": "Case number: {ref}"},
    "attached": {"ko": "첨부됨 ({count}개)", "en": "Attached ({count})"},
    "no_file": {"ko": "그 경로에 파일이 없습니다.", "en": "There is no file at that path."},
}


def word(key: str, lang: str, **params: object) -> str:
    texts = WORDS[key]
    return (texts.get(lang) or texts["en"]).format(**params)


def render(prompt: Prompt) -> str:
    """A prompt as terminal text: the question, numbered options, and what can be typed."""
    lang = prompt.language
    lines = [prompt.text]
    if prompt.help:
        lines.append(f"  ({prompt.help})")
    for n, option in enumerate(prompt.options, start=1):
        mark = "[x] " if option.selected else ""
        lines.append(f"  {n}. {mark}{option.label}")
    for n, line in enumerate(prompt.summary, start=1):
        lines.append(f"  {n}. {line.label}: {line.value}")
    if prompt.kind == "confirm":
        lines.append(word("confirm", lang))
    elif prompt.kind == "multi_choice":
        lines.append(word("multi", lang))
    elif prompt.kind == "file":
        lines.append(word("file", lang))
    elif prompt.kind == "info":
        lines.append(word("info", lang))
    elif prompt.hint:
        lines.append(f"  {prompt.hint}")
    return "\n".join(lines)


def parse_line(line: str, prompt: Prompt) -> UserInput | None:
    """What a typed line means at ``prompt``; None means quit (continue later)."""
    text = line.strip()
    lowered = text.casefold()
    if lowered in QUIT:
        return None
    if lowered in COMMANDS:
        return COMMANDS[lowered]()
    if prompt.kind == "confirm":
        for w in EDIT_WORDS:
            number = lowered.removeprefix(w).strip()
            if lowered.startswith(w) and number.isdigit():
                index = int(number) - 1
                if 0 <= index < len(prompt.summary):
                    return Edit(prompt.summary[index].field)
    if prompt.kind == "info" and not text:
        return Done()
    if prompt.kind == "file" and text and Path(text).expanduser().is_file():
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
    reply = intake.begin(CHANNEL, user_key, language=language, flow_id=flow_id)
    prompt = reply.prompt
    if prompt is None:
        return 1
    lang = prompt.language
    if reply.resumed:
        print(word("resumed", lang), file=stdout)
    print(word("commands", lang), file=stdout)
    while True:
        print("\n" + render(prompt), file=stdout)
        stdout.write("> ")
        stdout.flush()
        line = stdin.readline()
        if line.strip().casefold() in MY_DATA:  # what is stored about me; the question stays
            print("\n\n".join(intake.my_data(CHANNEL, user_key, prompt.language)), file=stdout)
            continue
        given = parse_line(line, prompt) if line else None
        if given is None:
            print("\n" + word("saved", prompt.language), file=stdout)
            return 0
        reply = intake.handle(CHANNEL, user_key, given)
        typed_path = prompt.kind == "file" and isinstance(given, Text) and bool(given.text)
        if _show_reply(reply, stdout, typed_path=typed_path):
            return 0
        assert reply.prompt is not None
        prompt = reply.prompt


def _show_reply(reply: Reply, stdout: TextIO, *, typed_path: bool = False) -> bool:
    """Print what happened; True when the interview is over."""
    prompt = reply.prompt
    assert prompt is not None
    if reply.error and typed_path and reply.error == message("file.expected", prompt.language):
        print(f"! {word('no_file', prompt.language)}", file=stdout)  # a path, not a file
    elif reply.error:
        print(f"! {reply.error}", file=stdout)
    elif reply.outcome and reply.outcome.result == "updated" and prompt.kind == "file":
        print(word("attached", prompt.language, count=prompt.uploads), file=stdout)
    elif reply.outcome and reply.outcome.echo:
        print(f"✓ {reply.outcome.echo}", file=stdout)
    if prompt.is_end:
        print("\n" + prompt.text, file=stdout)
        if reply.case_reference:
            print(word("case", prompt.language, ref=reply.case_reference), file=stdout)
        return True
    if reply.outcome and reply.outcome.result == "ignored":
        print(message("finished", prompt.language), file=stdout)
        return True
    return False
