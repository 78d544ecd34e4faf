"""The admins' flows pages over HTTP: roles, CSRF, drafts checked at their lines, the dry run,
scripts, publishing (blocked by a failing script), diffs and roll back, all audited."""

from __future__ import annotations

import html
import re

from starlette.testclient import TestClient

from flows import Text
from storage.flow_drafts import find_draft
from tests.web.conftest import Console, client_for, csrf_of
from tests.web.test_console_http import _actions, _admin, _operator

FLOW = "kakao-outage-2022"
PAGE = f"/flows/{FLOW}"


def _source(console: Console) -> str:
    return console.intake.interview(FLOW).loaded.source


def _post(client: TestClient, action: str, data: dict[str, str], page: str = PAGE):
    token = csrf_of(client.get(page).text)
    return client.post(action, data=data | {"csrf_token": token})


def _save(client: TestClient, source: str):
    return _post(client, f"{PAGE}/draft", {"source": source})


def _reworded(source: str) -> str:
    """The first English question asked after consent, in new words (scripts still pass)."""
    old = "Which Kakao services did the outage affect for you?"
    assert old in source
    return source.replace(old, "Which Kakao services let you down?", 1)


def services_question(console: Console, user: str) -> str:
    """A new English interview through the intake, up to the services question's text."""
    reply = console.intake.begin("test", user)
    answers = {"language": "2", "consent": "1"}
    while reply.prompt is not None and reply.prompt.step in answers:
        reply = console.intake.handle("test", user, Text(answers[reply.prompt.step]))
    assert reply.prompt is not None and reply.prompt.step == "services", reply
    return reply.prompt.text


def test_operators_get_the_friendly_403_on_every_flows_page(console: Console) -> None:
    operator = _operator(console)
    for path in ("/flows", PAGE, f"{PAGE}/try", f"{PAGE}/diff?old=x"):
        response = operator.get(path)
        assert response.status_code == 403, path
        assert "관리자만" in response.text
    token = csrf_of(operator.get("/").text)
    for action in ("draft", "draft/discard", "scripts", "publish", "rollback", "try"):
        response = operator.post(f"{PAGE}/{action}", data={"csrf_token": token, "source": "x"})
        assert response.status_code == 403, action
    assert find_draft(console.store.engine, FLOW) is None


def test_signed_out_visitors_are_sent_to_sign_in(console: Console) -> None:
    response = client_for(console).get("/flows")
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")


def test_flows_actions_need_the_csrf_token(console: Console) -> None:
    admin = _admin(console)
    response = admin.post(f"{PAGE}/draft", data={"source": "id: x\n"})
    assert response.status_code == 403
    assert find_draft(console.store.engine, FLOW) is None


def test_the_list_shows_each_flow_its_versions_and_which_is_live(console: Console) -> None:
    admin = _admin(console)
    page = admin.get("/flows")
    assert page.status_code == 200
    for flow_id in console.intake.flow_ids:
        live = console.intake.interview(flow_id).version
        assert f'href="/flows/{flow_id}"' in page.text
        assert live in page.text
    assert "first start" in page.text and "system" in page.text  # who released, the note
    assert "게시 중" in page.text


def test_an_error_is_shown_at_its_line_with_the_caret_and_the_draft_kept(
    console: Console,
) -> None:
    admin = _admin(console)
    lines = _source(console).splitlines()
    target = next(n for n, text in enumerate(lines) if text.strip() == "goto: services")
    lines[target] = lines[target].replace("goto: services", "goto: servicez")
    broken = "\r\n".join(lines) + "\r\n"  # as a browser sends a textarea
    response = _save(admin, broken)
    assert response.status_code == 400
    body = html.unescape(response.text)
    assert f"{target + 1}번째 줄, 9번째 칸" in body
    assert "unknown step 'servicez' referenced" in body
    assert "goto: servicez" in body
    caret = re.search(r'<span class="caret" aria-hidden="true">( *)\^</span>', response.text)
    assert caret and len(caret.group(1)) == 8  # under column 9
    assert 'aria-describedby="f-source-hint source-problems"' in response.text
    assert 'aria-invalid="true"' in response.text and 'aria-live="polite"' in response.text
    assert 'href="#f-source"' in response.text  # the error summary links to the editor
    draft = find_draft(console.store.engine, FLOW)
    assert draft is not None and "\r" not in draft.source and "goto: servicez" in draft.source
    assert ("web:alice", "draft", FLOW) in _actions(console)
    assert "게시할 수 있습니다" in body  # the publish form is withheld while it has problems
    assert 'action="/flows/kakao-outage-2022/publish"' not in response.text


def test_a_yaml_syntax_error_and_a_changed_id_are_located(console: Console) -> None:
    admin = _admin(console)
    source = _source(console)
    line = source.splitlines().index("case_prefix: KKO") + 1
    response = _save(admin, source.replace("case_prefix: KKO", "case_prefix: KKO: x", 1))
    assert response.status_code == 400
    assert f"{line}번째 줄, 17번째 칸" in response.text
    assert "mapping values are not allowed here" in response.text
    renamed = source.replace(f"id: {FLOW}", "id: another-flow", 1)
    response = _save(admin, renamed)
    assert response.status_code == 400
    assert "the id must stay" in html.unescape(response.text)


