"""Interview handlers: a Telegram message or button press becomes one engine input for the intake.

No interview logic lives here: each handler translates, calls the intake service, and hands
its reply to ``replies.show_reply``.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.input_text import is_readable, readable, unreadable_note
from bot.telegram.callbacks import INTERVIEW_ACTIONS, BadPayload, decode
from bot.telegram.channel import CHANNEL, channel_of, update_key, user_key
from bot.telegram.replies import Chat, send_prompt, show_reply, strip_keyboard
from bot.telegram.words import known_language, user_language, word
from flows import Button, Text, Upload, UserInput

Context = ContextTypes.DEFAULT_TYPE


async def begin(update: Update, context: Context) -> None:
    """/start: continue the open interview, or start one in the user's Telegram language."""
    channel = channel_of(context)
    reply = await channel.call(
        channel.intake.begin,
        CHANNEL,
        user_key(update),
        language=user_language(update.effective_user),
        update_key=update_key(update),
        language_known=known_language(update.effective_user) is not None,
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
    await _apply(update, context, Text(text))


async def on_photo(update: Update, context: Context) -> None:
    assert update.effective_message is not None
    largest = update.effective_message.photo[-1]  # Telegram lists the sizes smallest first
    upload = Upload(
        file_id=largest.file_id,
        kind="photo",
        size=largest.file_size,
        mime_type="image/jpeg",
        unique_id=largest.file_unique_id,
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
        unique_id=document.file_unique_id,
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
        language_known=known_language(update.effective_user) is not None,
    )
    await show_reply(channel, Chat.of(update, context.bot), reply)


async def on_press(update: Update, context: Context) -> None:
    """An interview button: the engine decides whether it still fits the current question."""
    assert update.callback_query is not None
    try:
        press = decode(update.callback_query.data)
    except BadPayload:
        await Chat.of(update, context.bot).answer()
        return
    assert press.action in INTERVIEW_ACTIONS and press.turn is not None
    given = Button(press.action, press.turn, index=press.index, step=press.step)  # type: ignore[arg-type]
    await _apply(update, context, given)


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
