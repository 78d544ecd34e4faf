"""The fault suite: every test here carries the ``faults`` marker."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/faults/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.faults)


from tests.bot.conftest import claimant, fake, intake, sqlite_url  # noqa: E402 - shared fixtures

__all__ = ["claimant", "fake", "intake", "sqlite_url"]
