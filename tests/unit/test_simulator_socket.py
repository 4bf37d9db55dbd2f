"""The simulator's listening socket hands out connections that send at once (TCP_NODELAY): with a socket made
as proto 0, asyncio left Nagle on, and every answer on a kept-alive connection after the first waited for the
client's delayed ACK, about 40 ms a request (issue 27: the benchmarks' server added that to every batch)."""

from __future__ import annotations

import asyncio
import socket

from kufertui.simulator.server import bind_socket


async def test_connections_of_the_simulator_socket_send_without_delay() -> None:
    loop = asyncio.get_running_loop()
    seen: asyncio.Future[int] = loop.create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    server = await loop.create_server(Probe, sock=bind_socket("127.0.0.1", 0))
    async with server:
        port = server.sockets[0].getsockname()[1]
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        assert await asyncio.wait_for(seen, 10) != 0
        writer.close()
