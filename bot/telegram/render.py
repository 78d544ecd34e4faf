"""Engine prompts as Telegram messages: plain text (split at 4,096 characters) and buttons."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.callbacks import Press
from bot.telegram.words import word
from flows import (
    ChooseMany,
    ChooseOne,
    Confirm,
    Info,
    Prompt,
    Summary,
    TypedText,
    UploadFiles,
    message,
)

MAX_TEXT = 4096
"""Telegram's limit on a message text."""
MAX_BUTTON_LABEL = 60
SELECTED = "✅ "
ANSWERED = "→ "
WARNING = "⚠️ "


@dataclass(frozen=True)
class Rendered:
    """One prompt as messages: the keyboard goes on the last chunk."""

    chunks: tuple[str, ...]
    keyboard: InlineKeyboardMarkup | None

    @property
    def text(self) -> str:
        return self.chunks[-1]


def render_prompt(
    prompt: Prompt,
    *,
    error: str | None = None,
    notice: str | None = None,
    reference: str | None = None,
) -> Rendered:
    """The question with its help, hint and (on a retry) the error above it, and its buttons."""
    parts = [f"{WARNING}{error}" if error else None, notice, prompt.text]
    if prompt.help:
        parts.append(prompt.help)
    match prompt:
        case Summary(summary=lines):
            parts.append("\n".join(f"• {line.label}: {line.value}" for line in lines))
        case UploadFiles(uploads=uploads, max_files=most) if uploads:
            parts.append(f"📎 {uploads}/{most}")
        case UploadFiles(hint=hint) | ChooseMany(hint=hint) | TypedText(hint=hint):
            parts.append(hint)
    if prompt.is_end and reference:
        parts.append(word("case_number", prompt.language, reference=reference))
    text = "\n\n".join(part.strip() for part in parts if part and part.strip())
    return Rendered(tuple(split_text(text)), keyboard(prompt))


def keyboard(prompt: Prompt) -> InlineKeyboardMarkup | None:
    """The buttons a prompt allows; None at an end."""
    if prompt.is_end:
        return None
    lang, turn = prompt.language, prompt.turn
    rows: list[list[InlineKeyboardButton]] = []
    match prompt:
        case ChooseOne(options=options) | Confirm(options=options):
            rows += [
                [_button(option.label, Press("choose", turn, index))]
                for index, option in enumerate(options)
            ]
        case ChooseMany(options=options):
            rows += [
                [
                    _button(
                        (SELECTED if option.selected else "") + option.label,
                        Press("toggle", turn, index, step=prompt.step),
                    )
                ]
                for index, option in enumerate(options)
            ]
            rows.append([_button(message("nav.done", lang), Press("done", turn, step=prompt.step))])
        case UploadFiles(uploads=uploads) if uploads:
            rows.append([_button(message("nav.done", lang), Press("done", turn, step=prompt.step))])
        case Info():
            rows.append([_button(message("nav.continue", lang), Press("continue", turn))])
        case Summary(summary=lines):
            edit = message("nav.edit", lang)
            rows += [
                [_button(f"✏️ {edit}: {line.label}", Press("edit", turn, index))]
                for index, line in enumerate(lines)
            ]
            rows.append([_button(message("nav.submit", lang), Press("submit", turn))])
    navigation = [
        _button(message(f"nav.{action}", lang), Press(action, turn))
        for action, allowed in (
            ("back", prompt.can_back),
            ("skip", prompt.can_skip),
            ("cancel", prompt.can_cancel),
        )
        if allowed
    ]
    if navigation:
        rows.append(navigation)
    return InlineKeyboardMarkup(rows) if rows else None


def _button(label: str, press: Press) -> InlineKeyboardButton:
    if len(label) > MAX_BUTTON_LABEL:
        label = label[: MAX_BUTTON_LABEL - 1] + "…"
    return InlineKeyboardButton(label, callback_data=press.encode())


def answered(question: str, echo: str | None) -> str:
    """A question message once answered: its text, then the answer as the claimant reads it.

    An error shown above the question (from a failed try) is dropped: it no longer applies.
    """
    if question.startswith(WARNING) and "\n\n" in question:
        question = question.split("\n\n", 1)[1]
    if not echo:
        return question
    tail = f"\n\n{ANSWERED}{echo}"
    if len(question) + len(tail) > MAX_TEXT:
        tail = tail[: MAX_TEXT // 2]
        question = question[: MAX_TEXT - len(tail) - 1] + "…"
    return question + tail


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split a long text into messages, at paragraph, line or word breaks where possible."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut >= limit // 2:
                break
        else:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    chunks.append(rest)
    return chunks
