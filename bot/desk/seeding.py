"""`complaintbot seed`: realistic synthetic cases, answered through the real engine and filed
by the same code that files a claimant's case (duplicate checks, report rows, running counts).

Shares follow what Kakao published for 2022 (claimants: 89.6 % general users, 10.2 % small
businesses, 0.2 % larger firms; harm: 17.1 % paid services, 15.1 % money lost on free
services, 67.8 % non-monetary), and the intake's shape over its 19 days (about 45,000 of the
105,116 reports in the first five). Some cases repeat an earlier one by each duplicate rule,
and some copy another claimant's text, so dedupe and the report have something to find.
Each case's conversation runs in memory through ``Interview.answer`` (every answer parsed and
validated by the flow), then its submitted state is filed in batches of one transaction each.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flows import Choose, Done, Interview, LoadedFlow, Skip, Submit, Text, Toggle, Upload, UserInput
from flows.prompt import ChooseMany, ChooseOne, Confirm, Info, Prompt, Summary, UploadFiles
from flows.state import Conversation
from storage import Store

INTAKE_START = dt.date(2022, 10, 19)
INTAKE_DAYS = 19
FIRST_FIVE_SHARE = 45_000 / 105_116
OUTAGE_START = dt.datetime(2022, 10, 15, 15, 30)
OUTAGE_HOURS = 127.5
CLAIMANTS = {"individual": 0.896, "small_business": 0.072, "driver": 0.030, "other": 0.002}
KIND_OF_HARM = {"paid": 0.171, "money_on_free": 0.151, "non_monetary": 0.678}
SERVICES = {"kakaotalk": 60, "kakao_t": 12, "kakaopay": 10, "kakao_map": 5, "daum_mail": 6,
            "kakao_page": 4, "melon": 4, "kakao_games": 3, "other": 2}  # fmt: skip
NON_MONEY_HARMS = ["missed", "data_lost", "distress", "other"]
REPEATS = {"claimant": 0.02, "phone": 0.01, "business_number": 0.005, "file": 0.005}
COPIED_TEXT = 0.005
OPENINGS = ["장애 첫날", "10월 15일 오후", "주말 내내", "그날 저녁", "복구될 때까지", "이틀 동안"]
CLOSINGS = ["너무 답답했습니다.", "보상을 요청합니다.", "재발 방지를 바랍니다.", "손해가 컸습니다.",
            "다시는 이런 일이 없었으면 합니다.", "빠른 답변 부탁드립니다."]  # fmt: skip
STORIES = [
    "카카오톡이 오후 내내 되지 않아 거래처와 주문 연락을 주고받지 못했습니다",
    "택시 호출이 안 돼서 약속 장소에 한 시간 넘게 늦었고 결국 계약을 놓쳤습니다",
    "카카오페이 결제가 중간에 실패해서 돈은 빠져나갔는데 주문이 취소되었습니다",
    "멜론 이용권을 결제했는데 이틀 동안 음악을 전혀 들을 수 없었습니다",
    "다음 메일로 오는 면접 안내를 받지 못해서 일정을 놓쳤습니다",
    "가게 단골 손님들 예약 문의가 카톡으로만 와서 주말 매출이 크게 줄었습니다",
    "대리운전 콜을 하나도 받지 못해서 그날 수입이 전혀 없었습니다",
    "톡서랍에 올려 둔 사진이 한동안 보이지 않아 너무 불안했습니다",
]
Progress = Callable[[int, int], None]


@dataclass
class SeedResult:
    cases: int = 0
    seconds: float = 0.0
    repeats: dict[str, int] = field(default_factory=dict)


def received_days(n: int, rng: random.Random) -> list[dt.date]:
    """``n`` intake days: ~43 % in the first five, then tailing off over the other fourteen."""
    weights = []
    for day in range(INTAKE_DAYS):
        if day < 5:
            weights.append(FIRST_FIVE_SHARE / 5 * (1.3 - 0.15 * day))
        else:
            weights.append(
                (1 - FIRST_FIVE_SHARE) * 0.9 ** (day - 5) / sum(0.9**k for k in range(14))
            )
    days = [INTAKE_START + dt.timedelta(days=d) for d in range(INTAKE_DAYS)]
    return rng.choices(days, weights, k=n)


def _amount(rng: random.Random, median: float) -> int:
    """Amounts as people type them: a log-normal spread, rounded to two significant figures."""
    value = rng.lognormvariate(0, 1.1) * median
    digits = max(len(str(int(value))) - 2, 3)
    return max(1000, round(value / 10**digits) * 10**digits)


def _brn(rng: random.Random) -> str:
    """A business registration number with a valid check digit."""
    head = f"{rng.randrange(101, 1000)}{rng.randrange(1, 100):02d}{rng.randrange(1000, 10000)}"
    digits = [int(ch) for ch in head]
    weights = [1, 3, 7, 1, 3, 7, 1, 3, 5]
    total = sum(d * w for d, w in zip(digits, weights, strict=True)) + digits[8] * 5 // 10
    digits.append((10 - total % 10) % 10)
    text = "".join(map(str, digits))
    return f"{text[:3]}-{text[3:5]}-{text[5:]}"


class CaseDrawer:
    """Draws one claimant's answers (a plan) for the default flow's questions; a flow without
    these fields gets valid answers drawn uniformly."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.earlier: list[dict[str, Any]] = []

    def plan(self, number: int) -> tuple[str, dict[str, Any], str | None]:
        """(user key, answers to give, the rule it repeats or None)."""
        rng = self.rng
        roll = rng.random()
        acc = 0.0
        for rule, share in REPEATS.items():
            acc += share
            if roll < acc and self.earlier:
                return self._repeat(rule, number)
        plan = self._fresh()
        if rng.random() < COPIED_TEXT and self.earlier:
            plan["description"] = rng.choice(self.earlier)["description"] + " 정말 너무합니다"
        if len(self.earlier) < 5000:
            self.earlier.append(plan)
        elif rng.random() < 0.01:
            self.earlier[rng.randrange(5000)] = plan
        return f"seed-{number}", plan, None

    def _repeat(self, rule: str, number: int) -> tuple[str, dict[str, Any], str | None]:
        rng = self.rng
        needs = {"business_number": "business_number", "phone": "contact_phone", "file": "evidence"}
        original = rng.choice(self.earlier)
        for _ in range(50):  # an earlier case that has what this rule compares
            if rule not in needs or original.get(needs[rule]):
                break
            original = rng.choice(self.earlier)
        if rule == "business_number" and not original.get("business_number"):
            return f"seed-{number}", self._fresh(), None
        if rule == "phone" and not original.get("contact_phone"):
            return f"seed-{number}", self._fresh(), None
        if rule == "file" and not original.get("evidence"):
            return f"seed-{number}", self._fresh(), None
        plan = dict(original)
        others = {"phone": ("evidence", "business_number"), "file": ("contact_phone", "business_number"),
                  "business_number": ("contact_phone", "evidence")}.get(rule, ())  # fmt: skip
        for name in others:  # so that the repeat is found by this rule, not another
            plan[name] = None
        user = original["user"] if rule == "claimant" else f"seed-{number}"
        plan["description"] = f"{rng.choice(OPENINGS)} {rng.choice(STORIES)} {rng.choice(CLOSINGS)}"
        return user, plan, rule

    def _fresh(self) -> dict[str, Any]:
        rng = self.rng
        claimant = rng.choices(list(CLAIMANTS), list(CLAIMANTS.values()))[0]
        kind = rng.choices(list(KIND_OF_HARM), list(KIND_OF_HARM.values()))[0]
        services = rng.sample(list(SERVICES), k=rng.choices((1, 2, 3), (70, 22, 8))[0],
                              counts=list(SERVICES.values()))  # fmt: skip
        services = list(dict.fromkeys(services))
        plan: dict[str, Any] = {"claimant": claimant, "services": services}
        business = claimant in {"small_business", "driver"}
        if kind == "paid":
            plan["paid"] = rng.choice(("paid", "paid", "both"))
            harms = ["money_lost", *rng.sample(NON_MONEY_HARMS, k=rng.randrange(2))]
        elif kind == "money_on_free":
            plan["paid"] = "free"
            harms = ["income_lost"] if business else ["money_lost"]
            harms += rng.sample(NON_MONEY_HARMS, k=rng.randrange(2))
        else:
            plan["paid"] = "free"
            harms = rng.sample(NON_MONEY_HARMS, k=rng.choices((1, 2), (75, 25))[0])
        if business and "income_lost" not in harms and rng.random() < 0.5:
            harms.append("income_lost")
        plan["harms"] = harms
        if "money_lost" in harms:
            plan["money_lost_amount"] = _amount(rng, 30_000)
        if "income_lost" in harms:
            plan["income_lost_amount"] = _amount(rng, 300_000)
            plan["lost_orders"] = rng.randrange(1, 60) if rng.random() < 0.6 else None
        if claimant == "small_business":
            plan["business_number"] = _brn(rng) if rng.random() < 0.7 else None
        if "other" in services:
            plan["service_other"] = rng.choice(("카카오뱅크 알림", "선물하기", "카카오 로그인"))
        if "missed" in harms:
            plan["missed_what"] = "거래처 주문 메시지와 면접 일정 연락"
        if "data_lost" in harms:
            plan["data_lost_what"] = "톡서랍에 올린 사진과 대화 내용"
        hours = rng.triangular(0, OUTAGE_HOURS, 6)
        moment = OUTAGE_START + dt.timedelta(hours=hours)
        plan["started_at"] = (f"{moment:%Y-%m-%d %H:%M}" if rng.random() < 0.7
                              else f"{moment:%Y-%m-%d}")  # fmt: skip
        plan["description"] = " ".join(
            (rng.choice(OPENINGS), rng.choice(STORIES), f"{rng.randrange(2, 90)}분 넘게 기다렸고",
             rng.choice(CLOSINGS))
        )  # fmt: skip
        if rng.random() < 0.25:
            plan["evidence"] = [
                f"seed-file-{rng.getrandbits(48):x}" for _ in range(rng.randrange(1, 3))
            ]
        if rng.random() < 0.6:
            # 010-2xxx..4xxx and 6xxx..9xxx: numbers phonenumbers knows are allocated
            middle = rng.choice((rng.randrange(2000, 5000), rng.randrange(6000, 10000)))
            plan["contact_phone"] = f"010-{middle}-{rng.randrange(10000):04d}"
        return plan


