"""Regenerate the vendored Vega bundle from the installed vl-convert-python."""

from __future__ import annotations

import vl_convert

from bot.desk.assets import BUNDLE

if __name__ == "__main__":
    BUNDLE.write_text(vl_convert.javascript_bundle(), encoding="utf-8")
    print(f"wrote {BUNDLE} (Vega {vl_convert.get_vega_version()})")
