"""The door of the channel: interviews happen only in the presser's own private chat.

An interview holds personal data (free text, phone, the summary). A button press whose
message lies in another chat (a group, someone else's chat, a forged update) or a message
whose chat is not the sender's private chat must never see the sender's conversation: such
inputs are stopped here, before any handler runs. Group messages pass on to the one handler
that answers them (a pointer to a private chat, without personal data).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import logging
from collections.abc import Mapping

from telegram import TelegramObject, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
GROUP_CHATS = frozenset({"group", "supergroup"})


def is_own_private_chat(update: Update) -> bool:
    """The update comes from a user, in the private chat the user has with this bot."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return False
    return chat.type == "private" and chat.id == user.id


def _unencodable(value: object) -> bool:
    """A string somewhere in ``value`` that UTF-8 cannot hold (a lone surrogate)."""
    if isinstance(value, str):
        if value.isascii():
            return False
        try:
            value.encode()
        except UnicodeEncodeError:
            return True
        return False
    if value is None or type(value) in _PLAIN:
        return False
    if isinstance(value, TelegramObject):
        for name in _fields(type(value)):
            field = getattr(value, name, None)
            if field is not None and type(field) not in _PLAIN and _unencodable(field):
                return True
        return False
    if isinstance(value, Mapping):  # api_kwargs: a read-only mapping
        return any(_unencodable(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_unencodable(v) for v in value)
    return False


_PLAIN = frozenset({int, bool, float, datetime.datetime})


@functools.cache
def _fields(cls: type) -> tuple[str, ...]:
    """The public fields of a Telegram object class (``api_kwargs`` holds unknown ones)."""
    return tuple(
        name
        for klass in cls.__mro__
        for name in getattr(klass, "__slots__", ())
        if not name.startswith("_")
    )


def forged_strings(update: Update) -> bool:
    """Telegram never sends a lone surrogate: only a crafted update does. A typed text is the
    exception, answered by the text handler with a note to type it again.

    Walks the objects' own fields: ``Update.to_dict()`` cost ~0.5 ms an update, the largest
    share of the channel's own CPU in the surge profile (bench/README.md)."""
    message = update.message
    for name in _fields(Update):
        value = getattr(update, name, None)
        if value is None:
            continue
        if value is message:
            fields = (f for f in _fields(type(message)) if f != "text")
            if any(_unencodable(getattr(message, f, None)) for f in fields):
                return True
        elif _unencodable(value):
            return True
    return False


def _group_message(update: Update) -> bool:
    chat = update.effective_chat
    return update.message is not None and chat is not None and chat.type in GROUP_CHATS


async def refuse_foreign_chats(update: object, context: Context) -> None:
    """Stop every input that is not from the sender's own private chat (group messages aside)."""
    if not isinstance(update, Update):
        return
    if forged_strings(update):
        log.info("update %s refused: strings that are not proper Unicode", update.update_id)
    elif is_own_private_chat(update) or _group_message(update):
        return
    else:
        log.info("update %s refused: not the sender's private chat", update.update_id)
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):  # stop the spinner; the toast is the presser's
            await update.callback_query.answer()
    raise ApplicationHandlerStop
