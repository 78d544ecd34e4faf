"""The console over HTTP: first admin, sign-in, roles, CSRF, limits, sessions, audit, pages."""

from __future__ import annotations

import re

from starlette.routing import Route
from starlette.testclient import TestClient

from bot.web.signin_gate import PUBLIC_PATHS
from storage.audit import events_before
from tests.web.conftest import (
    PASSWORD,
    Console,
    client_for,
    csrf_of,
    file_english_case,
    make_console,
    post_form,
    sign_in,
)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def _admin(console: Console, name: str = "alice") -> TestClient:
    assert console.first_admin_link is not None
    client = client_for(console)
    link = _path(console.first_admin_link)
    page = client.get(link)
    response = client.post(
        link,
        data={
            "name": name,
            "password": PASSWORD,
            "repeat": PASSWORD,
            "csrf_token": csrf_of(page.text),
        },
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    return client


def _operator(console: Console, name: str = "olivia") -> TestClient:
    console.accounts.add(name, "operator", PASSWORD, actor="test")
    client = client_for(console)
    assert sign_in(client, name).status_code == 303
    return client


def _actions(console: Console) -> list[tuple[str, str, str]]:
    with console.store.engine.connect() as conn:
        return [(e.actor, e.action, e.subject) for e in events_before(conn, None, 500)]


def test_the_first_admin_link_creates_the_admin_once_and_signs_them_in(console: Console) -> None:
    client = _admin(console)
    home = client.get("/")
    assert home.status_code == 200
    assert "alice" in home.text and "첫 관리자 alice 계정을 만들었습니다" in home.text
    again = client_for(console).get(_path(console.first_admin_link or ""))
    assert again.status_code == 410 and "쓸 수 없는 링크" in again.text
    assert ("web:alice", "first_admin", "alice") in _actions(console)


def test_the_first_admin_form_shows_each_error_at_its_field(console: Console) -> None:
    client = client_for(console)
    link = _path(console.first_admin_link or "")
    token = csrf_of(client.get(link).text)
    response = client.post(
        link,
        data={"name": "Bad Name!", "password": "short", "repeat": "short", "csrf_token": token},
    )
    assert response.status_code == 400
    assert 'id="f-name-error"' in response.text
    assert re.search(r'id="f-name"[^>]*aria-describedby="f-name-hint f-name-error"', response.text)
    assert 'aria-invalid="true"' in response.text
    assert console.accounts.listing() == []


def test_signed_out_visitors_reach_only_the_public_pages(console: Console) -> None:
    client = client_for(console)
    checked = 0
    for route in console.app.routes:
        if not isinstance(route, Route) or route.path.startswith(PUBLIC_PATHS):
            continue
        path = re.sub(r"\{[^}]+\}", "someone", route.path)
        for method in sorted(route.methods or []):
            if method == "HEAD":
                continue
            if method == "GET":
                response = client.get(path)
            else:
                response = post_form(client, "/sign-in", path, {})
            assert response.status_code == 303, (method, path)
            assert response.headers["location"].startswith("/sign-in"), (method, path)
            checked += 1
    assert checked >= 6
    assert client.get("/sign-in").status_code == 200
    assert client.get("/healthz").text == "ok"


def test_operators_get_a_friendly_403_on_admin_pages(console: Console) -> None:
    _admin(console)
    client = _operator(console)
    assert client.get("/").status_code == 200
    for path in ("/audit", "/users"):
        page = client.get(path)
        assert page.status_code == 403 and "관리자만 볼 수 있습니다" in page.text
    added = post_form(client, "/", "/users", {"name": "sneaky", "role": "admin"})
    assert added.status_code == 403
    assert console.accounts.find("sneaky") is None
    disabled = post_form(client, "/", "/users/alice/disable", {})
    assert disabled.status_code == 403 and console.accounts.find("alice").active  # type: ignore[union-attr]


def test_a_form_without_the_right_csrf_token_is_refused(console: Console) -> None:
    _admin(console)
    client = client_for(console)
    client.get("/sign-in")
    no_token = client.post("/sign-in", data={"name": "alice", "password": PASSWORD})
    assert no_token.status_code == 403 and "요청을 처리하지 못했습니다" in no_token.text
    wrong = client.post(
        "/sign-in", data={"name": "alice", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert wrong.status_code == 403
    other_browser = client_for(console)
    stolen = csrf_of(other_browser.get("/sign-in").text)
    cross = client.post(
        "/sign-in", data={"name": "alice", "password": PASSWORD, "csrf_token": stolen}
    )
    assert cross.status_code == 403
    assert [a for a in _actions(console) if a[1] == "sign_in"] == [
        ("web:alice", "sign_in", "console")
    ]
    header = client.post(
        "/sign-in",
        data={"name": "alice", "password": PASSWORD},
        headers={"x-csrf-token": csrf_of(client.get("/sign-in").text)},
    )
    assert header.status_code == 303


def test_signed_in_forms_are_csrf_checked_too(console: Console) -> None:
    client = _admin(console)
    forged = client.post("/users", data={"name": "bob", "role": "operator"})
    assert forged.status_code == 403
    assert console.accounts.find("bob") is None


def test_failed_sign_ins_are_limited_per_account(console: Console) -> None:
    _admin(console)
    client = client_for(console)
    for _ in range(5):
        assert sign_in(client, "alice", "wrong password!").status_code == 400
    limited = sign_in(client, "alice", PASSWORD)
    assert limited.status_code == 429
    assert "로그인 실패가 너무 많습니다. 15분 뒤에 다시 시도하세요." in limited.text
    assert "sign_in_limited" in [a[1] for a in _actions(console)]


def test_failed_sign_ins_are_limited_per_address(console: Console) -> None:
    _admin(console)
    client = client_for(console)
    for n in range(20):
        sign_in(client, f"nobody{n}", "wrong password!")
    assert sign_in(client, "alice", PASSWORD).status_code == 429


def test_sign_out_ends_the_session_even_for_a_copied_cookie(console: Console) -> None:
    client = _admin(console)
    cookie = client.cookies["cb_session"]
    assert post_form(client, "/", "/sign-out", {}).status_code == 303
    copy = client_for(console)
    copy.cookies.set("cb_session", cookie)
    assert copy.get("/").headers["location"] == "/sign-in"
    assert ("web:alice", "sign_out", "console") in _actions(console)


def test_disabling_an_account_ends_its_open_session(console: Console) -> None:
    admin = _admin(console)
    operator = _operator(console, "olivia")
    assert operator.get("/").status_code == 200
    assert post_form(admin, "/users", "/users/olivia/disable", {}).status_code == 303
    assert operator.get("/").headers["location"] == "/sign-in"
    assert "사용 중지됨" in admin.get("/users").text
    assert ("web:alice", "account_disable", "olivia") in _actions(console)
    assert sign_in(client_for(console), "olivia").status_code == 400
    assert post_form(admin, "/users", "/users/olivia/enable", {}).status_code == 303
    assert operator.get("/").headers["location"] == "/sign-in"  # the old session stays ended
    assert sign_in(client_for(console), "olivia").status_code == 303
    assert ("web:alice", "account_enable", "olivia") in _actions(console)


def test_an_admin_adds_an_operator_who_sets_a_password_through_the_link(console: Console) -> None:
    admin = _admin(console)
    shown = post_form(admin, "/users", "/users", {"name": "Bob", "role": "operator"})
    assert shown.status_code == 200
    link = re.search(r'value="(http://[^"]+/account/setup/[^"]+)"', shown.text)
    assert link, shown.text
    bob = client_for(console)
    path = _path(link.group(1))
    page = bob.get(path)
    assert "bob" in page.text
    saved = bob.post(
        path, data={"password": PASSWORD, "repeat": PASSWORD, "csrf_token": csrf_of(page.text)}
    )
    assert saved.status_code == 303
    assert "bob(운영자)로 로그인함" in bob.get("/").text
    actions = _actions(console)
    assert ("web:alice", "account_add", "bob") in actions
    assert ("web:bob", "password_set", "bob") in actions


def test_the_audit_page_lists_actions_newest_first_in_keyset_pages(console: Console) -> None:
    admin = _admin(console)
    for n in range(60):
        console.store.audit("cli:test", "export", f"flow-{n:02d}")
    first = admin.get("/audit")
    assert first.status_code == 200
    subjects = re.findall(r"<code>(flow-\d\d)</code>", first.text)
    assert subjects[:2] == ["flow-59", "flow-58"] and len(subjects) == 50
    older = re.search(r'href="/audit\?before=(\d+)"', first.text)
    assert older
    second = admin.get(f"/audit?before={older.group(1)}")
    rest = re.findall(r"<code>(flow-\d\d)</code>", second.text)
    assert rest[:10] == [f"flow-{n:02d}" for n in range(9, -1, -1)]
    assert "first_admin" in second.text


def test_the_home_page_shows_real_counts_flows_and_versions(console: Console) -> None:
    file_english_case(console.intake, "claimant-1")
    file_english_case(console.intake, "claimant-2")
    admin = _admin(console)
    home = admin.get("/")
    text = home.text
    live = console.intake.interview("kakao-outage-2022").version
    assert f"<code>{live}</code>" in text
    assert "<code>generic-outage</code>" in text
    counted = re.search(r"집계되는 사례</dt><dd>([\d,]+)</dd>", text)
    assert counted and counted.group(1) == "2"
    assert "카카오톡" in text  # the service dimension's top value, by its label
    assert "web:alice" in text  # recent activity, for admins


def test_pages_carry_the_security_headers_and_the_cookie_flags(console: Console) -> None:
    client = client_for(console)
    page = client.get("/sign-in")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-content-type-options"] == "nosniff"
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert "<script>" not in page.text and "style=" not in page.text and "<style" not in page.text


def test_cookies_are_secure_behind_https(database_url: str) -> None:
    made = make_console(database_url, web_secure_cookies=True)
    try:
        page = TestClient(made.app, base_url="https://testserver").get("/sign-in")
        assert "secure" in page.headers["set-cookie"].lower()
        assert page.headers["strict-transport-security"].startswith("max-age=")
    finally:
        made.store.close()


def test_language_and_display_choices_are_remembered_in_cookies(console: Console) -> None:
    client = client_for(console)
    assert '<html lang="ko">' in client.get("/sign-in").text
    post_form(client, "/sign-in", "/preferences", {"language": "en", "next": "/sign-in"})
    post_form(client, "/sign-in", "/preferences", {"text_size": "large", "next": "/sign-in"})
    post_form(client, "/sign-in", "/preferences", {"contrast": "high", "next": "/sign-in"})
    page = client.get("/sign-in").text
    assert '<html lang="en" class="large-text high-contrast">' in page
    assert "Sign in" in page and 'aria-pressed="true"' in page


def test_preferences_never_redirect_off_the_site(console: Console) -> None:
    client = client_for(console)
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = post_form(client, "/sign-in", "/preferences", {"next": target})
        assert response.headers["location"] == "/"


def test_an_english_browser_gets_english_pages(console: Console) -> None:
    client = client_for(console)
    page = client.get("/sign-in", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="en">' in page.text and "Account name" in page.text


def test_unknown_pages_are_friendly(console: Console) -> None:
    signed_out = client_for(console).get("/no-such-page")
    assert signed_out.headers["location"] == "/sign-in?next=/no-such-page"
    page = _admin(console).get("/no-such-page")
    assert page.status_code == 404 and "페이지를 찾을 수 없습니다" in page.text
    assert "content-security-policy" in page.headers


def test_an_account_changes_its_own_password_and_its_other_sessions_end(console: Console) -> None:
    here = _admin(console)
    elsewhere = client_for(console)
    assert sign_in(elsewhere, "alice").status_code == 303
    wrong = post_form(
        here,
        "/account/password",
        "/account/password",
        {
            "current": "not my password",
            "password": "a new long password",
            "repeat": "a new long password",
        },
    )
    assert wrong.status_code == 400 and 'id="f-current-error"' in wrong.text
    changed = post_form(
        here,
        "/account/password",
        "/account/password",
        {"current": PASSWORD, "password": "a new long password", "repeat": "a new long password"},
    )
    assert changed.status_code == 303
    assert "비밀번호를 바꿨습니다." in here.get("/").text
    assert elsewhere.get("/").headers["location"] == "/sign-in"
    assert sign_in(client_for(console), "alice").status_code == 400
    assert sign_in(client_for(console), "alice", "a new long password").status_code == 303
    actions = [a[1] for a in _actions(console)]
    assert "password_change_failed" in actions and "password_change" in actions


def test_a_database_outage_gets_a_friendly_503_page(console: Console, monkeypatch) -> None:
    from sqlalchemy.exc import OperationalError

    client = _admin(console)

    def down(*_: object, **__: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(console.accounts, "session", down)
    page = client.get("/")
    assert page.status_code == 503
    assert "데이터베이스에 잠시 연결할 수 없습니다" in page.text
    assert "Traceback" not in page.text and "content-security-policy" in page.headers
