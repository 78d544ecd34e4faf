"""The Telegram channel: python-telegram-bot 22 over our own durable polling and webhook."""

from bot.telegram.app import build_application
from bot.telegram.channel import CHANNEL
from bot.telegram.runner import run_bot, serve

__all__ = ["CHANNEL", "build_application", "run_bot", "serve"]
