"""Work whose memory must not stay in a worker: done in a fresh child process, only its result kept.

Training a model or fitting the knowledge index allocates far more than the result (scikit-learn,
its imports, the intermediate matrices), and CPython rarely gives freed memory back to the system:
done inside a web worker, that peak stays in the worker's RSS for good. `in_child(function, …)`
runs `function(*args)` in a spawned interpreter (spawn, not fork: the worker has threads) and
returns its result, pickled by the child into a private temporary file and read back from it as a
stream (a result sent over the pipe would sit in the worker once more as bytes while unpickled);
the child's memory goes back to the system when it exits. Exceptions
raised by `function` come back as themselves. `ChildFailed` says the child could not run at all
(no process could be started, it died, or the result could not be pickled); callers then do the
work in-process and say so in the log.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")


class ChildFailed(RuntimeError):
    """The child process could not start, died, or could not send its result."""


def _to_file(function: Callable[..., object], args: tuple[Any, ...], path: str) -> None:
    result = function(*args)
    with open(path, "wb") as out:
        pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)


def in_child(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in a fresh child process (module-level function, picklable arguments)."""
    try:
        with tempfile.TemporaryDirectory(prefix="bot-child-") as folder:
            path = os.path.join(folder, "result.pickle")
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                pool.submit(_to_file, function, args, path).result()
            with open(path, "rb") as result:
                found: T = pickle.load(result)
                return found
    except (BrokenProcessPool, OSError, pickle.PicklingError) as exc:
        raise ChildFailed(f"{type(exc).__name__}: {exc}") from exc
    except RuntimeError as exc:  # "cannot schedule new futures after interpreter shutdown"
        if "shutdown" in str(exc):
            raise ChildFailed(str(exc)) from exc
        raise
