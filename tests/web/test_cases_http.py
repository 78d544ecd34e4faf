"""The operators' cases pages over HTTP: roles, filters, keyset pages, the audited detail view,
the review forms and the edit lock between two operators (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from bot.web import case_page, cases_page
from flows import Skip, Submit, Text, UserInput
from storage.audit import events_before
from tests.web.conftest import (
    PASSWORD,
    Console,
    client_for,
    csrf_of,
    file_english_case,
    sign_in,
)

REVIEW_ACTIONS = ["lock", "status", "assign", "note", "unlock"]
REFERENCE = re.compile(r'href="/cases/([^"/]+)"')


def _operator(console: Console, name: str = "olivia") -> TestClient:
    console.accounts.add(name, "operator", PASSWORD, actor="test")
    client = client_for(console)
    assert sign_in(client, name).status_code == 303
    return client


def _listed(html: str) -> list[str]:
    return REFERENCE.findall(html)


def _views(console: Console, reference: str) -> list[str]:
    with console.store.engine.connect() as conn:
        return [
            e.actor
            for e in events_before(conn, None, 500)
            if e.action == "view" and e.subject == reference
        ]


def _post(client: TestClient, reference: str, action: str, **data: str) -> str:
    token = csrf_of(client.get(f"/cases/{reference}").text)
    response = client.post(f"/cases/{reference}/{action}", data=data | {"csrf_token": token})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/cases/{reference}"
    return client.get(f"/cases/{reference}").text


def test_signed_out_visitors_are_sent_to_sign_in(console: Console) -> None:
    reference = file_english_case(console.intake, "claimant-1")
    client = client_for(console)
    for path in ("/cases", f"/cases/{reference}"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")
    assert _views(console, reference) == []


def test_an_operator_sees_the_table_without_personal_data(console: Console) -> None:
    reference = file_english_case(console.intake, "claimant-1")
    case = console.store.case(reference)
    assert case is not None
    client = _operator(console)
    page = client.get("/cases")
    assert page.status_code == 200
    assert _listed(page.text) == [reference]
    flow = console.intake.interview(case.flow_id).flow
    typed = [str(case.answers[f]) for f in flow.personal_fields() if f in case.answers]
    for value in [*typed, "I could not reach my family during the outage."]:
        assert value not in page.text  # the claimant's own words appear on the detail page only
    assert _views(console, reference) == []


def test_filters_narrow_the_table(console: Console) -> None:
    first = file_english_case(console.intake, "claimant-1")
    second = file_english_case(console.intake, "claimant-2")
    client = _operator(console)
    assert _listed(client.get("/cases?service=kakaotalk").text) == [first, second]
    assert _listed(client.get("/cases?service=melon").text) == []
    assert _listed(client.get("/cases?claimant=individual&harm=distress").text) == [first, second]
    assert _listed(client.get("/cases?claimant=driver").text) == []
    assert _listed(client.get(f"/cases?q={second[-4:]}").text) == [second]
    # A whole case number is looked up (its unique index), as typed or in lower case.
    assert _listed(client.get(f"/cases?q={second}").text) == [second]
    assert _listed(client.get(f"/cases?q=+{first.lower()}+").text) == [first]
    assert _listed(client.get(f"/cases?q={first[:-1]}9").text) == []
    assert _listed(client.get("/cases?status=reviewed").text) == []
    assert _listed(client.get("/cases?status=received").text) == [first, second]
    assert _listed(client.get("/cases?since=2099-01-01").text) == []
    assert _listed(client.get("/cases?until=2000-01-01").text) == []
    page = client.get("/cases?since=not-a-day")
    assert page.status_code == 200 and 'aria-invalid="true"' in page.text


def test_pages_follow_each_other_by_keyset(console: Console, monkeypatch) -> None:
    monkeypatch.setattr(cases_page, "PAGE", 2)
    filed = [file_english_case(console.intake, f"claimant-{n}") for n in range(5)]
    client = _operator(console)
    seen: list[str] = []
    page = client.get("/cases?service=kakaotalk")
    while True:
        seen += _listed(page.text)
        found = re.search(r'href="(/cases\?[^"]*after=\d+[^"]*)" rel="next"', page.text)
        if not found:
            break
        link = found.group(1).replace("&amp;", "&")
        assert "service=kakaotalk" in link
        page = client.get(link)
    assert seen == filed


def test_opening_a_case_shows_its_answers_and_is_audited(console: Console) -> None:
    reference = file_english_case(console.intake, "claimant-1")
    client = _operator(console)
    page = client.get(f"/cases/{reference}")
    assert page.status_code == 200
    assert "I could not reach my family during the outage." in page.text
    assert _views(console, reference) == ["web:olivia"]
    assert client.get("/cases/NO-SUCH-CASE").status_code == 404


def test_an_amount_given_as_an_estimate_says_so_on_the_case_page(console: Console) -> None:
    console.intake.begin("test", "hedger")
    words: dict[str, UserInput] = {"skip": Skip(), "submit": Submit()}
    reply = None
    for answer in ["2", "1", "1", "1", "1", "1", "about 50,000 won", "15 Oct 2022 6pm",
                   "I lost money.", "skip", "skip", "submit"]:  # fmt: skip
        reply = console.intake.handle("test", "hedger", words.get(answer, Text(answer)))
    assert reply is not None and reply.case_reference
    exact = file_english_case(console.intake, "exact")
    client = _operator(console)
    page = client.get(f"/cases/{reply.case_reference}").text
    assert '<dd lang="en">KRW 50,000 (an estimate)</dd>' in page
    assert "(an estimate)" not in client.get(f"/cases/{exact}").text


def test_an_operator_locks_marks_assigns_and_notes_a_case(console: Console) -> None:
    reference = file_english_case(console.intake, "claimant-1")
    client = _operator(console)
    _post(client, reference, "lock")
    page = _post(client, reference, "mark", status="reviewed", reason="")
    assert 'aria-invalid="true"' in page
    assert console.store.case(reference).status == "received"  # type: ignore[union-attr]
    _post(client, reference, "mark", status="reviewed", reason="checked the receipt")
    assert console.store.case(reference).status == "reviewed"  # type: ignore[union-attr]
    _post(client, reference, "assign", operator="olivia")
    page = _post(client, reference, "note", note="called the claimant back")
    _post(client, reference, "unlock")
    history = [(e.actor, e.action) for e in console.store.operators.history(reference)]
    assert history == [("complaintbot", "filed")] + [("web:olivia", a) for a in REVIEW_ACTIONS], (
        history
    )
    assert "checked the receipt" in page and "called the claimant back" in page
    assert _listed(client.get("/cases?status=reviewed").text) == [reference]


def test_a_second_operator_is_refused_while_the_first_holds_the_lock(console: Console) -> None:
    reference = file_english_case(console.intake, "claimant-1")
    olivia = _operator(console, "olivia")
    oscar = _operator(console, "oscar")
    _post(olivia, reference, "lock")
    page = oscar.get(f"/cases/{reference}").text
    assert "web:olivia" in page and f'action="/cases/{reference}/lock"' not in page
    page = _post(oscar, reference, "mark", status="reviewed", reason="looks fine")
    assert 'class="field-error"' in page
    assert console.store.case(reference).status == "received"  # type: ignore[union-attr]
    _post(olivia, reference, "unlock")
    _post(oscar, reference, "mark", status="reviewed", reason="looks fine")
    assert console.store.case(reference).status == "reviewed"  # type: ignore[union-attr]


def test_review_forms_need_the_csrf_token(console: Console) -> None:
    reference = file_english_case(console.intake, "claimant-1")
    client = _operator(console)
    response = client.post(f"/cases/{reference}/lock", data={"csrf_token": "forged"})
    assert response.status_code == 403
    assert [e.action for e in console.store.operators.history(reference)] == ["filed"]


def test_the_report_page_shows_the_report_commands_figures(console: Console) -> None:
    from bot.desk.report_document import build_report

    for n in range(3):
        file_english_case(console.intake, f"claimant-{n}")
    client = _operator(console)
    assert client_for(console).get("/report").status_code == 303  # signed out: sign in first
    page = client.get("/report")
    assert page.status_code == 200
    flow = console.intake.interview(console.intake.default_flow).flow
    document = build_report(console.store, flow, language="ko")
    assert document["totals"]["counted"] == 3
    assert "집계 대상 3건 (접수 3건)" in page.text
    service = next(t for t in document["tables"] if t["id"] == "service")
    assert service["labels"][service["cases"].index(3)] in page.text
    assert 'href="/report?public=1"' in page.text
    charts = re.findall(r'src="(/report/charts/[a-z_]+\.png)"', page.text)
    assert charts
    png = client.get(charts[0])
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    public = client.get("/report?public=1")
    assert public.status_code == 200 and "&lt;5" in public.text  # 3 cases: a hidden group
    assert client.get("/report/charts/nothing.png").status_code == 404


def test_an_export_runs_as_a_job_and_downloads_for_its_owner_only(
    database_url: str, tmp_path
) -> None:
    from tests.web.conftest import make_console

    console = make_console(database_url, export_dir=str(tmp_path))
    try:
        file_english_case(console.intake, "claimant-1")
        client = _operator(console, "olivia")
        token = csrf_of(client.get("/exports").text)
        refused = client.post(
            "/exports", data={"format": "csv", "personal": "1", "csrf_token": token}
        )
        assert refused.status_code == 400 and 'aria-invalid="true"' in refused.text
        response = client.post("/exports", data={"format": "csv", "csrf_token": token})
        assert response.status_code == 303  # the TestClient runs the job (background task)
        status_path = response.headers["location"]
        status = client.get(status_path).text
        assert 'http-equiv="refresh"' not in status  # done: it stops refreshing
        download = client.get(f"{status_path}/download")
        assert download.status_code == 200
        assert "attachment" in download.headers["content-disposition"]
        lines = download.text.strip().splitlines()
        assert len(lines) == 2  # a header and the one case
        oscar = _operator(console, "oscar")
        assert oscar.get(f"{status_path}/download").status_code == 404
        assert client_for(console).get(f"{status_path}/download").status_code == 303
        token = csrf_of(client.get("/exports").text)
        unmasked = client.post(
            "/exports",
            data={
                "format": "jsonl",
                "personal": "1",
                "reason": "court order 12",
                "csrf_token": token,
            },
        )
        assert unmasked.status_code == 303
        with console.store.engine.connect() as conn:
            reasons = [
                e.detail.get("reason")
                for e in events_before(conn, None, 500)
                if e.action == "export-unmasked-reason"
            ]
        assert reasons == ["court order 12"]
    finally:
        console.store.close()


def test_opening_a_case_writes_the_access_log_with_who_which_fields_and_why(
    console: Console,
) -> None:
    reference = file_english_case(console.intake, "claimant-1")
    assert console.store.access_log() == []
    client = _operator(console)
    assert client.get("/cases").status_code == 200
    assert console.store.access_log() == [], "the masked table is no access to personal data"
    assert client.get(f"/cases/{reference}").status_code == 200
    (entry,) = console.store.access_log()
    assert (entry.actor, entry.case_ref) == ("web:olivia", reference)
    assert entry.reason == case_page.REVIEW_REASON
    case = console.store.case(reference)
    assert case is not None
    personal = console.intake.interview(case.flow_id).flow.personal_fields()
    shown = {f for f in case.answers if f in personal}
    assert shown and shown <= set(entry.fields) and "user_key" in entry.fields
    assert client.get("/cases/NO-SUCH-CASE").status_code == 404
    assert len(console.store.access_log()) == 1, "a missing case shows nothing, logs nothing"


def test_an_unmasked_export_and_each_of_its_downloads_are_access_logged(
    database_url: str, tmp_path
) -> None:
    from tests.web.conftest import make_console

    console = make_console(database_url, export_dir=str(tmp_path))
    try:
        file_english_case(console.intake, "claimant-1")
        client = _operator(console, "olivia")
        token = csrf_of(client.get("/exports").text)
        masked = client.post("/exports", data={"format": "csv", "csrf_token": token})
        assert client.get(masked.headers["location"] + "/download").status_code == 200
        assert console.store.access_log() == [], "a masked export is no access"
        unmasked = client.post(
            "/exports",
            data={"format": "jsonl", "personal": "1", "reason": "court order 12",
                  "csrf_token": token},
        )  # fmt: skip
        job_path = unmasked.headers["location"]
        (queued,) = console.store.access_log()
        flow_id = console.intake.default_flow
        assert (queued.actor, queued.case_ref, queued.reason) == (
            "web:olivia",
            f"flow:{flow_id}",
            "court order 12",
        )
        assert "user_key" in queued.fields and len(queued.fields) > 2
        assert client.get(f"{job_path}/download").status_code == 200
        console.accounts.add("ada", "admin", PASSWORD, actor="test")
        admin = client_for(console)
        assert sign_in(admin, "ada").status_code == 303
        assert admin.get(f"{job_path}/download").status_code == 200
        _, mine, admins = console.store.access_log()
        job = job_path.rsplit("/", 1)[1]
        for entry, actor in ((mine, "web:olivia"), (admins, "web:ada")):
            assert entry.actor == actor and entry.case_ref == f"flow:{flow_id}"
            assert entry.reason == f"download of export {job}: court order 12"
            assert entry.fields == queued.fields
        refused = _operator(console, "oscar")
        assert refused.get(f"{job_path}/download").status_code == 404
        assert len(console.store.access_log()) == 3, "a refused download logs nothing"
    finally:
        console.store.close()


def test_admins_see_the_access_log_and_operators_do_not(console: Console) -> None:
    reference = file_english_case(console.intake, "claimant-1")
    olivia = _operator(console)
    assert olivia.get(f"/cases/{reference}").status_code == 200
    oscar = _operator(console, "oscar")
    assert oscar.get(f"/cases/{reference}").status_code == 200
    for operator in (olivia, oscar):
        refused = operator.get("/audit/access")
        assert refused.status_code == 403 and case_page.REVIEW_REASON not in refused.text
    console.accounts.add("ada", "admin", PASSWORD, actor="test")
    admin = client_for(console)
    assert sign_in(admin, "ada").status_code == 303
    assert 'href="/audit/access"' in admin.get("/audit").text
    page = admin.get("/audit/access")
    assert page.status_code == 200
    assert page.text.count(f"<code>{reference}</code>") == 2
    assert "web:olivia" in page.text and "web:oscar" in page.text
    assert case_page.REVIEW_REASON in page.text and "user_key" in page.text
    assert "I could not reach my family" not in page.text, "the log names fields, not values"
    only = admin.get("/audit/access", params={"actor": "web:oscar"}).text
    assert "web:oscar" in only and "web:olivia" not in only
