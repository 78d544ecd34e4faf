"""The command menu Telegram clients show, in Korean and English (setMyCommands)."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

log = logging.getLogger(__name__)

COMMANDS: dict[str, list[tuple[str, str]]] = {
    "ko": [
        ("start", "피해 접수 시작 (진행 중이면 이어서)"),
        ("status", "내 접수 내역"),
        ("cancel", "진행 중인 접수 그만하기"),
        ("language", "언어 바꾸기 / Language"),
        ("privacy", "개인정보 수집·이용 안내"),
        ("mydata", "내 정보 보기"),
        ("delete", "내 정보 삭제"),
        ("help", "도움말"),
    ],
    "en": [
        ("start", "Report harm (or continue your report)"),
        ("status", "My reports"),
        ("cancel", "Stop the open report"),
        ("language", "Change the language / 언어"),
        ("privacy", "How we use your personal information"),
        ("mydata", "See the data stored about me"),
        ("delete", "Erase my data"),
        ("help", "Help"),
    ],
}
OPERATOR_COMMANDS: dict[str, list[tuple[str, str]]] = {
    "ko": [("stats", "접수 현황 (운영자)"), ("export", "사례 CSV 내보내기 (운영자)")],
    "en": [("stats", "Report figures (operators)"), ("export", "Export cases as CSV (operators)")],
}


def _commands(pairs: list[tuple[str, str]]) -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in pairs]


async def set_commands(bot: Bot, operator_ids: frozenset[int] = frozenset()) -> None:
    """English is the default list; Korean clients get Korean. Operators also see theirs."""
    await bot.set_my_commands(_commands(COMMANDS["en"]))
    await bot.set_my_commands(_commands(COMMANDS["ko"]), language_code="ko")
    for operator in operator_ids:
        scope = BotCommandScopeChat(operator)
        try:
            for language, code in (("en", None), ("ko", "ko")):
                pairs = COMMANDS[language] + OPERATOR_COMMANDS[language]
                await bot.set_my_commands(_commands(pairs), scope=scope, language_code=code)
        except TelegramError as exc:  # an operator who never opened a chat with the bot
            log.info("operator command menu not set: %s", type(exc).__name__)
