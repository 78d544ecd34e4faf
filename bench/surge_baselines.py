"""The surge benchmark's two baselines, on the same python-telegram-bot and the same updates.

- ``floor``: the framework's floor, a handler that only replies "ok" (parse + one reply).
- ``handwritten``: what a developer would write by hand after PTB's ``conversationbot.py``:
  a ``ConversationHandler`` with ``PicklePersistence`` running the persona's path of the
  default interview (same questions, same button labels; the branches the persona does not
  take are left out, which only flatters the baseline). It keeps state in memory and writes
  the pickle every ``update_interval`` (60 s by default): an answer is *not* durable when
  its reply goes out, unlike the project's.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PicklePersistence,
    filters,
)
from telegram.request import BaseRequest

from bot.rehearsal.bot_api import TOKEN

Context = ContextTypes.DEFAULT_TYPE
App = Application[Any, Any, Any, Any, Any, Any]

SERVICES = ["카카오톡", "카카오 T (택시·대리·주차·바이크)", "카카오페이", "카카오맵·카카오내비"]
SERVICES += ["다음·카카오메일", "카카오페이지·카카오웹툰", "멜론", "카카오게임즈", "기타"]
HARMS = ["금전 손해 (결제했지만 이용하지 못함, 결제 오류)", "영업·수입 손실 (매출·운행 수입 감소)"]
HARMS += [
    "메시지·약속을 놓침",
    "데이터 손실 (대화, 사진, 파일 등)",
    "시간 손실·정신적 고통",
    "기타",
]
PAID = ["유료로 이용했습니다", "무료로 이용했습니다", "유료와 무료 모두 이용했습니다"]
CLAIMANTS = ["개인 이용자", "소상공인·온라인 판매자", "택시·대리운전 기사", "기타 (기업·단체 등)"]
(LANGUAGE, CONSENT, SERVICE, PAID_STEP, CLAIMANT, HARM, WHEN, WHAT, EVIDENCE, PHONE, CONFIRM) = (
    range(11)
)
_numbers = itertools.count(1)


def floor_app(request: BaseRequest) -> App:
    """Parse the update, reply "ok": nothing else (the framework's own cost)."""
    application = ApplicationBuilder().token(TOKEN).request(request).updater(None).build()

    async def ok(update: Update, context: Context) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "ok")

    application.add_handler(MessageHandler(filters.ALL, ok))
    application.add_handler(CallbackQueryHandler(ok))
    return application


def _keyboard(labels: list[str], *, done: bool = False, chosen: set[str] | None = None) -> Any:
    rows = [
        [
            InlineKeyboardButton(
                ("✅ " if label in (chosen or set()) else "") + label, callback_data=label
            )
        ]
        for label in labels
    ]
    if done:
        rows.append([InlineKeyboardButton("완료", callback_data="완료")])
    return InlineKeyboardMarkup(rows)


async def _ask(update: Update, text: str, markup: Any = None) -> None:
    assert update.effective_chat is not None
    await update.get_bot().send_message(update.effective_chat.id, text, reply_markup=markup)


async def _pressed(update: Update) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    return query.data


async def start(update: Update, context: Context) -> int:
    await _ask(update, "언어를 선택해 주세요", _keyboard(["한국어", "English"]))
    return LANGUAGE


async def language(update: Update, context: Context) -> int:
    context.user_data["language"] = await _pressed(update)  # type: ignore[index]
    await _ask(
        update,
        "개인정보를 수집·이용합니다. 동의하십니까?",
        _keyboard(["동의합니다", "동의하지 않습니다"]),
    )
    return CONSENT


async def consent(update: Update, context: Context) -> int:
    if await _pressed(update) != "동의합니다":
        await _ask(update, "접수하지 않았습니다.")
        return ConversationHandler.END
    context.user_data["services"] = []  # type: ignore[index]
    await _ask(
        update, "피해를 입으신 카카오 서비스를 모두 골라 주세요.", _keyboard(SERVICES, done=True)
    )
    return SERVICE