def answer_for(prompt: Prompt, plan: dict[str, Any], rng: random.Random, uploads: int,
               sample: str = "") -> UserInput:  # fmt: skip
    """The input a claimant with ``plan`` gives at ``prompt``, by the widget shape drawn (any
    flow: a question the plan does not know gets ``sample``, its kind's typical answer)."""
    name = getattr(prompt, "field", None) or ""
    wanted = plan.get(name, _missing)
    match prompt:
        case Summary() | Confirm():
            return Submit()
        case ChooseOne():
            values = [o.value for o in prompt.options]
            if name == "consent":
                return Choose(values[0])
            return Choose(wanted if wanted in values else rng.choice(values))
        case ChooseMany():
            values = [o.value for o in prompt.options]
            chosen = [v for v in (wanted if isinstance(wanted, list) else []) if v in values]
            chosen = chosen or [rng.choice(values)]
            selected = {o.value for o in prompt.options if o.selected}
            missing = [v for v in chosen if v not in selected]
            return Toggle(missing[0]) if missing else Done()
        case UploadFiles():
            files = wanted if isinstance(wanted, list) else []
            if uploads < len(files):
                return Upload(files[uploads], "photo", size=120_000, mime_type="image/jpeg")
            return Done() if files else Skip()
        case Info():
            return Done()
    if wanted is None or (wanted is _missing and prompt.can_skip):
        return Skip()
    return Text(sample if wanted is _missing else str(wanted))


