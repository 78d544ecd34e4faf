"""``python -m bot.telegram [--webhook]``: the same as ``complaintbot run``."""

import sys

from bot.cli import main

if __name__ == "__main__":
    main(["run", *sys.argv[1:]])
