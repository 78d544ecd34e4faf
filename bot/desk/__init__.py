"""The operators' desk: export writers (CSV, XLSX, JSON Lines, Parquet), export jobs, and the
report's rendering (JSON, Markdown, HTML with charts, PNG), used by the CLI, Telegram and the
web console alike."""

from bot.desk.desk import Desk
from bot.desk.exporting import FORMATS, ExportFailed, LeaseLost
from storage.export_rows import ExportQuery

__all__ = ["FORMATS", "Desk", "ExportFailed", "ExportQuery", "LeaseLost"]
