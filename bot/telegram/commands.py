"""The claimant's commands besides /start: help, cancel, language, status, delete, privacy,
mydata."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.telegram.callbacks import BadPayload, Press, decode
from bot.telegram.channel import CHANNEL, TelegramChannel, channel_of, update_key, user_key
from bot.telegram.replies import Chat, edit_text, show_reply, strip_keyboard
from bot.telegram.words import user_language, word
from flows import Cancel, Prompt
from flows.messages import message
from flows.render import flow_text

Context = ContextTypes.DEFAULT_TYPE


async def current_prompt(channel: TelegramChannel, update: Update) -> Prompt | None:
    return await channel.call(channel.intake.prompt, CHANNEL, user_key(update))


async def language_of(channel: TelegramChannel, update: Update) -> str:
    """The open conversation's language, else the Telegram client's."""
    prompt = await current_prompt(channel, update)
    return prompt.language if prompt else user_language(update.effective_user)


async def _say(update: Update, context: Context, key: str, **params: object) -> None:
    language = await language_of(channel_of(context), update)
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, word(key, language, **params))


async def show_help(update: Update, context: Context) -> None:
    await _say(update, context, "help")


async def unknown_command(update: Update, context: Context) -> None:
    """Also what a non-operator gets for an operator command: nothing tells them apart."""
    await _say(update, context, "unknown_command")


async def unsupported(update: Update, context: Context) -> None:
    """Stickers, voice, locations, video notes...: a polite word, the interview stays put."""
    await _say(update, context, "unsupported")


async def private_only(update: Update, context: Context) -> None:
    """A command in a group: interviews hold personal data, so they happen in private."""
    assert update.effective_message is not None
    language = user_language(update.effective_user)
    await update.effective_message.reply_text(
        word("private_only", language, bot=context.bot.username)
    )


async def cancel(update: Update, context: Context) -> None:
    """/cancel: the engine asks "stop the report?" (or says there is nothing to cancel)."""
    channel = channel_of(context)
    reply = await channel.call(
        channel.intake.handle,
        CHANNEL,
        user_key(update),
        Cancel(),
        update_key=update_key(update),
        language=user_language(update.effective_user),
    )
    await show_reply(channel, Chat.of(update, context.bot), reply)


async def privacy(update: Update, context: Context) -> None:
    """The consent text of the default flow, in the user's language, straight from the flow."""
    channel = channel_of(context)
    language = await language_of(channel, update)
    flow = channel.intake.interview(channel.intake.default_flow).flow
    found = flow.consent_step()
    if found is None:
        await _say(update, context, "help")
        return
    _, step = found
    parts = [flow_text(step.text, language, flow)]  # Telegram draws buttons: "press"
    if step.help:
        parts.append(flow_text(step.help, language, flow))
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "\n\n".join(parts))


async def status(update: Update, context: Context) -> None:
    """My cases: reference, date (Korean time) and status; and whether one is in progress."""
    channel = channel_of(context)
    key = user_key(update)
    cases = await channel.call(channel.intake.cases, CHANNEL, key)
    current = await current_prompt(channel, update)
    language = current.language if current else user_language(update.effective_user)
    lines = [word("status_header", language)] if cases else [word("status_none", language)]
    zone = channel.intake.interview(channel.intake.default_flow).flow.zone
    for case in cases:
        day = _local_day(case.submitted_at, zone)
        lines.append(f"• {case.reference} · {day} · {word('case.' + case.status, language)}")
    if current is not None and not current.is_end:
        lines.append("\n" + word("status_open", language))
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "\n".join(lines))


def _local_day(moment: dt.datetime, zone: ZoneInfo) -> str:
    """The day a case was filed, in the flow's time zone (the claimant's, as a rule)."""
    if moment.tzinfo is None:  # storage keeps UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone).date().isoformat()


async def ask_erase(update: Update, context: Context) -> None:
    """/delete: nothing is erased before the user confirms with a button."""
    language = await language_of(channel_of(context), update)
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    word("delete_yes", language), callback_data=Press("erase", arg="yes").encode()
                ),
                InlineKeyboardButton(
                    word("delete_no", language), callback_data=Press("erase", arg="no").encode()
                ),
            ]
        ]
    )
    assert update.effective_chat is not None
    await context.bot.send_message(
        update.effective_chat.id, word("delete_ask", language), reply_markup=buttons
    )


async def on_erase_press(update: Update, context: Context) -> None:
    channel = channel_of(context)
    chat = Chat.of(update, context.bot)
    language = await language_of(channel, update)
    await chat.answer()
    press = _press(update)
    if press is None or press.arg != "yes":
        text = word("delete_kept", language)
    else:
        erasure = await channel.call(
            channel.intake.erase, CHANNEL, user_key(update), actor="claimant"
        )
        # The open question is gone with the interview: its buttons must go too.
        question = channel.questions.take(chat.user_id)
        if question is not None:
            await strip_keyboard(chat.bot, question.chat_id, question.message_id)
        text = word("deleted", language, conversations=erasure.conversations, cases=erasure.cases)
    if chat.pressed is not None:
        await edit_text(chat.bot, chat.chat_id, chat.pressed.message_id, text, None)
    else:
        await chat.say(text)


async def ask_language(update: Update, context: Context) -> None:
    """The languages of the default flow, each named in itself."""
    channel = channel_of(context)
    flow = channel.intake.interview(channel.intake.default_flow).flow
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    message("language.name", code),
                    callback_data=Press("language", arg=code).encode(),
                )
                for code in flow.languages
            ]
        ]
    )
    language = await language_of(channel, update)
    assert update.effective_chat is not None
    await context.bot.send_message(
        update.effective_chat.id, word("language_ask", language), reply_markup=buttons
    )


async def on_language_press(update: Update, context: Context) -> None:
    """Switch the interview's language: start one in it, or go on in it where the user is."""
    channel = channel_of(context)
    chat = Chat.of(update, context.bot)
    press = _press(update)
    chosen = press.arg if press is not None else None
    if (
        chosen is None
        or chosen not in channel.intake.interview(channel.intake.default_flow).flow.languages
    ):
        await chat.answer()
        return
    await chat.answer(word("language_set", chosen))
    reply = await channel.call(
        channel.intake.switch_language,
        CHANNEL,
        user_key(update),
        chosen,
        update_key=update_key(update),
    )
    await show_reply(channel, chat, reply)


def _press(update: Update) -> Press | None:
    assert update.callback_query is not None
    try:
        return decode(update.callback_query.data)
    except BadPayload:
        return None


MESSAGE_LIMIT = 4096


async def my_data(update: Update, context: Context) -> None:
    """/mydata: everything stored about the claimant (PIPA art. 35), in their language."""
    channel = channel_of(context)
    language = await language_of(channel, update)
    parts = await channel.call(channel.intake.my_data, CHANNEL, user_key(update), language)
    assert update.effective_chat is not None
    for text in _messages(parts):
        await context.bot.send_message(update.effective_chat.id, text)


def _messages(parts: list[str]) -> list[str]:
    """Paragraphs packed into as few messages as Telegram's length limit allows."""
    messages: list[str] = []
    for part in parts:
        part = part[:MESSAGE_LIMIT]
        if messages and len(messages[-1]) + 2 + len(part) <= MESSAGE_LIMIT:
            messages[-1] += "\n\n" + part
        else:
            messages.append(part)
    return messages
