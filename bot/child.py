"""Work whose memory must not stay in a worker: done in a fresh child process, only its result kept.

Training a model or fitting the knowledge index allocates far more than the result (scikit-learn,
its imports, the intermediate matrices), and CPython rarely gives freed memory back to the system:
done inside a web worker, that peak stays in the worker's RSS for good. `in_child(function, …)`
runs `function(*args)` in a new interpreter (`python -m bot.child`; not a fork: the worker has
threads, and not multiprocessing's spawn, which would import the worker's main module again first)
and returns its result, pickled by the child into a private temporary file and read back from it as
a stream; the child's memory goes back to the system when it exits. Exceptions raised by
`function` come back as themselves. `ChildFailed` says the child could not run at all (no process
could be started, or it died without a result); callers then do the work in-process and say so in
the log.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from bot.errors import BotError

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]  # where `bot` is importable from


class ChildFailed(BotError, RuntimeError):
    """The child process could not start, or died without sending its result."""


def in_child(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in a fresh child process (module-level function, picklable arguments)."""
    with tempfile.TemporaryDirectory(prefix="bot-child-") as folder:
        path = os.path.join(folder, "result.pickle")
        try:
            job = pickle.dumps((function, args, path), protocol=pickle.HIGHEST_PROTOCOL)
            done = subprocess.run([sys.executable, "-m", "bot.child"], input=job, cwd=ROOT, check=False)
        except (OSError, pickle.PicklingError, AttributeError, TypeError) as exc:
            raise ChildFailed(f"{type(exc).__name__}: {exc}") from exc
        if not os.path.exists(path):
            raise ChildFailed(f"the child exited with {done.returncode} and no result")
        with open(path, "rb") as result:
            ok, value = pickle.load(result)
    if not ok:
        raise value
    found: T = value
    return found


def _run() -> None:
    """The child's side: read the job from stdin, write (True, result) or (False, exception)."""
    function, args, path = pickle.loads(sys.stdin.buffer.read())
    try:
        outcome: tuple[bool, object] = (True, function(*args))
    except Exception as exc:  # sent back to be raised in the parent
        outcome = (False, exc)
    if not os.path.isdir(os.path.dirname(path)):
        return  # the parent has gone and took its folder (a command that exited first): nobody waits
    with open(path, "wb") as out:
        try:
            pickle.dump(outcome, out, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            out.seek(0)
            out.truncate()
            pickle.dump((False, RuntimeError(f"result not picklable: {exc}")), out)


if __name__ == "__main__":
    _run()
