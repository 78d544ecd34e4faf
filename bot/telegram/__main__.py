"""``python -m bot.telegram [--webhook]``: the same as ``complaintbot run``."""

import sys

from bot.cli import app

if __name__ == "__main__":
    app(["run", *sys.argv[1:]], prog_name="complaintbot")
