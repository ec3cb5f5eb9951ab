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

Each worker also starts a session of its own (`os.setsid`). Linux's autogroup scheduling (on by
default on desktop and many server kernels: `/proc/sys/kernel/sched_autogroup_enabled`) shares the
CPU fairly between sessions first and between the processes of one session second, so workers
left in the supervisor's session shared one session's share of the cores against every other
session on the host (in the load benchmark on a crowded machine two workers served 0.43–0.69 ×
what one did). A worker in its own session no longer hears the terminal's Ctrl+C directly, so the
supervisor's signal handling stops it as before, and it asks the kernel for SIGTERM if the
supervisor itself dies (`PR_SET_PDEATHSIG`), since a `kill` of the supervisor's process group no
longer reaches it.
(Under systemd every unit is a cgroup of its own anyway, and the unit's stop reaches the workers.)
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import sys
from typing import Any

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


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class Worker(Process):
    """uvicorn's worker process, started in a session of its own (see the module docstring)."""

    def __init__(self, config: Config, sockets: list[socket.socket]) -> None:
        self.supervisor = os.getpid()
        super().__init__(config, sockets)

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # pragma: no cover
        own_session(self.supervisor)
        super().target(sockets)


def own_session(supervisor: int) -> None:
    """Leave the supervisor's session and process group; on Linux, get SIGTERM when it dies."""
    os.setsid()
    if sys.platform.startswith("linux"):
        libc: Any = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != supervisor:  # it died before the request above took effect
            os.kill(os.getpid(), signal.SIGTERM)


class ReusePortWorkers(Multiprocess):
    """uvicorn's `Multiprocess` with worker `i` always on socket `i` (see the module docstring)."""

    def __init__(self, config: Config) -> None:
        first = listening_socket(config.host, config.port)
        port = first.getsockname()[1]  # PORT=0: the port the first one got, for every other one
        self.own = [first, *(listening_socket(config.host, port) for _ in range(config.workers - 1))]
        super().__init__(config, sockets=[])

    def _spawn(self, index: int) -> Process:
        process = Worker(self.config, [self.own[index]])
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
