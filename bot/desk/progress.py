"""A progress bar for long exports: rows done, rows per second and time left, on stderr;
nothing at all when stderr is not a terminal (cron jobs, pipes, tests)."""

from __future__ import annotations

import sys
from typing import Any

from bot.desk.exporting import Progress


class ExportProgress:
    """``with ExportProgress() as progress: ...`` hands ``progress`` to the export (or None)."""

    def __enter__(self) -> Progress | None:
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            ProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bar
        from rich.text import Text

        class RowsPerSecond(ProgressColumn):
            def render(self, task: Any) -> Text:
                return Text(f"{task.speed:,.0f} rows/s" if task.speed else "")

        self._bar = Bar(
            TextColumn("exporting"), BarColumn(), MofNCompleteColumn(), RowsPerSecond(),
            TimeRemainingColumn(), console=Console(stderr=True), transient=True,
        )  # fmt: skip
        self._bar.start()
        task = self._bar.add_task("export", total=None)

        def update(done: int, total: int | None) -> None:
            self._bar.update(task, completed=done, total=total)

        return update

    def __exit__(self, *_: object) -> None:
        if hasattr(self, "_bar"):
            self._bar.stop()
