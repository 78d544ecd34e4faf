"""Operator commands (ids in OPERATOR_IDS only): /stats and /export (a job: the file follows).

Registered with a user filter, so for anyone else these commands fall through to the unknown
command answer: the reply does not even tell that they exist.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, ContextTypes

from bot.desk import FORMATS, Desk, ExportQuery
from bot.desk.worker import ExportWorker
from bot.telegram.channel import application_channel, channel_of
from bot.telegram.words import user_language, word
from flows import Flow
from flows.schema import AskingStep
from flows.zone import DEFAULT_ZONE

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
TelegramApp = Application[Any, Any, Any, Any, Any, Any]
NO_ANSWER = {"ko": "(응답 없음)", "en": "(no answer)"}


def start_of_today(zone: ZoneInfo, now: dt.datetime | None = None) -> dt.datetime:
    """Midnight today in ``zone`` (the flow's), as a UTC moment."""
    local = (now or dt.datetime.now(dt.UTC)).astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)


async def stats(update: Update, context: Context) -> None:
    """Totals and today's counts (cases received today, in the flow's time zone) by category dimension."""
    channel = channel_of(context)
    intake = channel.intake
    flow = intake.interview(intake.default_flow).flow
    language = user_language(update.effective_user)
    report = await channel.call(intake.report, flow.id)
    today = await channel.call(intake.received_since, flow.id, start_of_today(flow.zone))
    lines = [
        word("stats_header", language, flow=_pick(flow.title, language)),
        word("stats_total", language, total=report.counted, today=today.total),
    ]
    for dimension, step in category_dimensions(flow):
        counts = report.dimensions.get(dimension, {})
        todays = today.dimensions.get(dimension, {})
        label = _pick(step.label or step.text, language)
        lines += ["", word("stats_by", language, dimension=label)]
        labels = {o.value: _pick(o.label, language) for o in getattr(step, "options", [])}
        for value in [*labels, *(v for v in counts if v not in labels)]:
            total = counts.get(value, 0)
            if total or todays.get(value, 0):
                name = labels.get(value, value) if value else NO_ANSWER[language]
                lines.append(f"• {name}: {total} / {todays.get(value, 0)}")
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "\n".join(lines))


def category_dimensions(flow: Flow) -> list[tuple[str, AskingStep]]:
    """The dimensions fed by choice questions (service, harm type, ...), in flow order."""
    return [
        (step.dimension, step)
        for _, step in flow.asking_steps()
        if step.dimension and step.offered_options
    ]


async def export(update: Update, context: Context) -> None:
    """Queue an export (``/export`` CSV, or ``/export xlsx|jsonl|parquet``), personal data
    masked; the file comes back in this chat when a worker has written it."""
    channel = channel_of(context)
    desk = desk_of(context.application)
    flow_id = channel.intake.default_flow
    language = user_language(update.effective_user)
    assert update.effective_user is not None and update.effective_chat is not None
    args = [a.lower() for a in (context.args or [])]
    format = args[0] if args and args[0] in FORMATS else "csv"
    job_id = await channel.call(
        desk.request_export,
        ExportQuery(flow_id),
        format=format,
        masked=True,
        actor=f"telegram:{update.effective_user.id}",
        language=language,
        deliver_to={
            "channel": "telegram",
            "chat_id": update.effective_chat.id,
            "language": language,
        },
    )
    exports_of(context.application).wake()
    await context.bot.send_message(
        update.effective_chat.id, WORDS["export_queued"][language].format(job=job_id)
    )


WORDS = {
    "export_queued": {
        "ko": "내보내기 #{job}을(를) 시작했습니다. 파일이 준비되면 여기로 보내 드립니다.",
        "en": "Export #{job} started. The file comes here when it is ready.",
    },
    "export_caption": {
        "ko": "접수 사례 {count}건 (개인정보 가림)",
        "en": "{count} case(s) (personal data masked)",
    },
    "export_too_big": {
        "ko": "내보내기 #{job}: {count}건, {size} MB로 텔레그램 한도(50 MB)보다 커서 서버에 저장했습니다: {path}",
        "en": "Export #{job}: {count} case(s), {size} MB, more than Telegram's 50 MB; it is on the server at {path}",
    },
    "export_failed": {
        "ko": "내보내기 #{job}을(를) 만들지 못했습니다. 잠시 뒤 다시 시도해 주세요.",
        "en": "Export #{job} could not be written. Please try again in a while.",
    },
}
TELEGRAM_UPLOAD_LIMIT = 50 * 1024 * 1024
"""The cloud Bot API takes documents up to 50 MB."""
DELIVER_EVERY = 1.0
DESK_KEY = "complaintbot.desk"
EXPORTS_KEY = "complaintbot.exports"


def desk_of(application: TelegramApp) -> Desk:
    return application.bot_data[DESK_KEY]


def exports_of(application: TelegramApp) -> ExportWorker:
    return application.bot_data[EXPORTS_KEY]


def start_exports(application: TelegramApp, export_dir: Path) -> ExportWorker:
    """Give the handlers a desk and start this process's export worker (any process may run
    any queued job; the database decides which)."""
    intake = application_channel(application).intake
    desk = Desk(intake.store, intake.released_flows(), export_dir)
    worker = desk.worker()
    application.bot_data[DESK_KEY] = desk
    application.bot_data[EXPORTS_KEY] = worker
    worker.start()
    return worker


async def deliver_exports(application: TelegramApp) -> int:
    """Send every finished export someone asked for in Telegram; exactly one process sends
    each (claimed first). Returns how many were delivered."""
    desk = desk_of(application)
    channel = application_channel(application)
    sent = 0
    for job in await channel.call(desk.ops.undelivered_exports, "telegram"):
        if not await channel.call(desk.ops.claim_delivery, job.id):
            continue
        chat = int(job.deliver_to["chat_id"])
        language = str(job.deliver_to.get("language", "ko"))
        language = language if language in WORDS["export_queued"] else "ko"
        try:
            if job.state != "done" or job.path is None:
                await application.bot.send_message(
                    chat, WORDS["export_failed"][language].format(job=job.id)
                )
            elif (job.size or 0) > TELEGRAM_UPLOAD_LIMIT:
                size = f"{(job.size or 0) / 1024 / 1024:.0f}"
                text = WORDS["export_too_big"][language]
                await application.bot.send_message(
                    chat, text.format(job=job.id, count=job.rows_done, size=size, path=job.path)
                )
            else:
                path = Path(job.path)
                await application.bot.send_document(
                    chat,
                    InputFile(path.read_bytes(), filename=_file_name(job.query.flow_id, path)),
                    caption=WORDS["export_caption"][language].format(count=job.rows_done),
                )
            sent += 1
        except (Forbidden, BadRequest) as exc:  # the operator blocked the bot, or chat gone
            log.info("export %s not delivered: %s", job.id, type(exc).__name__)
    return sent


async def deliver_until(application: TelegramApp, stop: asyncio.Event) -> None:
    """Deliver finished exports every ``DELIVER_EVERY`` seconds until ``stop``."""
    while not stop.is_set():
        try:
            await deliver_exports(application)
        except Exception as exc:  # a database or network hiccup: the jobs stay undelivered
            log.warning("export delivery skipped this round: %s", type(exc).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), DELIVER_EVERY)


def _file_name(flow_id: str, path: Path) -> str:
    stamp = dt.datetime.now(DEFAULT_ZONE).strftime("%Y%m%d-%H%M")
    return f"{flow_id}-cases-{stamp}{path.suffix}"


def _pick(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or next(iter(texts.values()))
