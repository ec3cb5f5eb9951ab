"""Real server processes for the tests about more than one worker, or about real sockets.

`running(redis_url, ...)` starts `tests/serve.py` (the real app under uvicorn, as `server.py` runs
it) on free loopback ports, waits until each answers `/healthz`, and stops them afterwards; each
process's stderr goes to a file so a test can scan what it logged. Requests to `/wechat` are
signed with the token the processes get (`TOKEN`). `supervised(redis_url, workers, env)` starts
`python server.py --workers N` instead: one port, N worker processes under uvicorn's supervisor.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.staff.accounts import hash_password

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "pamtest"
APPID = "wxb11529c136998cb6"
STAFF_PASSWORD = "correct horse battery"
STAFF_HASH = hash_password(STAFF_PASSWORD)
STAFF_USERS = f"nanuo1:530428001:{STAFF_HASH}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    port: int
    proc: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        """The pids of the processes serving under a supervisor (its children, less helpers)."""
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        return [int(pid) for pid in children
                if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()]

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL: no clean-up runs, as when a worker crashes."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def _start(redis_url: str, env: dict[str, str], log_dir: Path,
           command: tuple[str, ...] = ("tests/serve.py",)) -> Server:
    port = free_port()
    full = {**os.environ, "APP_ENV": "test", "REDIS_URL": redis_url, "HOST": "127.0.0.1",
            "PORT": str(port), "WECHAT_TOKEN": TOKEN, "WECHAT_APPID": APPID, "STAFF_USERS": STAFF_USERS,
            "PYTHONUNBUFFERED": "1", **env}
    log_path = log_dir / f"server-{port}.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([sys.executable, *command], cwd=ROOT, env=full,
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return Server(port, proc, log_path)


# A server builds its knowledge index (in a child) before it listens: on a crowded 2-core machine
# that has taken over a minute, so the wait is generous; a quiet machine needs about 10 s.
STARTUP_WAIT = 180.0


def _wait_ready(server: Server, timeout: float = STARTUP_WAIT, in_a_row: int = 1) -> None:
    """Until `/readyz` has answered ready `in_a_row` times, each on a new connection (with several
    workers on one port, so that every one of them is asked: each listens before it is ready)."""
    deadline = time.monotonic() + timeout
    ready = 0
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"server exited with {server.proc.returncode}:\n{server.logs()[-3000:]}")
        try:
            # up, and past training its models ("storage unavailable" is ready for the tests
            # that start a server on a broken Redis on purpose)
            ready = ready + 1 if httpx.get(server.url + "/readyz", timeout=1.0).text != "warming up" else 0
        except httpx.HTTPError:
            ready = 0
        if ready >= in_a_row:
            return
        time.sleep(0.02 if ready else 0.1)
    raise RuntimeError(f"server did not start:\n{server.logs()[-3000:]}")


@contextmanager
def running(redis_url: str, *envs: dict[str, str]) -> Iterator[list[Server]]:
    """One server process per `envs` entry (extra environment for it), all on `redis_url`."""
    with tempfile.TemporaryDirectory(prefix="servers-") as tmp:
        servers = [_start(redis_url, env, Path(tmp)) for env in envs]
        try:
            for server in servers:
                _wait_ready(server)
            yield servers
        finally:
            for server in servers:
                server.stop()


@contextmanager
def supervised(redis_url: str, workers: int, env: dict[str, str]) -> Iterator[Server]:
    """`python server.py --workers N` on `redis_url`, ready once every worker has started."""
    with tempfile.TemporaryDirectory(prefix="servers-") as tmp:
        server = _start(redis_url, env, Path(tmp), ("server.py", "--workers", str(workers)))
        try:
            _wait_ready(server)
            deadline = time.monotonic() + STARTUP_WAIT
            while server.logs().count("Application startup complete") < workers:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"workers did not start:\n{server.logs()[-3000:]}")
                time.sleep(0.1)
            _wait_ready(server, in_a_row=20 * workers)
            yield server
        finally:
            server.stop()
