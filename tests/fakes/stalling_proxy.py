"""A TCP proxy on 127.0.0.1 that can stall (hold every byte) or refuse, in front of a database.

A database that stops answering is not one that refuses: TCP stays up, the peer acknowledges
what it gets, and nothing comes back. ``stall()`` makes exactly that happen between the bot
and PostgreSQL; ``resume()`` forwards what was held; ``refuse()`` drops every connection and
turns new ones away, like a server that is down.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Self


class StallingProxy:
    """Forward 127.0.0.1:``port`` to ``upstream``; thread-safe controls for tests."""

    def __init__(self, upstream_host: str = "127.0.0.1", upstream_port: int = 5432) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._flowing = asyncio.Event()
        self._refusing = False
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(self, *exc_info: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def stall(self) -> None:
        """Keep every connection open, forward nothing in either direction."""
        self._loop.call_soon_threadsafe(self._flowing.clear)

    def resume(self) -> None:
        """Forward again, the bytes held during the stall first; accept connections again."""
        self._refusing = False
        self._loop.call_soon_threadsafe(self._flowing.set)

    def refuse(self) -> None:
        """Drop every connection and close new ones at once (the database is down)."""
        self._refusing = True
        self._loop.call_soon_threadsafe(self._drop_all)

    async def _start(self) -> None:
        self._flowing.set()
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        self._drop_all()
        if self._server is not None:
            self._server.close()

    def _drop_all(self) -> None:
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._refusing:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))

    async def _pump(self, source: asyncio.StreamReader, target: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await source.read(65536):
                await self._flowing.wait()  # a stall holds the bytes here
                if target.transport.is_closing():
                    break
                target.write(data)
                await target.drain()
        target.transport.abort()
        self._writers.discard(target)
