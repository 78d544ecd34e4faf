"""The web console for admins and operators (and, later, the claimants' web chat): one app."""

from bot.web.app import create_app

__all__ = ["create_app"]