_missing: Any = object()


def converse(interview: Interview, plan: dict[str, Any], rng: random.Random,
             language: str) -> Conversation:  # fmt: skip
    """Run one whole interview in memory; the submitted state (or an error if it went astray)."""
    outcome = interview.start(language)
    state = outcome.state
    uploads = 0
    for _ in range(100):
        prompt = outcome.prompt
        if state.status != "active" or prompt is None:
            break
        step = interview.flow.steps[prompt.step]
        if getattr(step, "changes_language", False):  # the language it is answered in
            given: UserInput = Choose(language)
        else:
            given = answer_for(prompt, plan, rng, uploads, getattr(step, "sample", ""))
        uploads = (
            uploads + 1
            if isinstance(given, Upload)
            else (0 if isinstance(given, Done | Skip) else uploads)
        )
        outcome = interview.answer(state, given)
        if outcome.error:
            raise ValueError(f"seed answer refused at {prompt.step}: {outcome.error}")
        state = outcome.state
    if not (state.status == "finished" and state.submit):
        raise ValueError(f"seed interview ended at {state.step} without filing")
    return state


def seed(
    store: Store,
    loaded: LoadedFlow,
    count: int,
    *,
    rng_seed: int = 2022,
    batch: int = 500,
    progress: Progress | None = None,
) -> SeedResult:
    """File ``count`` synthetic cases of ``loaded``; returns how many and how long it took."""
    started = time.perf_counter()
    interview = Interview(loaded)
    drawer = CaseDrawer(rng_seed)
    rng = random.Random(rng_seed + 1)
    days = iter(sorted(received_days(count, random.Random(rng_seed + 2))))
    result = SeedResult(repeats=dict.fromkeys(REPEATS, 0))
    language = loaded.flow.default_language

    def items() -> Iterator[tuple[str, Conversation, dt.datetime]]:
        for number in range(count):
            user, plan, rule = drawer.plan(number)
            plan["user"] = user
            if rule:
                result.repeats[rule] += 1
            day = next(days)
            seconds = rng.randrange(8 * 3600, 23 * 3600)
            local = dt.datetime.combine(day, dt.time(), loaded.flow.zone) + dt.timedelta(
                seconds=seconds
            )
            yield user, converse(interview, plan, rng, language), local.astimezone(dt.UTC)

    chunk: list[tuple[str, Conversation, dt.datetime]] = []
    for item in items():
        chunk.append(item)
        if len(chunk) >= batch:
            store.file_cases(loaded, "seed", chunk)
            result.cases += len(chunk)
            chunk = []
            if progress:
                progress(result.cases, count)
    if chunk:
        store.file_cases(loaded, "seed", chunk)
        result.cases += len(chunk)
    if progress:
        progress(result.cases, count)
    result.seconds = time.perf_counter() - started
    return result
