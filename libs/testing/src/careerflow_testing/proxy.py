"""A TCP proxy a test can cut, to take RabbitMQ or Postgres away from one process alone.

The real servers are shared with other tests (and other people's) and must never be stopped, so
a test points the code under test at ``proxied(url, proxy.port)`` and cuts or restores the path:
``down()`` refuses new connections and aborts every open one, as a restarting server or a lost
network would; ``up()`` serves again on the same port.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit, urlunsplit


class SwitchableProxy:
    """Forwards 127.0.0.1:<port> to a real server while up; ``down()`` refuses and cuts all."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def up(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def down(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()
        if server is not None:
            await server.wait_closed()

    async def reserve_port(self) -> None:
        """Pick a port and hold nothing on it: connections are refused until ``up()``."""
        await self.up()
        await self.down()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, up_writer))

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers.difference_update((writer, up_writer))


def proxied(url: str, port: int) -> str:
    """``url`` with its host and port replaced by the proxy's (credentials kept)."""
    parts = urlsplit(url)
    userinfo = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urlunsplit(parts._replace(netloc=f"{userinfo}127.0.0.1:{port}"))


def target_of(url: str) -> tuple[str, int]:
    """The host and port ``url`` points at, for the proxy to forward to."""
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or (5672 if parts.scheme == "amqp" else 5432)
