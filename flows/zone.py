"""The flows' default time zone: the one place it is named. A flow sets its own (``timezone``);
code that has no flow at hand (a console clock, a file name's stamp) uses this one."""

from __future__ import annotations

from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Seoul"
DEFAULT_ZONE = ZoneInfo(DEFAULT_TIMEZONE)
