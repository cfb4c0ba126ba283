"""A TCP relay between a client and the bridge, to cut the connection while the bridge runs on."""

from __future__ import annotations

import asyncio


class TcpProxy:
    """`cut()` aborts every relayed connection (the client sees 1006); while `refusing`, new
    connections are closed at once, so reconnect attempts fail until `refusing` is False."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.refusing = False
        self.accepted = 0
        self.refused = 0
        self.url = ""
        self._server: asyncio.AbstractServer | None = None
        self._open: set[asyncio.StreamWriter] = set()

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}"
        return self.url

    def cut(self) -> None:
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _relay(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        if self.refusing:
            self.refused += 1
            client_writer.transport.abort()
            return
        self.accepted += 1
        try:
            bridge_reader, bridge_writer = await asyncio.open_connection(
                "127.0.0.1", self.target_port
            )
        except OSError:
            client_writer.transport.abort()
            return
        self._open.update((client_writer, bridge_writer))
        await asyncio.gather(
            _pipe(client_reader, bridge_writer, client_writer),
            _pipe(bridge_reader, client_writer, bridge_writer),
        )
        self._open.difference_update((client_writer, bridge_writer))


async def _pipe(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, other: asyncio.StreamWriter
) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.transport.abort()
        other.transport.abort()
