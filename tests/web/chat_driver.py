"""A claimant in the web chat over HTTP: reads the page, presses its buttons, types."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.web.conftest import csrf_of

if TYPE_CHECKING:
    from starlette.testclient import TestClient

QUESTION = re.compile(r'<h2 id="question"[^>]*>(.*?)</h2>', re.S)
BUTTON = re.compile(r'<button type="submit" name="press" value="([^"]+)"[^>]*>(.*?)</button>', re.S)
TURN = re.compile(r'name="turn" value="(\d+)"')
ERROR = re.compile(r'id="answer-error" role="alert">(.*?)</p>', re.S)
TAG = re.compile(r"<[^>]+>")

EN_BY_BUTTONS: list[tuple[str, str]] = [
    ("press", "English"),
    ("press", "I agree"),
    ("toggle", "KakaoTalk"),
    ("press", "Done"),
    ("press", "I paid"),
    ("press", "Individual user"),
    ("toggle", "Lost time and distress"),
    ("press", "Done"),
    ("type", "15 Oct 2022 6pm"),
    ("type", "I could not reach my family during the outage."),
    ("press", "Skip"),
    ("press", "Skip"),
    ("press", "Submit"),
]
KO_BY_BUTTONS: list[tuple[str, str]] = [
    ("press", "한국어"),
    ("press", "동의합니다"),
    ("toggle", "카카오톡"),
    ("press", "완료"),
    ("press", "무료"),
    ("press", "개인 이용자"),
    ("toggle", "시간 손실"),
    ("press", "완료"),
    ("type", "2022-10-16 14:00"),
    ("type", "카카오톡이 안 되어 가족과 연락하지 못했습니다."),
    ("press", "건너뛰기"),
    ("press", "건너뛰기"),
    ("press", "제출"),
]


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub("", fragment)).split())


@dataclass
class WebClaimant:
    client: TestClient
    page: str = ""
    history: list[str] = field(default_factory=list)
    fetch: bool = False
    """Answer as chat.js does: one request, the next page in its answer (no redirect)."""

    def open(self) -> str:
        response = self.client.get("/chat")
        assert response.status_code == 200, response.status_code
        self.page = response.text
        return self.page

    def start(self) -> str:
        self.open()
        response = self.client.post("/chat/start", data={"csrf_token": csrf_of(self.page)})
        assert response.status_code == 303
        return self.open()

    @property
    def question(self) -> str:
        found = QUESTION.search(self.page)
        return text_of(found.group(1)) if found else ""

    @property
    def error(self) -> str:
        found = ERROR.search(self.page)
        return text_of(found.group(1)) if found else ""

    def buttons(self) -> list[tuple[str, str]]:
        return [(value, text_of(label)) for value, label in BUTTON.findall(self.page)]

    def _form(self, **fields: str) -> dict[str, str]:
        turn = TURN.search(self.page)
        assert turn, f"no question on the page: {self.question!r}"
        step = re.search(r'name="step" value="([^"]*)"', self.page)
        return (
            {"csrf_token": csrf_of(self.page), "turn": turn.group(1)}
            | ({"step": step.group(1)} if step else {})
            | fields
        )

    def press(self, label: str) -> str:
        """The first button whose visible text starts with ``label`` (ticks aside)."""
        for value, text in self.buttons():
            if text.lstrip("✅⬜ ").startswith(label):
                return self._post("/chat/answer", self._form(press=value))
        raise AssertionError(f"no button {label!r} among {self.buttons()}")

    def type(self, text: str) -> str:
        return self._post("/chat/answer", self._form(press="text", text=text))

    def upload(self, name: str, content: bytes, mime: str = "application/octet-stream") -> str:
        token = csrf_of(self.page)
        response = self.client.post(
            "/chat/upload",
            data={"csrf_token": token},
            files={"file": (name, content, mime)},
        )
        assert response.status_code == 303, response.status_code
        return self.open()

    def _post(self, path: str, data: dict[str, str]) -> str:
        self.history.append(self.question)
        if self.fetch:
            response = self.client.post(path, data=data, headers={"X-Chat-Fetch": "1"})
            assert response.status_code == 200, (response.status_code, response.text[:300])
            assert response.headers.get("X-Chat-Page") == "1"
            self.page = response.text
            return self.page
        response = self.client.post(path, data=data)
        assert response.status_code == 303, (response.status_code, response.text[:300])
        return self.open()

    def run(self, script: list[tuple[str, str]]) -> str:
        for how, what in script:
            if how == "type":
                self.type(what)
            else:
                self.press(what)
        return self.page

    def case_number(self) -> str:
        found = re.search(r"[A-Z]{3}-\d{6}-\d{6}", self.question)
        assert found, f"no case number at the end: {self.question!r}"
        return found.group(0)


def claimant(client: TestClient) -> WebClaimant:
    return WebClaimant(client)


def form_with_csrf(page: str, **fields: Any) -> dict[str, Any]:
    return {"csrf_token": csrf_of(page)} | fields
