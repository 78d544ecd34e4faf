"""Vendored web assets for the report's offline HTML; regenerate with
``python -m bot.desk.assets`` (Vega, Vega-Lite and Vega-Embed bundled by vl-convert)."""

from __future__ import annotations

from pathlib import Path

BUNDLE = Path(__file__).with_name("vega-bundle.js")


def vega_bundle() -> str:
    """The JavaScript that draws the charts, with no network access needed."""
    return BUNDLE.read_text(encoding="utf-8")
