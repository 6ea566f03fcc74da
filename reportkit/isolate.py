"""Run the reading of untrusted files in child processes, each with a memory limit.

python-calamine is native code: a workbook that declares an absurd size makes it ask for
terabytes, and Rust answers a failed allocation by aborting the whole process (SIGABRT), which
no ``except`` can catch. Pre-flight refuses the shapes known to do this; this module is the net
under it. What a child does to itself (a signal, an exhausted memory limit, an exception, a
hang) becomes a :class:`Death` for the one item it was working on, and the other items go on.

- :func:`limit_memory` caps a worker's address space at its current size plus a margin
  (forked workers inherit the parent's address space, so a fixed cap would not fit);
  :func:`worker_init` also silences the worker's stdout and stderr.
- :func:`guarded` runs ``fn(item)`` and turns any exception into a Death.
- :func:`each` runs ``fn`` over items in forked children (one child works through a share of
  the items, reporting each result as it is done); a child that dies costs only the item it
  was on, and a fresh child takes up the rest.

The margin is ``REPORTKIT_WORKER_MEMORY_MB`` (default 2048) and the time a child may spend on
one item ``REPORTKIT_WORKER_TIMEOUT_S`` (default 300). POSIX only (fork); where there is no
``/proc/self/status`` the memory limit is not set.

:class:`Standby` is the other use of a forked child here: not for untrusted files but for
memory, a child forked while the command is still small that does its large late work.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import os
import pickle
import resource
import select
import selectors
import signal
import struct
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

MEMORY_ENV = "REPORTKIT_WORKER_MEMORY_MB"
TIMEOUT_ENV = "REPORTKIT_WORKER_TIMEOUT_S"
DEFAULT_MEMORY_MB = 2048
DEFAULT_TIMEOUT_S = 300.0
_FRAME = struct.Struct("<Q")


@dataclass(frozen=True)
class Death:
    """Why an item has no result: ``kind`` is ``signal`` (``detail`` the signal's name, e.g.
    ``SIGABRT``: a native abort, typically a failed allocation), ``memory`` (the memory limit,
    ``detail`` the margin in MB), ``timeout`` (``detail`` the seconds allowed), ``exit`` (the
    child ended without a result, ``detail`` its exit code) or ``error`` (an exception,
    ``detail`` its class name)."""

    kind: Literal["signal", "memory", "timeout", "exit", "error"]
    detail: str


def memory_margin_mb() -> int:
    """The margin over a worker's own size that it may allocate, in MB."""
    value = os.environ.get(MEMORY_ENV, "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MEMORY_MB


def timeout_s() -> float:
    value = os.environ.get(TIMEOUT_ENV, "")
    try:
        seconds = float(value)
    except ValueError:
        return DEFAULT_TIMEOUT_S
    return seconds if seconds > 0 else DEFAULT_TIMEOUT_S


def _vm_size() -> int | None:
    """This process's address-space size in bytes (VmSize), or None where /proc has none."""
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def limit_memory(margin_mb: int | None = None) -> None:
    """Cap this process's address space (``RLIMIT_AS``) at its current size plus
    ``margin_mb`` (default :func:`memory_margin_mb`). Call it in a worker, never in the
    parent: the cap cannot be raised again. A lower cap already set is kept."""
    size = _vm_size()
    if size is None:
        return
    cap = size + (margin_mb or memory_margin_mb()) * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        return
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def worker_init() -> None:
    """Make this process a worker: :func:`limit_memory`, and stdout and stderr to /dev/null
    (a native abort prints its message and backtrace there; the death is reported as the
    item's verdict instead). The ``initializer`` of a process pool."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    faulthandler.disable()
    limit_memory()


def guarded(fn: Callable[[Any], Any], item: Any) -> Any:
    """``fn(item)``, or a :class:`Death` for any exception it raises (MemoryError under the
    memory limit; a pyo3 ``PanicException``, which is no ``Exception``). For a worker."""
    try:
        return fn(item)
    except MemoryError:
        return Death("memory", str(memory_margin_mb()))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - native readers raise BaseException subclasses
        return Death("error", type(exc).__name__)


def guarded_all(fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """:func:`guarded` over ``items``: one task of a process pool (picklable by name)."""
    return [guarded(fn, item) for item in items]


def each(fn: Callable[[Any], Any], items: Sequence[Any], *, workers: int = 1,
         chunk: int | None = None, timeout: float | None = None
         ) -> Iterator[tuple[int, Any]]:
    """``(index, fn(item) or Death)`` for every item, in the order they finish.

    The items are cut into runs of ``chunk`` (default: an even share per worker, at most 32
    runs); each run is worked through by one forked child under :func:`limit_memory`, at most
    ``workers`` at a time. A child that dies, or spends more than ``timeout`` seconds (default
    :func:`timeout_s`) on one item, is reaped; the item it was on gets a :class:`Death` and a
    fresh child takes the rest of its run. The children's stdout and stderr go to /dev/null
    (a native abort prints a backtrace there). ``fn`` and the items reach the children by
    fork, not by pickle; each result comes back pickled.
    """
    n = len(items)
    if n == 0:
        return
    workers = max(1, workers)
    size = chunk or max(1, -(-n // min(max(workers, 1) * 4, 32)))
    if workers == 1:
        size = chunk or n
    runs: deque[list[int]] = deque(list(range(i, min(i + size, n))) for i in range(0, n, size))
    limit = timeout or timeout_s()
    sel = selectors.DefaultSelector()
    children: dict[int, _Child] = {}
    try:
        while runs or children:
            while runs and len(children) < workers:
                child = _spawn(fn, items, runs.popleft(), limit)
                children[child.fd] = child
                sel.register(child.fd, selectors.EVENT_READ)
            now = time.monotonic()
            wait = max(0.0, min(c.deadline for c in children.values()) - now)
            for key, _ in sel.select(wait):
                child = children[key.fd]
                data = os.read(child.fd, 1 << 20)
                if data:
                    yield from child.received(data, limit)
                    continue
                sel.unregister(child.fd)
                del children[child.fd]
                death = child.reap()
                if child.left:
                    yield child.left.popleft(), death
                if child.left:
                    runs.appendleft(list(child.left))
            now = time.monotonic()
            for child in [c for c in children.values() if c.deadline <= now]:
                sel.unregister(child.fd)
                del children[child.fd]
                child.kill()
                yield child.left.popleft(), Death("timeout", f"{limit:g}")
                if child.left:
                    runs.appendleft(list(child.left))
    finally:
        for child in children.values():
            child.kill()
        sel.close()


class _Child:
    def __init__(self, pid: int, fd: int, left: list[int], limit: float):
        self.pid = pid
        self.fd = fd
        self.left = deque(left)
        self.buf = bytearray()
        self.deadline = time.monotonic() + limit

    def received(self, data: bytes, limit: float) -> Iterator[tuple[int, Any]]:
        self.buf += data
        while len(self.buf) >= _FRAME.size:
            (length,) = _FRAME.unpack_from(self.buf)
            if len(self.buf) < _FRAME.size + length:
                break
            payload = bytes(self.buf[_FRAME.size:_FRAME.size + length])
            del self.buf[:_FRAME.size + length]
            index, result = pickle.loads(payload)
            if self.left and self.left[0] == index:
                self.left.popleft()
            self.deadline = time.monotonic() + limit
            yield index, result

    def reap(self) -> Death:
        os.close(self.fd)
        _, status = _waitpid(self.pid)
        code = os.waitstatus_to_exitcode(status)
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            return Death("signal", name)
        return Death("exit", str(code))

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(self.fd)
        _waitpid(self.pid)


def _waitpid(pid: int) -> tuple[int, int]:
    while True:
        try:
            return os.waitpid(pid, 0)
        except InterruptedError:
            continue
        except ChildProcessError:
            return pid, 0


def _spawn(fn: Callable[[Any], Any], items: Sequence[Any], run: list[int],
           limit: float) -> _Child:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        code = 0
        try:
            os.close(read_fd)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            # what the parent built stays out of the collector's way: a collection would walk
            # (and so copy) all of the parent's pages
            gc.freeze()
            worker_init()
            for index in run:
                result = guarded(fn, items[index])
                try:
                    payload = pickle.dumps((index, result), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException as exc:  # noqa: BLE001 - a result that cannot travel
                    payload = pickle.dumps((index, Death("error", type(exc).__name__)))
                _write_all(write_fd, _FRAME.pack(len(payload)) + payload)
        except BaseException:  # noqa: BLE001 - the parent sees the missing result
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    return _Child(pid, read_fd, run, limit)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class Standby:
    """A child forked now, while this process is still small, that runs ``target(*args)`` once
    when asked (:meth:`run`) and sends the result back (pickled; an exception is raised here).

    A forked child starts at its parent's size (it maps every page the parent has), so work
    that builds a large object graph late in a command, such as a large kommun's roll-up and
    sammanställning files, is done in a child forked before the command grew: what the
    command built meanwhile (a thousand checked reports, the history) is not in it, and its
    roll-up is not in the parent. ``target`` and what it closes over reach the child by fork,
    only ``args`` and the result by pickle. The child is killed with its parent (Linux
    ``PR_SET_PDEATHSIG``), so a killed command leaves no child behind holding its locks.
    Without that (not Linux), or when the child is gone before it answers, :meth:`run` calls
    ``target`` here instead: the same result, only larger. Use as a context manager: the
    child ends with the block, asked or not.
    """

    def __init__(self, target: Callable[..., Any],
                 prepare: Callable[[], None] | None = None) -> None:
        """``prepare`` runs in the child at once, while it waits (imports, best effort)."""
        self._target = target
        self._prepare = prepare
        self._asked: tuple[tuple[Any, ...], dict[str, Any]] = ((), {})
        self._pid: int | None = None
        if not _can_stand_by():
            return
        ask_r, ask_w = os.pipe()
        answer_r, answer_w = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: never returns, never runs the parent's exit handlers
            try:
                os.close(ask_w)
                os.close(answer_r)
                self._serve(parent, ask_r, answer_w)
            finally:
                os._exit(0)
        os.close(ask_r)
        os.close(answer_w)
        self._pid, self._ask, self._answer = pid, ask_w, answer_r

    def __enter__(self) -> Standby:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """``target(*args, **kwargs)`` in the child (here when there is none), once."""
        self.ask(*args, **kwargs)
        return self.answer()

    def ask(self, *args: Any, **kwargs: Any) -> None:
        """Start ``target(*args, **kwargs)`` in the child and return at once; this process
        goes on meanwhile and takes the result with :meth:`answer`."""
        self._asked = (args, kwargs)
        if self._pid is None:
            return
        try:
            payload = pickle.dumps((args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
            _write_all(self._ask, _FRAME.pack(len(payload)) + payload)
        except OSError:  # the child is gone (a broken pipe): answer() does the work here
            self.close()

    def answer(self) -> Any:
        """The result of what :meth:`ask` started (an exception in it is raised here)."""
        args, kwargs = self._asked
        if self._pid is None:
            return self._target(*args, **kwargs)
        try:
            answer = _read_frame(self._answer, self._pid)
        except OSError:
            answer = None
        self.close()
        if answer is None:  # killed or ended without an answer: the work is done here
            return self._target(*args, **kwargs)
        kind, value = pickle.loads(answer)
        if kind == "raise":
            raise value
        return value

    def close(self) -> None:
        """End the child (an empty request tells it so), waiting for it."""
        if self._pid is None:
            return
        with contextlib.suppress(OSError):
            _write_all(self._ask, _FRAME.pack(0))
        for fd in (self._ask, self._answer):
            with contextlib.suppress(OSError):
                os.close(fd)
        _waitpid(self._pid)
        self._pid = None

    def _serve(self, parent: int, ask: int, answer: int) -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _die_with_parent(parent)
        # the collector on, whatever the parent had paused around the fork (python-docx
        # leaves cycles behind: 5 MB per text composed into a document)
        gc.enable()
        if self._prepare is not None:
            with contextlib.suppress(Exception):
                self._prepare()
        request = _read_frame(ask, None)
        if not request:  # told to end, or the parent is gone
            return
        try:
            args, kwargs = pickle.loads(request)
            result: tuple[str, Any] = ("ok", self._target(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - raised again in the parent
            result = ("raise", exc)
        gc.disable()  # the child ends after this answer: no collection while it is pickled
        try:
            payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - an exception that cannot travel: its words do
            payload = pickle.dumps(("raise", RuntimeError(f"{type(result[1]).__name__}: "
                                                          f"{result[1]}")))
        with contextlib.suppress(OSError):
            _write_all(answer, _FRAME.pack(len(payload)) + payload)


def _can_stand_by() -> bool:
    """A child that dies with its parent can be forked (Linux)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _die_with_parent(parent: int) -> None:
    """This child is sent SIGKILL when its parent ends (``prctl(PR_SET_PDEATHSIG)``); it ends
    at once when the parent is gone already."""
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(0)


def _read_frame(fd: int, child: int | None) -> bytes | memoryview | None:
    """One frame from ``fd`` (None at its end), read into one buffer of its size. With
    ``child``: also None once that child has ended without writing it (its own children may
    hold the pipe open)."""
    head = _read_exactly(fd, _FRAME.size, child)
    if head is None:
        return None
    (size,) = _FRAME.unpack(head)
    return _read_exactly(fd, size, child) if size else b""


def _read_exactly(fd: int, size: int, child: int | None) -> memoryview | None:
    buf = memoryview(bytearray(size))
    got = 0
    while got < size:
        if child is not None:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                if os.waitpid(child, os.WNOHANG)[0] == child:
                    return None
                continue
        n = os.readv(fd, [buf[got:]])
        if n == 0:
            return None
        got += n
    return buf
