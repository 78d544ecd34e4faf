"""Operator commands (ids in OPERATOR_IDS only): /stats and /export.

Registered with a user filter, so for anyone else these commands fall through to the unknown
command answer: the reply does not even tell that they exist.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.ext import ContextTypes

from bot.telegram.channel import channel_of
from bot.telegram.words import user_language, word
from flows import Flow
from flows.schema import AskingStep

Context = ContextTypes.DEFAULT_TYPE
SEOUL = ZoneInfo("Asia/Seoul")
CATEGORY_KINDS = frozenset({"choice", "multi_choice"})
NO_ANSWER = {"ko": "(응답 없음)", "en": "(no answer)"}


def start_of_today(now: dt.datetime | None = None) -> dt.datetime:
    """Midnight today in Seoul, as a UTC moment."""
    local = (now or dt.datetime.now(dt.UTC)).astimezone(SEOUL)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)


async def stats(update: Update, context: Context) -> None:
    """Totals and today's counts (cases received today, Seoul time) by category dimension."""
    channel = channel_of(context)
    intake = channel.intake
    flow = intake.interview(intake.default_flow).flow
    language = user_language(update.effective_user)
    report = await channel.call(intake.report, flow.id)
    today = await channel.call(intake.received_since, flow.id, start_of_today())
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
        if step.dimension and step.kind in CATEGORY_KINDS
    ]


async def export(update: Update, context: Context) -> None:
    """A CSV of every case, personal data masked; who exported is kept in the audit log."""
    channel = channel_of(context)
    intake = channel.intake
    flow = intake.interview(intake.default_flow).flow
    language = user_language(update.effective_user)
    out = io.BytesIO()
    assert update.effective_user is not None and update.effective_chat is not None
    actor = f"telegram:{update.effective_user.id}"
    count = await channel.call(intake.export_csv, flow.id, out, mask=True, actor=actor)
    stamp = dt.datetime.now(SEOUL).strftime("%Y%m%d-%H%M")
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(out.getvalue(), filename=f"{flow.id}-cases-{stamp}.csv"),
        caption=word("export_caption", language, count=count),
    )


def _pick(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or next(iter(texts.values()))