def test_publishing_a_valid_draft_makes_it_live_audited_with_the_admin(console: Console) -> None:
    admin = _admin(console)
    before = console.intake.interview(FLOW).version
    assert _save(admin, _reworded(_source(console))).status_code == 303
    page = admin.get(PAGE)
    assert "문제가 없습니다" in page.text  # the flash after the save
    assert "let you down" in page.text  # the diagram shows the draft's wording
    assert "diff-added" in page.text and "diff-removed" in page.text
    response = _post(admin, f"{PAGE}/publish", {"note": "clearer wording"})
    assert response.status_code == 303
    after = console.intake.interview(FLOW).version
    assert after != before
    assert find_draft(console.store.engine, FLOW) is None
    assert ("web:alice", "release", f"{FLOW}@{after}") in _actions(console)
    listing = admin.get("/flows").text
    assert "clearer wording" in listing and "web:alice" in listing
    # a new conversation gets the new words
    assert "let you down" in services_question(console, "new-claimant")


def test_publish_is_blocked_by_a_failing_script_with_the_failure_shown(console: Console) -> None:
    admin = _admin(console)
    source = _source(console)
    # the scripts expect the apology text "Please check"; a draft without it fails one
    assert "Please check" in source
    assert _save(admin, source.replace("Please check", "Look over", 1)).status_code == 303
    before = console.intake.interview(FLOW).version
    response = _post(admin, f"{PAGE}/publish", {"note": "should not go out"})
    assert response.status_code == 409
    body = html.unescape(response.text)
    assert "게시하지 않았습니다" in body
    assert "expected the prompt to show 'Please check'" in body
    assert "실패" in body and "통과" in body
    assert console.intake.interview(FLOW).version == before
    assert not any(
        action == "release" and who == "web:alice" for who, action, _ in _actions(console)
    )


def test_scripts_run_on_demand_against_the_draft(console: Console) -> None:
    admin = _admin(console)
    response = _post(admin, f"{PAGE}/scripts", {})
    assert response.status_code == 200
    scripts = len(re.findall(r'<li class="passed">', response.text))
    assert scripts >= 3 and 'class="failed"' not in response.text
    _save(admin, _source(console).replace("Please check", "Look over", 1))
    response = _post(admin, f"{PAGE}/scripts", {})
    assert 'class="failed"' in response.text


def test_roll_back_to_an_earlier_version_and_see_the_diff(console: Console) -> None:
    admin = _admin(console)
    first = console.intake.interview(FLOW).version
    _save(admin, _reworded(_source(console)))
    _post(admin, f"{PAGE}/publish", {"note": "new words"})
    second = console.intake.interview(FLOW).version
    diff = admin.get(f"{PAGE}/diff?old={first}")
    assert diff.status_code == 200
    assert "Which Kakao services let you down?" in html.unescape(diff.text)
    assert 'class="diff-added"' in diff.text and "추가" in diff.text
    response = _post(admin, f"{PAGE}/rollback", {"version": first, "note": "back to the old"})
    assert response.status_code == 303
    assert console.intake.interview(FLOW).version == first
    assert ("web:alice", "rollback", f"{FLOW}@{first}") in _actions(console)
    again = _post(admin, f"{PAGE}/rollback", {"version": first})
    assert again.status_code == 303
    assert "되돌릴 수 없습니다" in admin.get(PAGE).text
    assert admin.get(f"{PAGE}/diff?old=nope").status_code == 303
    assert second != first


def test_the_dry_run_chats_through_the_engine_and_stores_nothing(console: Console) -> None:
    admin = _admin(console)
    with console.store.engine.connect() as conn:
        from sqlalchemy import text

        conversations = conn.execute(text("select count(*) from conversations")).scalar()
    page = admin.get(f"{PAGE}/try")
    assert page.status_code == 200
    state = re.search(r'name="state" value="([^"]+)"', page.text)
    transcript = re.search(r'name="transcript" value="([^"]+)"', page.text)
    assert state and transcript
    response = admin.post(
        f"{PAGE}/try",
        data={
            "csrf_token": csrf_of(page.text),
            "state": html.unescape(state.group(1)),
            "transcript": html.unescape(transcript.group(1)),
            "choose": "en",
        },
    )
    assert response.status_code == 200
    assert "consent" in html.unescape(response.text).lower() or "agree" in response.text.lower()
    assert "나:" in response.text  # the admin's answer is in the transcript
    with console.store.engine.connect() as conn:
        from sqlalchemy import text

        assert conn.execute(text("select count(*) from conversations")).scalar() == conversations


def test_discarding_the_draft_shows_the_live_version_again(console: Console) -> None:
    admin = _admin(console)
    _save(admin, _reworded(_source(console)))
    assert _post(admin, f"{PAGE}/draft/discard", {}).status_code == 303
    assert find_draft(console.store.engine, FLOW) is None
    assert "let you down" not in admin.get(PAGE).text
    assert ("web:alice", "discard draft", FLOW) in _actions(console)


def test_an_unknown_flow_is_a_friendly_404(console: Console) -> None:
    admin = _admin(console)
    assert admin.get("/flows/no-such-flow").status_code == 404
