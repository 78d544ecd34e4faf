"""Published flow versions: stored once, audited once, found again after a restart."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from flows import Choose, Interview, load_flows, parse_flow
from storage import StorageError, Store
from storage.tables import AuditEventRow, FlowVersionRow
from tests.storage.sample_flows import SURVEY_SOURCE, mini, say, survey


def test_publishing_is_idempotent_and_audited_the_first_time(store: Store) -> None:
    loaded = survey()
    store.publish_flow(loaded)
    store.publish_flow(loaded)
    with store.engine.connect() as conn:
        versions = conn.execute(select(FlowVersionRow.__table__)).all()
        events = conn.execute(select(AuditEventRow.__table__)).all()
    assert [(v.flow_id, v.version, v.source) for v in versions] == [
        ("survey", loaded.version, SURVEY_SOURCE)
    ]
    assert [(e.action, e.subject) for e in events] == [("publish", f"survey@{loaded.version}")]


def test_an_older_version_is_rebuilt_from_its_stored_source_after_a_restart(
    store: Store, database_url: str
) -> None:
    old = survey()
    store.publish_flow(old)
    new = parse_flow(SURVEY_SOURCE.replace("피해 설문", "피해 설문 2"), "survey.yaml")
    store.publish_flow(new)
    assert new.version != old.version
    with Store(database_url) as restarted:
        found = restarted.flow_version("survey", old.version)
        assert restarted.flow_version("survey", "0000000000000000") is None
    assert found is not None and found.source == SURVEY_SOURCE and found.version == old.version
    assert found.flow.title["ko"] == "피해 설문"


def test_a_conversation_begun_on_an_old_version_goes_on_after_a_restart(
    store: Store, database_url: str
) -> None:
    loaded = mini()
    store.publish_flow(loaded)
    say(store, Interview(loaded), "u1", None)
    with Store(database_url) as restarted:
        stored = restarted.current("test", "u1")
        assert stored is not None
        rebuilt = restarted.flow_version(stored.state.flow_id, stored.state.flow_version)
        assert rebuilt is not None
        applied = say(restarted, Interview(rebuilt), "u1", Choose("agree"))
    assert applied.outcome is not None and applied.outcome.state.step == "services"


def test_a_dimension_fed_by_personal_data_is_refused(store: Store) -> None:
    source = SURVEY_SOURCE.replace("    field: story\n", "    field: story\n    dimension: story\n")
    with pytest.raises(StorageError, match="personal"):
        store.publish_flow(parse_flow(source, "leaky.yaml"))


def test_the_shipped_flows_publish(store: Store) -> None:
    shipped = load_flows()
    if not shipped:
        pytest.skip("no flows shipped in flows/definitions yet")
    for loaded in shipped.values():
        store.publish_flow(loaded)
        assert store.flow_version(loaded.flow.id, loaded.version) is not None
