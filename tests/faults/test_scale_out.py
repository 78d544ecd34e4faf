"""Two bot processes on one PostgreSQL, each claimant's updates sprayed across both at random.

Two real ``complaintbot run --webhook`` processes share one database and one fake Bot API, as
they would behind a load balancer. Every update of a claimant goes to a process drawn at
random; some are delivered twice, once to each process (at the same moment, or the second
after the first was answered 200, as when Telegram retries after a lost answer); at the
multi-choice question two toggles are pressed at once, one to each process. Afterwards:
every interview completed with exactly one case holding the claimant's own answers (both
toggles among them), every question sent exactly as often as to a claimant who talked to one
process alone, and the two toggles' redraws arrived in the order they were applied.

What only a lock across processes gives: an in-process lock lets a copy of an update reach
the other process while the first is still replying (that process then sees a redelivery it
cannot know was answered, and sends the question a second time), and lets two presses of one
claimant reply in either order on two processes (the keyboard redrawn last shows one toggle).
"""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from storage import Store, upgrade
from storage.tables import CaseRow
from tests.bot.interviews import QUESTIONS_KO, reference_in, start_korean
from tests.bot.test_telegram_durability import bot_env
from tests.bot.webhook_claimant import SECRET, WebhookClaimant, free_port
from tests.fakes import FakeBotApi
from tests.faults.checks import one_own_case_each

pytestmark = [pytest.mark.postgres, pytest.mark.telegram, pytest.mark.slow]

PROCESSES = 2
CLAIMANTS = 32
TWICE = 0.3
"""Share of updates delivered to both processes."""
PUBLIC_URL = "https://bot.example.org/telegram"
"""What setWebhook is given: the load balancer's address; the test posts to each process."""
SELECTED = "✅ "


@dataclass
class Process:
    popen: subprocess.Popen[bytes]
    url: str
    log: Path


def bot_process(fake: FakeBotApi, database_url: str, workdir: Path, port: int) -> Process:
    """``complaintbot run --webhook`` configured only through its environment."""
    env = bot_env(fake, database_url) | {
        "WEBHOOK_URL": PUBLIC_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "EXPORT_DIR": str(workdir / "exports"),
    }
    log = workdir / f"bot-{port}.log"
    with log.open("ab") as out:
        popen = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--webhook"],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=out,
        )
    return Process(popen, f"http://127.0.0.1:{port}/telegram", log)


async def serving(process: Process) -> bool:
    assert process.popen.poll() is None, f"bot exited: {process.log.read_text()[-2000:]}"
    try:
        async with httpx.AsyncClient(timeout=1) as client:
            health = process.url.removesuffix("/telegram") + "/healthz"
            return (await client.get(health)).text == "ok"
    except httpx.HTTPError:
        return False


@pytest.fixture
def processes(fake: FakeBotApi, postgres_url: str, tmp_path: Path) -> Iterator[list[Process]]:
    upgrade(postgres_url)
    started = [bot_process(fake, postgres_url, tmp_path, free_port()) for _ in range(PROCESSES)]
    try:
        yield started
    finally:
        for process in started:
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
        for process in started:
            process.popen.wait(20)


@pytest.fixture
async def ready(fake: FakeBotApi, processes: list[Process]) -> AsyncIterator[list[Process]]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    for process in processes:
        while not await serving(process):
            assert loop.time() < deadline, "bot processes did not start"
            await asyncio.sleep(0.1)

    def webhook_set() -> bool:
        return sum(c.ok for c in fake.calls_of("setWebhook")) == PROCESSES

    await fake.await_for(webhook_set, timeout=30)
    yield processes


@dataclass
class SprayedClaimant(WebhookClaimant):
    """Each update goes to a random process; some to both, at once or one after the other."""

    urls: list[str] = field(default_factory=list)
    rng: random.Random = field(default_factory=random.Random)
    twice: float = 0.0
    misdrawn: list[str] | None = None
    client: httpx.AsyncClient | None = None

    async def processed(self, update_id: int) -> int:
        first, other = self.rng.sample(self.urls, 2)
        if self.rng.random() >= self.twice:
            await self._deliver(first, update_id)
        elif self.rng.random() < 0.5:  # Telegram retrying a slow answer on the other process
            await asyncio.gather(self._deliver(first, update_id), self._deliver(other, update_id))
        else:  # the first 200 got lost on its way back: delivered again, to the other one
            await self._deliver(first, update_id)
            self.fake.redeliver(update_id)
            await self._deliver(other, update_id)
        return update_id

    async def _deliver(self, url: str, update_id: int) -> None:
        for attempt in range(1, 4):
            try:
                response = await self.fake.adeliver(
                    url, update_id, secret=self.secret, timeout=30, client=self.client
                )
                break
            except httpx.TransportError:
                # A broken connection (e.g. a kept-alive one the process had just closed as
                # idle) leaves the update unconfirmed, and Telegram delivers it again; unless
                # its other copy was confirmed meanwhile.
                if attempt == 3:
                    raise
                if update_id not in self.fake.pending_update_ids():
                    return
        self.statuses.append(response.status_code)
        assert response.status_code == 200, f"webhook answered {response.status_code}"

    async def toggle_at_once(self, labels: tuple[str, str]) -> None:
        """Two toggles pressed together, each reaching a different process."""
        shown = self.message_with_button(labels[0])
        pushed = [
            self.fake.push_callback(self.user_id, shown.message_id, shown.callback_data(label))
            for label in labels
        ]
        await asyncio.gather(
            *(self._deliver(url, u) for url, u in zip(self.urls, pushed, strict=True))
        )


