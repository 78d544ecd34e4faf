"""Exports: every format round-trips the database's rows and values; formula-proof; masked."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from bot.desk import Desk
from flows import Interview
from storage import Store
from storage.case_lists import CaseFilter
from storage.export_rows import ExportLayout, ExportQuery
from storage.tables import AuditEventRow
from tests.storage.filed import file_survey
from tests.storage.sample_flows import survey

DAY_16 = dt.datetime(2022, 10, 16, 5, 0, tzinfo=dt.UTC)
DAY_17 = dt.datetime(2022, 10, 17, 5, 0, tzinfo=dt.UTC)
PAYLOAD = '=HYPERLINK("http://evil.example","click")'
PHONE = "010-1234-5678"


@pytest.fixture
def desk(store: Store, tmp_path: Path) -> Desk:
    loaded = survey()
    store.publish_flow(loaded)
    iv = Interview(loaded)
    file_survey(store, iv, "u1", now=DAY_16, services=["talk", "pay"], harms=["money"],
                loss="약 5만원", story=PAYLOAD, phone=PHONE, files=2)  # fmt: skip
    file_survey(store, iv, "u2", now=DAY_17, claimant="business", services=["taxi"],
                harms=["time"], hours=3, story="+SUM(A1:A9) and @cmd")  # fmt: skip
    file_survey(store, iv, "u3", now=DAY_17, services=["talk"], harms=["time"])
    return Desk(store, {"survey": loaded.flow}, tmp_path / "exports")


def _export(desk: Desk, fmt: str, tmp_path: Path, *, masked: bool = True, **query: object) -> Path:
    path = tmp_path / f"out.{fmt}"
    job = desk.export_now(
        ExportQuery("survey", **query),  # type: ignore[arg-type]
        format=fmt, path=path, masked=masked, actor="op1", language="en",
        reason=None if masked else "checking the export",
    )  # fmt: skip
    assert job.state == "done" and job.path == str(path)
    return path


def _expected(desk: Desk, masked: bool = True) -> tuple[list[str], list[list[object]]]:
    layout = ExportLayout.of(desk.flows["survey"], "en", masked)
    rows = list(desk.ops.export_rows(layout, ExportQuery("survey")))
    return [c.name for c in layout.columns], rows


def test_csv_has_a_bom_and_the_database_rows(desk: Desk, tmp_path: Path) -> None:
    raw = _export(desk, "csv", tmp_path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    names, rows = _expected(desk)
    assert lines[0] == names
    assert len(lines) == 1 + len(rows) == 4
    refs = [row[0] for row in rows]
    assert [line[0] for line in lines[1:]] == refs
    first = dict(zip(names, lines[1], strict=True))
    assert first["Loss? (loss)"] == "50000"
    assert first["estimates"] == "loss"  # typed as 약 5만원: the number, kept as an estimate
    assert dict(zip(names, lines[2], strict=True))["estimates"] == ""
    assert first["Which services? (services)"] == "Talk; Pay"
    assert first["Talk (services=talk)"] == "1" and first["Taxi (services=taxi)"] == "0"
    assert first["Evidence (evidence)"] == "2"
    assert first["submitted_at"] == "2022-10-16T14:00:00+09:00"


def test_csv_neutralises_formula_payloads(desk: Desk, tmp_path: Path) -> None:
    text = _export(desk, "csv", tmp_path, masked=False).read_bytes().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    story = lines[0].index("Your story (story)")
    assert lines[1][story] == "'" + PAYLOAD
    assert lines[2][story] == "'+SUM(A1:A9) and @cmd"
    for line in lines:
        for cell in line:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell


def test_personal_data_is_masked_by_default_and_present_with_the_flag(
    desk: Desk, tmp_path: Path
) -> None:
    masked = _export(desk, "jsonl", tmp_path).read_text("utf-8")
    assert "1234" not in masked and "HYPERLINK" not in masked and "user_key" not in masked
    first = json.loads(masked.splitlines()[0])
    assert first["Phone (phone)"] == "+82-10-****-5678"
    assert first["Your story (story)"] == "[masked]"
    full = [json.loads(line) for line in _export(desk, "jsonl", tmp_path, masked=False)
            .read_text("utf-8").splitlines()]  # fmt: skip
    assert full[0]["Phone (phone)"] == "+821012345678"
    assert full[0]["Your story (story)"] == PAYLOAD
    assert [row["user_key"] for row in full] == ["u1", "u2", "u3"]


def test_every_export_is_audited_with_whether_personal_data_was_in_it(
    desk: Desk, tmp_path: Path
) -> None:
    _export(desk, "csv", tmp_path)
    _export(desk, "parquet", tmp_path, masked=False)
    with desk.store.engine.connect() as conn:
        events = conn.execute(select(AuditEventRow.__table__).order_by("id")).all()
    done = [(e.actor, e.detail["format"], e.detail["personal_data"], e.detail["rows"])
            for e in events if e.action == "export"]  # fmt: skip
    assert done == [("op1", "csv", False, 3), ("op1", "parquet", True, 3)]


def test_xlsx_keeps_payloads_as_text_numbers_as_numbers_dates_as_dates(
    desk: Desk, tmp_path: Path
) -> None:
    path = _export(desk, "xlsx", tmp_path, masked=False)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    names, rows = _expected(desk, masked=False)
    assert header == names
    story, loss, day = (header.index(n) for n in
                        ("Your story (story)", "Loss? (loss)", "incident_day"))  # fmt: skip
    first = [c for c in sheet[2]]
    assert first[story].value == PAYLOAD and first[story].data_type == "s"
    assert first[loss].value == 50000 and first[loss].data_type == "n"
    assert first[day].is_date and first[day].value.date() == rows[0][names.index("incident_day")]
    assert sheet.max_row == 1 + len(rows)


def test_parquet_has_int64_won_zoned_times_and_lists(desk: Desk, tmp_path: Path) -> None:
    table = pq.read_table(_export(desk, "parquet", tmp_path, masked=False))
    names, rows = _expected(desk, masked=False)
    assert table.column_names == names
    schema = table.schema
    assert str(schema.field("Loss? (loss)").type) == "int64"
    assert str(schema.field("submitted_at").type) == "timestamp[us, tz=Asia/Seoul]"
    assert str(schema.field("Which services? (services)").type) == "list<element: string>"
    assert table.to_pylist()[0]["Which services? (services)"] == ["Talk", "Pay"]
    assert [list(r.values()) for r in table.to_pylist()] == rows


def test_filters_select_status_service_and_submission_time(desk: Desk, tmp_path: Path) -> None:
    def refs(**query: object) -> list[str]:
        path = _export(desk, "jsonl", tmp_path, **query)
        return [json.loads(line)["reference"] for line in path.read_text("utf-8").splitlines()]

    _, rows = _expected(desk)
    all_refs = [str(r[0]) for r in rows]
    assert refs() == all_refs
    assert refs(values=(("service", "talk"),)) == [all_refs[0], all_refs[2]]
    assert refs(values=(("service", "talk"), ("harm", "money"))) == [all_refs[0]]
    assert refs(since=DAY_17) == all_refs[1:]
    assert refs(until=DAY_17) == all_refs[:1]
    desk.store.set_case_status(all_refs[1], "unrelated", actor="op", reason="not the outage")
    assert refs(statuses=("unrelated",)) == [all_refs[1]]


def test_cases_show_marks_an_amount_given_as_an_estimate(desk: Desk) -> None:
    from bot.desk.case_view import show_case

    first, second = (row.reference for row in desk.store.operators.list_cases(
        CaseFilter("survey"), limit=2).lines)  # fmt: skip
    shown = show_case(desk, first, include_pii=False, actor="test", language="en")
    assert "50,000" in shown and "(an estimate)" in shown
    assert "(an estimate)" not in show_case(
        desk, second, include_pii=False, actor="test", language="en"
    )
