"""`python server.py --workers N`: N worker processes, each accepting on a listening socket of its own.

uvicorn's supervisor shares one listening socket among its workers, and whichever is awake first
accepts: under a burst of keep-alive connections (a proxy's upstream pool, a load generator's 50)
one worker may take nearly all of them for as long as they live while the other idles (0.17 + 0.90
cores in the load benchmark). Here the supervisor binds one socket per worker on the same address
with `SO_REUSEPORT`, and the kernel spreads new connections over them by a hash of the client's
address and port, so each worker gets its share whoever is awake. A worker that dies is replaced
on the same socket (connections still waiting in its queue are reset and retried by WeChat or
nginx); `SIGHUP` replaces the workers one by one, as uvicorn's does. The rest of uvicorn's
supervisor (signals, health pings, the startup-failure rule) is used as it is.
"""

from __future__ import annotations

import socket

from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to `host:port` that other sockets of this user may bind too (`SO_REUSEPORT`);
    the worker's server listens on it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class ReusePortWorkers(Multiprocess):
    """uvicorn's `Multiprocess` with worker `i` always on socket `i` (see the module docstring)."""

    def __init__(self, config: Config) -> None:
        first = listening_socket(config.host, config.port)
        port = first.getsockname()[1]  # PORT=0: the port the first one got, for every other one
        self.own = [first, *(listening_socket(config.host, port) for _ in range(config.workers - 1))]
        super().__init__(config, sockets=[])

    def _spawn(self, index: int) -> Process:
        process = Process(self.config, [self.own[index]])
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self._spawn(i) for i in range(len(self.own))]

    def restart_all(self) -> None:
        for index, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._spawn(index)  # both listen on the socket until the old one is gone
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                return
            old.terminate()
            old.join()
            self.processes[index] = new

    def keep_subprocess_alive(self) -> None:
        for index, process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:  # would fail the same way on every restart
                self.should_exit.set()
                return
            self.processes[index] = self._spawn(index)
