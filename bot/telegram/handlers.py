"""Every handler of the bot, registered in one visible place, in the order they are tried."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.telegram import commands, interview, operators
from bot.telegram.gate import refuse_foreign_chats
from bot.telegram.processing import on_error, once_per_update

ALLOWED_UPDATES = ("message", "callback_query")
"""Edited messages are not asked for: an edit must not count as a second answer."""

INTERVIEW_BUTTONS = r"^[cdtnbsxeu]\|"
LANGUAGE_BUTTONS = r"^l\|"
ERASE_BUTTONS = r"^z\|"
RESUME_BUTTON = r"^r$"


def register(
    application: Application[Any, Any, Any, Any, Any, Any], operator_ids: frozenset[int]
) -> None:
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    groups = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
    operator = filters.User(user_id=operator_ids)  # empty: matches nobody

    def command(name: str, callback: Any, only: filters.BaseFilter = private) -> None:
        application.add_handler(CommandHandler(name, callback, filters=only))

    # Before every other handler: nothing but the sender's own private chat gets through.
    application.add_handler(TypeHandler(Update, refuse_foreign_chats), group=-1)
    # The interview's handlers go through the intake, which applies each update once; the
    # others are made to run once per update here: a redelivery must not export twice.
    once = once_per_update
    command("start", interview.begin)
    command("help", once(commands.show_help))
    command("cancel", commands.cancel)
    command("language", once(commands.ask_language))
    command("status", once(commands.status))
    command("delete", once(commands.ask_erase))
    command("privacy", once(commands.privacy))
    command("stats", once(operators.stats), private & operator)
    command("export", once(operators.export), private & operator)
    application.add_handler(
        MessageHandler(private & filters.COMMAND, once(commands.unknown_command))
    )
    application.add_handler(MessageHandler(private & filters.TEXT, interview.on_text))
    application.add_handler(MessageHandler(private & filters.PHOTO, interview.on_photo))
    application.add_handler(MessageHandler(private & filters.Document.ALL, interview.on_document))
    application.add_handler(MessageHandler(private, once(commands.unsupported)))
    application.add_handler(MessageHandler(groups & filters.COMMAND, once(commands.private_only)))

    application.add_handler(CallbackQueryHandler(interview.on_press, pattern=INTERVIEW_BUTTONS))
    application.add_handler(
        CallbackQueryHandler(commands.on_language_press, pattern=LANGUAGE_BUTTONS)
    )
    application.add_handler(
        CallbackQueryHandler(once(commands.on_erase_press), pattern=ERASE_BUTTONS)
    )
    application.add_handler(
        CallbackQueryHandler(once(interview.on_resume_press), pattern=RESUME_BUTTON)
    )
    application.add_handler(CallbackQueryHandler(interview.on_unknown_press))

    application.add_error_handler(on_error)
