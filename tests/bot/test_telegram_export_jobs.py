"""Telegram /export is an export job: queued, run by the bot's worker, the file sent when
ready; too big for Telegram, the operator is told where it is on the server."""

from __future__ import annotations

import io

import pyarrow.parquet as pq
import pytest

from bot.telegram import operators
from tests.bot.conftest import OPERATOR, Claimant, RunningBot, eventually

pytestmark = pytest.mark.telegram


async def test_export_takes_a_format_and_sends_the_file_when_ready(
    bot: RunningBot, claimant
) -> None:
    operator: Claimant = claimant(OPERATOR)
    await operator.send("/export parquet")
    assert operator.last.content.startswith("내보내기 #")
    await eventually(lambda: operator.last.document is not None)
    document = operator.last.document
    assert document is not None and str(document.file_name).endswith(".parquet")
    assert operator.last.content == "접수 사례 0건 (개인정보 가림)"
    assert pq.read_table(io.BytesIO(document.content)).num_rows == 0


async def test_a_file_over_the_upload_limit_is_left_on_the_server(
    bot: RunningBot, claimant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(operators, "TELEGRAM_UPLOAD_LIMIT", 10)
    operator: Claimant = claimant(OPERATOR, language_code="en")
    await operator.send("/export")
    await eventually(lambda: "more than Telegram's 50 MB" in operator.last.content)
    assert bot.settings.export_dir in operator.last.content
    assert not bot.fake.calls_of("sendDocument")
