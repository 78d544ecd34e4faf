"""Interview handlers: a Telegram message or button press becomes one engine input for the intake.

No interview logic lives here: each handler translates, calls the intake service, and hands
its reply to ``replies.show_reply``.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.input_text import is_readable, readable, unreadable_note
from bot.intake import Reply
from bot.telegram.callbacks import BadPayload, Press, decode
from bot.telegram.channel import CHANNEL, channel_of, update_key, user_key
from bot.telegram.replies import Chat, send_prompt, show_reply, show_stale, strip_keyboard
from bot.telegram.words import user_language, word
from flows import (
    Back,
    Cancel,
    Choose,
    Done,
    Edit,
    Prompt,
    Skip,
    Submit,
    Text,
    Toggle,
    Upload,
    UserInput,
    message,
)

Context = ContextTypes.DEFAULT_TYPE

_TYPED_NAVIGATION: dict[str, type[UserInput]] = {
    message(f"nav.{name}", lang).removeprefix("◀").strip().casefold(): kind
    for name, kind in (("back", Back), ("skip", Skip), ("cancel", Cancel), ("done", Done))
    for lang in ("ko", "en")
}
"""Typing a button's label (e.g. "건너뛰기", "skip") does what the button does."""
_LENIENT = frozenset({"toggle", "done"})
"""Buttons of a question redrawn in place: a quick second tap still means that question."""
QUICK_TAPS = 50
"""How many turns behind a lenient button may be: a handful of taps before the redraw came.
Never a button of an earlier conversation, whose turns lie far away (a random base)."""


def typed_input(text: str) -> UserInput:
    kind = _TYPED_NAVIGATION.get(text.strip().removeprefix("◀").strip().casefold())
    return kind() if kind is not None else Text(text)


async def begin(update: Update, context: Context) -> None:
    """/start: continue the open interview, or start one in the user's Telegram language."""
    channel = channel_of(context)
    reply = await channel.call(
        channel.intake.begin,
        CHANNEL,
        user_key(update),
        language=user_language(update.effective_user),
        update_key=update_key(update),
    )
    await show_reply(channel, Chat.of(update, context.bot), reply)


async def on_text(update: Update, context: Context) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    text = update.effective_message.text
    if not is_readable(text):  # a crafted update: refused before anything is stored
        channel = channel_of(context)
        if await channel.call(channel.intake.record_update, CHANNEL, update_key(update)):
            chat = Chat.of(update, context.bot)
            await chat.say(unreadable_note(chat.language))
        return
    await _apply(update, context, typed_input(text))


async def on_photo(update: Update, context: Context) -> None:
    assert update.effective_message is not None
    largest = update.effective_message.photo[-1]  # Telegram lists the sizes smallest first
    upload = Upload(
        file_id=largest.file_id, kind="photo", size=largest.file_size, mime_type="image/jpeg"
    )
    await _apply(update, context, upload)


async def on_document(update: Update, context: Context) -> None:
    assert update.effective_message is not None and update.effective_message.document
    document = update.effective_message.document
    upload = Upload(
        file_id=document.file_id,
        kind="document",
        size=document.file_size,
        name=readable(document.file_name) if document.file_name else None,
        mime_type=document.mime_type,
    )
    await _apply(update, context, upload)


async def _apply(update: Update, context: Context, given: UserInput) -> None:
    channel = channel_of(context)
    reply = await channel.call(
        channel.intake.handle,
        CHANNEL,
        user_key(update),
        given,
        update_key=update_key(update),
        language=user_language(update.effective_user),
    )
    await show_reply(channel, Chat.of(update, context.bot), reply)


async def on_press(update: Update, context: Context) -> None:
    """An interview button: checked against the current question's turn before it applies."""
    assert update.callback_query is not None
    channel = channel_of(context)
    chat = Chat.of(update, context.bot)
    try:
        press = decode(update.callback_query.data)
    except BadPayload:
        await chat.answer()
        return
    key = user_key(update)
    current = await channel.call(channel.intake.prompt, CHANNEL, key)
    if current is None or press.turn is None or press.turn > current.turn:
        # Answered before the intake sees it: a redelivered press (e.g. of Submit, whose
        # interview is over) must get no reply, so the update is recorded here first.
        if await channel.call(channel.intake.record_update, CHANNEL, update_key(update)):
            await show_stale(channel, chat, current)
        else:
            await chat.answer()
        return
    turn = press.turn
    quick_tap = 0 < current.turn - press.turn <= QUICK_TAPS
    if press.action in _LENIENT and press.step == current.step and quick_tap:
        turn = current.turn
    given = _input_of(press, current) if turn == current.turn else None
    # An older turn is never applied (the intake checks it under its lock); the placeholder
    # only lets the intake tell a redelivered update (show nothing) from a stale button.
    reply = await channel.call(
        channel.intake.handle,
        CHANNEL,
        key,
        given or Done(),
        update_key=update_key(update),
        turn=turn if given is not None else press.turn,
    )
    if given is None and not reply.duplicate:
        reply = Reply(prompt=reply.prompt, stale=True)
    await show_reply(channel, chat, reply)


def _input_of(press: Press, prompt: Prompt) -> UserInput | None:
    """The engine input a button stands for at ``prompt``; None if it does not fit it."""
    match press.action:
        case "choose" | "toggle":
            options = prompt.options
            if press.index is None or press.index >= len(options):
                return None
            value = options[press.index].value
            return Choose(value) if press.action == "choose" else Toggle(value)
        case "edit":
            if press.index is None or press.index >= len(prompt.summary):
                return None
            return Edit(prompt.summary[press.index].field)
        case "done" | "continue":
            return Done()
        case "back":
            return Back()
        case "skip":
            return Skip()
        case "cancel":
            return Cancel()
        case "submit":
            return Submit()
    return None


async def on_resume_press(update: Update, context: Context) -> None:
    """The reminder's Continue button: the current question again, as it stands now."""
    channel = channel_of(context)
    chat = Chat.of(update, context.bot)
    current = await channel.call(channel.intake.prompt, CHANNEL, user_key(update))
    await chat.answer()
    if chat.pressed is not None:
        await strip_keyboard(chat.bot, chat.chat_id, chat.pressed.message_id)
    if current is None:
        await chat.say(word("nothing_open", chat.language))
    else:
        await send_prompt(channel, chat, current)


async def on_unknown_press(update: Update, context: Context) -> None:
    """A button this bot does not know (an older release's): just stop its spinner."""
    await Chat.of(update, context.bot).answer()