def description(user_id: int) -> str:
    return f"장애로 가게 예약 연락을 놓쳤습니다 (신고자 {user_id})"


async def interview(me: SprayedClaimant) -> str:
    await start_korean(me)
    await me.toggle_at_once(("카카오톡", "카카오페이"))
    drawn = me.message_with_button("완료").button_texts()
    if not {f"{SELECTED}카카오톡", f"{SELECTED}카카오페이"} <= set(drawn):
        me.misdrawn = drawn  # the redraw shown last is not the last one applied
    await me.press("완료")
    assert QUESTIONS_KO["paid"] in me.last.content
    await me.press("무료로 이용했습니다")
    await me.press("개인 이용자")
    await me.press("시간 손실·정신적 고통")
    await me.press("완료")
    await me.send("10월 15일 오후 4시")
    await me.send(description(me.user_id))
    await me.press("건너뛰기")
    await me.press("건너뛰기")
    assert QUESTIONS_KO["confirm"] in me.last.content
    await me.press("제출")
    assert QUESTIONS_KO["submitted"] in me.last.content
    return reference_in(me.last.content)


def services_filed(store: Store) -> dict[str, set[str]]:
    cases = CaseRow.__table__
    with store.engine.connect() as conn:
        rows = conn.execute(select(cases.c.user_key, cases.c.answers)).all()
    return {user_key: set(answers["services"]) for user_key, answers in rows}


def questions_sent(fake: FakeBotApi, user_id: int) -> Counter[str]:
    """How often each question of the flow was sent to ``user_id`` (edits not counted)."""
    sent: Counter[str] = Counter()
    for call in fake.calls_of("sendMessage"):
        if call.status != 200 or int(call.params["chat_id"]) != user_id:
            continue
        text = str(call.params.get("text", ""))
        sent.update(step for step, words in QUESTIONS_KO.items() if words in text)
    return sent


async def test_two_processes_sprayed_at_random_finish_every_interview_once_and_in_order(
    fake: FakeBotApi, ready: list[Process], postgres_url: str
) -> None:
    urls = [process.url for process in ready]
    client = httpx.AsyncClient(limits=httpx.Limits(max_connections=None))
    reference = SprayedClaimant(fake, 70_000, urls=urls[:1] * 2, client=client)  # each once
    await interview(reference)
    expected = questions_sent(fake, reference.user_id)
    assert expected["services"] == 1 and expected["submitted"] == 1, expected

    rng = random.Random(15)
    claimants = [
        SprayedClaimant(
            fake, 70_001 + n, urls=urls, rng=random.Random(rng.random()), twice=TWICE, client=client
        )
        for n in range(CLAIMANTS)
    ]
    try:
        references = await asyncio.gather(*(interview(me) for me in claimants))
    finally:
        await client.aclose()

    assert len(set(references)) == CLAIMANTS, "one case number each"
    delivered = Counter(status for me in claimants for status in me.statuses)
    assert delivered[200] > CLAIMANTS * 16, delivered  # copies included
    misdrawn = {me.user_id: me.misdrawn for me in claimants if me.misdrawn}
    twice_asked = {
        me.user_id: sent - expected
        for me in claimants
        if (sent := questions_sent(fake, me.user_id)) != expected
    }
    assert not misdrawn and not twice_asked, (
        f"{len(misdrawn)} keyboards redrawn out of order (users {sorted(misdrawn)}), "
        f"{len(twice_asked)} claimants asked a question again: {twice_asked}"
    )
    users = [reference.user_id, *(me.user_id for me in claimants)]
    with Store(postgres_url) as store:
        one_own_case_each(store, {uid: description(uid) for uid in users})
        services = services_filed(store)
    assert all(services[str(uid)] == {"kakaotalk", "kakaopay"} for uid in users), services
    for process in ready:
        written = process.log.read_text()
        assert "Traceback" not in written and "failed" not in written, written[-3000:]
