"""Flow releases: the pointer every process reads, publish and rollback across processes,
no silent override, history and diffs, audited (both databases)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from bot.intake import IntakeService
from flows import Choose, parse_flow
from flows.rehearsal import RehearsalFailed, parse_scripts
from storage import ReleaseRefused, Store
from storage.tables import AuditEventRow
from tests.storage.sample_flows import SURVEY_SOURCE, survey

V2_SOURCE = SURVEY_SOURCE.replace("피해 설문", "피해 설문 2판")


@dataclass
class Clock:
    """A monotonic clock the test moves by hand: the release cache's age, without sleeping."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def second(store: Store, database_url: str, clock: Clock) -> Iterator[Store]:
    """Another process's Store on the same database."""
    with Store(database_url, release_ttl=2.0, clock=clock) as other:
        yield other


def test_first_start_releases_and_a_restart_with_a_changed_file_changes_nothing(
    store: Store, database_url: str
) -> None:
    first = IntakeService(store, [survey()], "survey")
    assert first.interview("survey").version == survey().version
    with Store(database_url) as restarted:
        again = IntakeService(restarted, [parse_flow(V2_SOURCE, "survey.yaml")], "survey")
        assert again.interview("survey").version == survey().version, "a file is a draft"
        assert [v.version for v in restarted.flow_history("survey")] == [survey().version]


def test_a_publish_is_seen_by_a_second_process_within_the_cache_time(
    store: Store, second: Store, clock: Clock
) -> None:
    IntakeService(store, [survey()], "survey")
    assert second.released_versions() == {"survey": survey().version}
    v2 = parse_flow(V2_SOURCE, "survey.yaml")
    store.publish_release(v2, actor="admin", note="clearer title")
    assert store.released_versions() == {"survey": v2.version}, "at once where published"
    clock.now += 1.0
    assert second.released_versions() == {"survey": survey().version}, "cached briefly"
    clock.now += 1.5
    assert second.released_versions() == {"survey": v2.version}


def test_two_intakes_new_conversations_take_the_release_old_ones_keep_theirs(
    store: Store, second: Store, clock: Clock
) -> None:
    a = IntakeService(store, [survey()], "survey")
    b = IntakeService(second, [survey()], "survey")
    b.begin("test", "early")
    v2 = parse_flow(V2_SOURCE, "survey.yaml")
    a.publish(v2, actor="admin")
    clock.now += 3
    b.begin("test", "late")
    early, late = second.current("test", "early"), second.current("test", "late")
    assert early is not None and late is not None
    assert early.state.flow_version == survey().version
    assert late.state.flow_version == v2.version
    reply = b.handle("test", "early", Choose("agree"))
    assert reply.outcome is not None and reply.outcome.state.flow_version == survey().version

    a.rollback("survey", survey().version, actor="admin", note="v2 confused people")
    clock.now += 3
    b.begin("test", "after-rollback")
    after = second.current("test", "after-rollback")
    assert after is not None and after.state.flow_version == survey().version


def test_publishing_the_same_version_again_is_refused(store: Store) -> None:
    IntakeService(store, [survey()], "survey")
    with pytest.raises(ReleaseRefused, match="already the published version"):
        store.publish_release(survey(), actor="admin")


def test_publishing_an_older_version_again_is_refused_pointing_to_rollback(store: Store) -> None:
    IntakeService(store, [survey()], "survey")
    store.publish_release(parse_flow(V2_SOURCE, "survey.yaml"), actor="admin")
    with pytest.raises(ReleaseRefused, match=r"flows rollback survey " + survey().version):
        store.publish_release(survey(), actor="admin")
    assert store.released_versions()["survey"] != survey().version


def test_rollback_needs_a_stored_version_that_is_not_current(store: Store) -> None:
    IntakeService(store, [survey()], "survey")
    with pytest.raises(ReleaseRefused, match="no stored version"):
        store.rollback_release("survey", "0123456789abcdef", actor="admin")
    with pytest.raises(ReleaseRefused, match="already current"):
        store.rollback_release("survey", survey().version, actor="admin")


def test_history_diff_and_audit(store: Store) -> None:
    IntakeService(store, [survey()], "survey")
    v1, v2 = survey().version, parse_flow(V2_SOURCE, "s.yaml").version
    store.publish_release(parse_flow(V2_SOURCE, "s.yaml"), actor="admin", note="title")
    store.rollback_release("survey", v1, actor="lead", note="back")
    history = store.flow_history("survey")
    assert [(h.version, h.current) for h in history] == [(v1, True), (v2, False)]
    assert [(r.released_by, r.note) for r in history[0].releases] == [
        ("system", "first start: survey.yaml"),
        ("lead", "back"),
    ]
    diff = store.flow_diff("survey", v1, v2)
    assert diff.startswith(f"--- survey@{v1}\n+++ survey@{v2}\n")
    assert "-title: {ko: 피해 설문, en: Damage survey}" in diff
    assert "+title: {ko: 피해 설문 2판, en: Damage survey}" in diff
    with pytest.raises(ReleaseRefused):
        store.flow_diff("survey", v1, "ffffffffffffffff")
    with store.engine.connect() as conn:
        events = conn.execute(
            select(AuditEventRow.__table__).order_by(AuditEventRow.__table__.c.id)
        ).all()
    assert [(e.actor, e.action, e.subject) for e in events if e.action != "publish"] == [
        ("system", "release", f"survey@{v1}"),
        ("admin", "release", f"survey@{v2}"),
        ("lead", "rollback", f"survey@{v1}"),
    ]
    assert events[-1].detail == {"note": "back"}


FAILING_SCRIPT = """\
scripts:
  - name: consent is refused
    steps:
      - {choose: refuse}
    ends: filed
"""


def test_a_failing_script_blocks_the_release_and_stores_nothing(store: Store) -> None:
    intake = IntakeService(store, [survey()], "survey")
    v2 = parse_flow(V2_SOURCE, "survey.yaml")
    with pytest.raises(RehearsalFailed, match="1 of 1 flow script"):
        intake.publish(v2, actor="admin", scripts=parse_scripts(FAILING_SCRIPT))
    assert store.released_versions() == {"survey": survey().version}
    assert [v.version for v in store.flow_history("survey")] == [survey().version]
    passing = parse_scripts(FAILING_SCRIPT.replace("ends: filed", "ends: refused"))
    assert [r.passed for r in intake.rehearse(v2, passing)] == [True]
    intake.publish(v2, actor="admin", scripts=passing)
    assert store.released_versions() == {"survey": v2.version}