async def _toggle(update: Update, chosen: list[str], labels: list[str]) -> bool:
    """A multi-choice: True when Done was pressed."""
    label = await _pressed(update)
    if label == "완료":
        return bool(chosen)
    chosen.remove(label) if label in chosen else chosen.append(label)
    query = update.callback_query
    assert query is not None
    await query.edit_message_reply_markup(_keyboard(labels, done=True, chosen=set(chosen)))
    return False


async def service(update: Update, context: Context) -> int:
    if not await _toggle(update, context.user_data["services"], SERVICES):  # type: ignore[index]
        return SERVICE
    await _ask(update, "고르신 서비스를 유료로 이용하셨나요?", _keyboard(PAID))
    return PAID_STEP


async def paid(update: Update, context: Context) -> int:
    context.user_data["paid"] = await _pressed(update)  # type: ignore[index]
    await _ask(update, "접수하시는 분은 어디에 해당하시나요?", _keyboard(CLAIMANTS))
    return CLAIMANT


async def claimant(update: Update, context: Context) -> int:
    context.user_data["claimant"] = await _pressed(update)  # type: ignore[index]
    context.user_data["harms"] = []  # type: ignore[index]
    await _ask(update, "어떤 피해를 입으셨나요?", _keyboard(HARMS, done=True))
    return HARM


async def harm(update: Update, context: Context) -> int:
    if not await _toggle(update, context.user_data["harms"], HARMS):  # type: ignore[index]
        return HARM
    await _ask(update, "피해가 언제 생겼나요? 날짜와 시각을 알려 주세요.")
    return WHEN


async def when(update: Update, context: Context) -> int:
    assert update.message is not None
    context.user_data["started_at"] = update.message.text  # type: ignore[index]
    await _ask(update, "어떤 일이 있었는지 자유롭게 적어 주세요.")
    return WHAT


async def what(update: Update, context: Context) -> int:
    assert update.message is not None
    context.user_data["description"] = update.message.text  # type: ignore[index]
    await _ask(update, "증빙 자료가 있으면 보내 주세요.", _keyboard(["건너뛰기"]))
    return EVIDENCE


async def evidence(update: Update, context: Context) -> int:
    await _pressed(update)
    await _ask(update, "휴대전화번호를 알려 주세요.", _keyboard(["건너뛰기"]))
    return PHONE


async def phone(update: Update, context: Context) -> int:
    await _pressed(update)
    data = context.user_data or {}
    lines = [f"{key}: {value}" for key, value in data.items()]
    await _ask(update, "입력하신 내용을 확인해 주세요.\n" + "\n".join(lines), _keyboard(["제출"]))
    return CONFIRM


async def confirm(update: Update, context: Context) -> int:
    await _pressed(update)
    assert update.effective_user is not None
    reference = f"KKO-{dt.date.today():%y%m%d}-{next(_numbers):06d}"
    case = {"reference": reference, **(context.user_data or {})}
    context.bot_data.setdefault("cases", {}).setdefault(update.effective_user.id, []).append(case)
    context.user_data.clear()  # type: ignore[union-attr]
    await _ask(update, f"피해 접수가 완료되었습니다. 접수번호: {reference}")
    return ConversationHandler.END


def handwritten_app(request: BaseRequest, pickle: Path) -> App:
    """ConversationHandler + PicklePersistence, the way PTB's examples show it."""
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(request)
        .persistence(PicklePersistence(filepath=pickle))
        .updater(None)
        .build()
    )
    press = CallbackQueryHandler
    typed = filters.TEXT & ~filters.COMMAND
    conversation = ConversationHandler(
        entry_points=[CommandHandler("start", start)],
        states={
            LANGUAGE: [press(language)],
            CONSENT: [press(consent)],
            SERVICE: [press(service)],
            PAID_STEP: [press(paid)],
            CLAIMANT: [press(claimant)],
            HARM: [press(harm)],
            WHEN: [MessageHandler(typed, when)],
            WHAT: [MessageHandler(typed, what)],
            EVIDENCE: [press(evidence)],
            PHONE: [press(phone)],
            CONFIRM: [press(confirm)],
        },
        fallbacks=[CommandHandler("start", start)],
        name="interview",
        persistent=True,
    )
    application.add_handler(conversation)
    return application
