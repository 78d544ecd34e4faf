"""Outage rehearsals: simulated claimants through a deployment's webhook (`complaintbot rehearse`)."""

from bot.rehearsal.run import Plan, RehearsalError, Summary, rehearse

__all__ = ["Plan", "RehearsalError", "Summary", "rehearse"]
