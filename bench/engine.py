"""Engine alone: answers per second on the default flow, and bytes per serialized state."""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

from flows import Choose, Done, Interview, Outcome, Submit, Text, Upload, UserInput, load_flows
from flows.machine import compile_machine as _compile
from flows.prompt import ChooseMany, ChooseOne, Info, Prompt, Summary, UploadFiles

SCRIPT_EN = {
    "language": Choose("en"),
    "consent": Choose("agree"),
    "services": Text("1,3"),
    "paid": Choose("free"),
    "claimant": Choose("small_business"),
    "business_number": Text("124-81-00998"),
    "harms": Text("1,2"),
    "money_lost_amount": Text("3만 5천원"),
    "income_lost_amount": Text("KRW 120,000"),
    "lost_orders": Text("12"),
    "started_at": Text("2022-10-15 16:00"),
    "description": Text("Payments failed all evening and customers left without paying."),
}


def one_interview(interview: Interview) -> tuple[int, list[int]]:
    """A complete default interview; returns answers given and state sizes along the way."""
    outcome: Outcome = interview.start("en")
    answers, sizes = 0, []
    while outcome.state.status == "active":
        prompt = outcome.prompt
        given = SCRIPT_EN.get(prompt.step) or _by_shape(interview, prompt)
        outcome = interview.answer(outcome.state, given)
        answers += 1
        sizes.append(len(outcome.state.to_json().encode()))
    assert outcome.state.submit, outcome.state.step
    return answers, sizes


def _by_shape(interview: Interview, prompt: Prompt) -> UserInput:
    """An answer to a question the script does not name, by the widget drawn."""
    match prompt:
        case UploadFiles():
            return Upload("AgADBAAD", "photo", size=2048) if not prompt.uploads else Done()
        case Summary():
            return Submit()
        case Info():
            return Done()
        case ChooseOne():
            return Choose(prompt.options[0].value)
        case ChooseMany():
            return Text("1")
    return Text(getattr(interview.flow.steps[prompt.step], "sample", ""))


def rate(seconds: float, work: int) -> float:
    return work / seconds if seconds else float("inf")


def run(quick: bool = False) -> dict[str, float]:
    loaded = load_flows()["kakao-outage-2022"]
    interview = Interview(loaded)
    rounds = 50 if quick else 1000
    answers, sizes = one_interview(interview)

    start = time.perf_counter()
    for _ in range(rounds):
        one_interview(interview)
    engine_rate = rate(time.perf_counter() - start, rounds * answers)

    # Baseline: the JSON round trip storage must do per answer anyway.
    state = interview.start("en").state
    blob = state.to_json()
    start = time.perf_counter()
    for _ in range(rounds * answers):
        type(state).from_json(blob).to_json()
    roundtrip_rate = rate(time.perf_counter() - start, rounds * answers)

    # The design we avoided: one transitions Machine per conversation.
    machines = 20 if quick else 200
    start = time.perf_counter()
    for _ in range(machines):
        _compile(loaded.flow)
    per_machine_s = (time.perf_counter() - start) / machines
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    kept = [_compile(loaded.flow) for _ in range(20)]
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    machine_bytes = sum(s.size_diff for s in after.compare_to(before, "filename")) / len(kept)

    median_state = statistics.median(sizes)
    return {
        "answers_per_interview": answers,
        "engine_answers_per_s": engine_rate,
        "baseline_json_roundtrips_per_s": roundtrip_rate,
        "one_answer_costs_roundtrips": roundtrip_rate / engine_rate,
        "state_bytes_median": median_state,
        "state_bytes_max": max(sizes),
        "machine_per_conversation_build_us": per_machine_s * 1e6,
        "machine_per_conversation_bytes": machine_bytes,
        "machine_bytes_vs_state_bytes": machine_bytes / median_state,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for key, value in run(args.quick).items():
        print(f"{key:36} {value:,.2f}")


if __name__ == "__main__":
    main()
