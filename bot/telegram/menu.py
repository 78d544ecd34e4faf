"""The command menu Telegram clients show, in Korean and English (setMyCommands)."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from flows.messages import message

log = logging.getLogger(__name__)

CLAIMANT_COMMANDS = ("start", "status", "cancel", "language", "privacy", "mydata", "delete", "help")
OPERATOR_ONLY_COMMANDS = ("stats", "export")
"""The menu's commands in order; their lines are ``telegram.menu.<name>`` in the catalogue."""


def menu(language: str, operator: bool = False) -> list[tuple[str, str]]:
    """(command, description) pairs of the menu in ``language``."""
    names = CLAIMANT_COMMANDS + (OPERATOR_ONLY_COMMANDS if operator else ())
    return [(name, message(f"telegram.menu.{name}", language)) for name in names]


def _commands(pairs: list[tuple[str, str]]) -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in pairs]


async def set_commands(bot: Bot, operator_ids: frozenset[int] = frozenset()) -> None:
    """English is the default list; Korean clients get Korean. Operators also see theirs."""
    await bot.set_my_commands(_commands(menu("en")))
    await bot.set_my_commands(_commands(menu("ko")), language_code="ko")
    for operator in operator_ids:
        scope = BotCommandScopeChat(operator)
        try:
            for language, code in (("en", None), ("ko", "ko")):
                pairs = menu(language, operator=True)
                await bot.set_my_commands(_commands(pairs), scope=scope, language_code=code)
        except TelegramError as exc:  # an operator who never opened a chat with the bot
            log.info("operator command menu not set: %s", type(exc).__name__)
