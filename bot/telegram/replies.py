"""Showing the intake's reply in a chat: which message to edit, which to send.

The aim is few messages per interview: one per question. A pressed button edits its own
message (the answer appears under the question and the buttons go), a toggle redraws the
buttons in place, and an error comes back in the same message as the question asked again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.intake import Reply
from bot.telegram.channel import TelegramChannel
from bot.telegram.questions import QuestionMessage
from bot.telegram.render import Rendered, answered, keyboard, render_prompt
from bot.telegram.webhook_reply import offer
from bot.telegram.words import user_language, word
from flows import Prompt, UploadFiles

log = logging.getLogger(__name__)

MAX_TOAST = 200
"""answerCallbackQuery shows at most 200 characters."""


@dataclass
class Chat:
    """Where a reply goes: the chat, the user, and the button press being answered, if any."""

    bot: Bot
    chat_id: int
    user_id: int
    language: str
    query: CallbackQuery | None = None
    pressed: Message | None = None
    update_id: int | None = None
    answered: bool = field(default=False)

    @classmethod
    def of(cls, update: Update, bot: Bot) -> Chat:
        assert update.effective_chat is not None and update.effective_user is not None
        query = update.callback_query
        pressed = query.message if query is not None else None
        return cls(
            bot=bot,
            chat_id=update.effective_chat.id,
            user_id=update.effective_user.id,
            language=user_language(update.effective_user),
            query=query,
            # An old message can come back "inaccessible", without its text: treat as typed.
            pressed=pressed if isinstance(pressed, Message) and pressed.text else None,
            update_id=update.update_id,
        )

    async def answer(self, text: str | None = None) -> None:
        """Stop the button's spinner (once), with a short note if given."""
        if self.query is None or self.answered:
            return
        self.answered = True
        if text and len(text) > MAX_TOAST:
            text = text[: MAX_TOAST - 1] + "…"
        if offer("answerCallbackQuery", callback_query_id=self.query.id, text=text):
            return  # in the webhook's answer: no request of its own
        try:
            await self.query.answer(text)
        except BadRequest:  # the query is too old: nothing to stop any more
            log.debug("callback query could not be answered")

    async def say(self, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
        await self.answer()
        return await self.bot.send_message(self.chat_id, text, reply_markup=markup)


async def show_reply(channel: TelegramChannel, chat: Chat, reply: Reply) -> None:
    """Render what the intake answered; a duplicate update, see ``show_duplicate``."""
    if reply.duplicate:
        if not reply.answered:  # another process replied to it already
            await show_duplicate(channel, chat, reply.prompt)
        return
    prompt, outcome = reply.prompt, reply.outcome
    if reply.notice is not None:
        await chat.say(reply.notice)
        return
    if reply.stale or prompt is None:
        await show_stale(channel, chat, prompt)
        return
    if outcome is None:
        notice = word("resumed", prompt.language) if reply.resumed else None
        await chat.answer()
        await send_prompt(channel, chat, prompt, notice=notice)
        return
    if outcome.result == "updated":
        await chat.answer()
        if not (chat.pressed and await redraw(channel, chat, prompt)):
            await close_question(channel, chat, echo=None)
            await send_rendered(channel, chat, _uploads(prompt))
        return
    if outcome.result == "retry":
        await chat.answer(outcome.error)
        if chat.pressed and await redraw(channel, chat, prompt, error=outcome.error):
            return
        await close_question(channel, chat, echo=None)
        await send_prompt(channel, chat, prompt, error=outcome.error)
        return
    if outcome.result == "ignored":
        await chat.answer()
        if outcome.error:
            await chat.say(outcome.error)
        return
    await chat.answer()
    await close_question(channel, chat, echo=outcome.echo)
    await send_prompt(channel, chat, prompt, reference=reply.case_reference)


async def show_duplicate(channel: TelegramChannel, chat: Chat, prompt: Prompt | None) -> None:
    """An update applied before: Telegram delivered it again.

    Whether the claimant saw the reply cannot be known in general: the process that applied
    it may have died between its commit and its reply (kill -9, a deploy), and then the
    claimant would wait forever for a question. So the current question is sent again,
    unless this very process finished the update (it replied, or said to try again), as when
    a polling batch is redelivered after a storage outage or a webhook's 200 got lost, or
    another process did (``Reply.answered``, PostgreSQL). The price: after a crash, one
    question may be shown twice; it is never missing.
    """
    if chat.update_id in channel.finished or prompt is None:
        return
    if chat.pressed is not None:
        await strip_keyboard(chat.bot, chat.chat_id, chat.pressed.message_id)
    await send_prompt(channel, chat, prompt)


async def show_stale(channel: TelegramChannel, chat: Chat, prompt: Prompt | None) -> None:
    """A button from an earlier question: say so, and ask the current question again."""
    language = prompt.language if prompt else chat.language
    await chat.answer(word("stale", language))
    if chat.pressed is not None:
        await strip_keyboard(chat.bot, chat.chat_id, chat.pressed.message_id)
    if prompt is None:
        await chat.say(word("nothing_open", language))
    else:
        await send_prompt(channel, chat, prompt)


async def send_prompt(
    channel: TelegramChannel,
    chat: Chat,
    prompt: Prompt,
    *,
    error: str | None = None,
    notice: str | None = None,
    reference: str | None = None,
) -> None:
    rendered = render_prompt(prompt, error=error, notice=notice, reference=reference)
    await send_rendered(channel, chat, rendered)


async def send_rendered(channel: TelegramChannel, chat: Chat, rendered: Rendered) -> None:
    """Send a question (in several messages if long); only its newest copy keeps buttons."""
    await chat.answer()
    previous = channel.questions.take(chat.user_id)
    if previous is not None:
        await strip_keyboard(chat.bot, previous.chat_id, previous.message_id)
    sent: Message | None = None
    for number, chunk in enumerate(rendered.chunks, start=1):
        last = number == len(rendered.chunks)
        sent = await chat.bot.send_message(
            chat.chat_id, chunk, reply_markup=rendered.keyboard if last else None
        )
    if sent is not None and rendered.keyboard is not None:
        channel.questions.remember(
            chat.user_id, QuestionMessage(chat.chat_id, sent.message_id, rendered.text)
        )


async def redraw(
    channel: TelegramChannel, chat: Chat, prompt: Prompt, *, error: str | None = None
) -> bool:
    """Redraw the pressed question in place (a toggle, or an error); False if it cannot be."""
    pressed = chat.pressed
    rendered = render_prompt(prompt, error=error)
    if pressed is None or len(rendered.chunks) > 1:
        return False
    if rendered.text == pressed.text:
        await _edit_markup(chat.bot, chat.chat_id, pressed.message_id, rendered.keyboard)
    else:
        await edit_text(
            chat.bot, chat.chat_id, pressed.message_id, rendered.text, rendered.keyboard
        )
    previous = channel.questions.take(chat.user_id)
    if previous is not None and previous.message_id != pressed.message_id:
        await strip_keyboard(chat.bot, previous.chat_id, previous.message_id)
    channel.questions.remember(
        chat.user_id, QuestionMessage(chat.chat_id, pressed.message_id, rendered.text)
    )
    return True


async def close_question(channel: TelegramChannel, chat: Chat, *, echo: str | None) -> None:
    """The question was answered: show the answer under it and take its buttons away."""
    tracked = channel.questions.take(chat.user_id)
    if chat.pressed is not None:
        await _settle(chat.bot, chat.chat_id, chat.pressed.message_id, chat.pressed.text, echo)
        if tracked is not None and tracked.message_id != chat.pressed.message_id:
            await strip_keyboard(chat.bot, tracked.chat_id, tracked.message_id)
    elif tracked is not None:
        await _settle(chat.bot, tracked.chat_id, tracked.message_id, tracked.text, echo)


async def _settle(
    bot: Bot, chat_id: int, message_id: int, text: str | None, echo: str | None
) -> None:
    if echo and text:
        await edit_text(bot, chat_id, message_id, answered(text, echo), None)
    else:
        await strip_keyboard(bot, chat_id, message_id)


def _uploads(prompt: Prompt) -> Rendered:
    """After an upload: a short receipt with the Done button, not the whole question again
    (any other change in place that could not be redrawn: the question as it is now)."""
    if not isinstance(prompt, UploadFiles):
        return render_prompt(prompt)
    text = word("files_received", prompt.language, count=prompt.uploads, max=prompt.max_files)
    return Rendered((text,), keyboard(prompt))


async def edit_text(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    try:
        await bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except BadRequest as exc:  # not modified, too old to edit, deleted: the chat is still fine
        log.debug("edit skipped: %s", type(exc).__name__)


async def strip_keyboard(bot: Bot, chat_id: int, message_id: int) -> None:
    await _edit_markup(bot, chat_id, message_id, None)


async def _edit_markup(
    bot: Bot, chat_id: int, message_id: int, markup: InlineKeyboardMarkup | None
) -> None:
    try:
        await bot.edit_message_reply_markup(
            chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except BadRequest as exc:
        log.debug("keyboard edit skipped: %s", type(exc).__name__)
