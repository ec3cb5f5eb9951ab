"""`bot.workers`: a listening socket per worker on one port, the kernel spreading connections."""

from __future__ import annotations

import select
import signal
import socket

import uvicorn
from uvicorn.supervisors.multiprocess import SIGNALS

from bot.workers import ReusePortWorkers, listening_socket


def test_sockets_of_one_port_each_get_a_share_of_new_connections() -> None:
    first = listening_socket("127.0.0.1", 0)
    port = first.getsockname()[1]
    second = listening_socket("127.0.0.1", port)
    clients = []
    try:
        for sock in (first, second):
            sock.listen(128)
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(64)]
        accepted = {}
        for name, sock in (("first", first), ("second", second)):
            sock.setblocking(False)
            count = 0
            while select.select([sock], [], [], 0.2)[0]:
                sock.accept()[0].close()
                count += 1
            accepted[name] = count
        assert sum(accepted.values()) == 64
        assert min(accepted.values()) >= 8  # a hash over 64 client ports: both get a share
    finally:
        for sock in (*clients, first, second):
            sock.close()


def test_every_worker_has_a_socket_of_its_own_on_the_same_port() -> None:
    config = uvicorn.Config("server:worker_app", factory=True, host="127.0.0.1", port=0, workers=3)
    handlers = {sig: signal.getsignal(sig) for sig in SIGNALS}
    supervisor = ReusePortWorkers(config)  # installs the supervisor's signal handlers: put back below
    try:
        own = supervisor.own
        assert len({sock.fileno() for sock in own}) == 3
        assert len({sock.getsockname() for sock in own}) == 1
        assert all(sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) for sock in own)
    finally:
        for sock in supervisor.own:
            sock.close()
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
