"""The admins' guide shows the rating kind as it is: the worked example cannot go stale."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parents[2]


def _class_block(text: str) -> str:
    start = text.index("class RatingStep(")
    end = text.index("STEP = RatingStep", start)
    return text[start:end]


def test_the_readme_example_is_the_rating_module() -> None:
    readme = (ROOT / "flows" / "README.md").read_text(encoding="utf-8")
    module = (ROOT / "flows" / "kinds" / "rating.py").read_text(encoding="utf-8")
    assert _class_block(readme) == _class_block(module)
