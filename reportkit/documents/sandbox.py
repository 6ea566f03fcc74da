"""Templates are untrusted input: Jinja's sandbox, bounds, and a forked worker with a time budget.

A kommun's own templates (``dokument: mallar:``) and the templates frozen into decided versions
are files anyone with access to a folder can change, so a template can only show values:

- **The sandbox** (:func:`environment_class`): Jinja's ``ImmutableSandboxedEnvironment`` (no
  attribute or item whose name begins with ``_``, no Python internals, no method that changes
  a list or dict), with autoescaping and undefined names as errors as before.
- **Bounds**: ``range()`` at most :data:`MAX_RANGE` values; ``*`` (a text or list repeated) and
  ``**`` bounded; every rendered part (``word/document.xml``, a header, a footer) at most
  :data:`MAX_OUTPUT` characters, counted while it is produced.
- **Nothing runs while compiling**: Jinja folds a filter with constant arguments, and ``*``,
  ``**`` and ``%`` of constants, while it compiles a template (``{{ 'x'|center(10**10) }}``
  would run in the compiling process). Here every filter is marked to need the render context
  and those operators are intercepted, so compiling runs no template code and compiled
  templates can be remembered in the parent process (the same output either way).
- **The worker** (:func:`run_limited`, :func:`run_each`): renders run in a forked child with
  an address-space limit, each under an alarm at the time limit (:func:`time_limit`, default
  60 s, ``REPORTKIT_MALL_TIDSGRANS``); the parent kills the child soon after. Results (or
  Problems) come back through a pipe. A document's chapters share one child; chapters
  rendered in compose's 2 forked workers render there (:func:`become_worker`).
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import pickle
from collections.abc import Callable
from typing import Any, TypeVar

from reportkit import isolate
from reportkit.errors import ReportkitError, problem

__all__ = [
    "MAX_RANGE",
    "MAX_OUTPUT",
    "DEFAULT_TIME_LIMIT",
    "TIME_LIMIT_ENV",
    "Bound",
    "OutOfTime",
    "WorkerDied",
    "environment_class",
    "time_limit",
    "run_limited",
    "run_each",
    "become_worker",
    "template_line",
]

MAX_RANGE = 100_000
"""The most values ``range()`` gives in a template."""
MAX_OUTPUT = 50 * 1024 * 1024
"""The most characters one rendered part (``word/document.xml``, a header) may have."""
MAX_POWER_BITS = 100_000
"""The largest number (in bits) ``**`` may make in a template."""
DEFAULT_TIME_LIMIT = 60.0
"""Seconds one template render may take (a whole document of a large kommun takes ~1 s)."""
TIME_LIMIT_ENV = "REPORTKIT_MALL_TIDSGRANS"
"""Environment variable with another time limit in seconds (``"120"``, ``"1,5"``)."""
GRACE = 2.0
"""Seconds the parent waits after the child's own alarm before it kills the child."""
MEMORY_MARGIN = 1024 * 1024 * 1024
"""Address space a render may take beyond what the process had when it forked."""

T = TypeVar("T")


def _security_error() -> type:
    from jinja2.sandbox import SecurityError

    return SecurityError


class Bound(Exception):
    """A template went past a bound (``kind``: ``range``, ``repeat``, ``power``, ``output``)."""

    def __init__(self, kind: str, amount: int | None = None) -> None:
        super().__init__(kind, amount)
        self.kind = kind
        self.amount = amount


@functools.cache  # made once, never changed after it is made (a class is not state)
def _other_template_class() -> type:
    """Jinja's SecurityError for ``include``, ``import`` and ``extends``: a docx template
    stands alone (there is nothing it may read in)."""
    class OtherTemplate(_security_error()):  # type: ignore[misc]
        def __init__(self, name: str) -> None:
            super().__init__(f"include {name!r}")
            self.name = name

    return OtherTemplate


class OutOfTime(Exception):
    """The render went past its time limit (raised in the child by its alarm, or in the parent
    when it had to kill the child)."""


class WorkerDied(Exception):
    """The render's child ended without a result (killed by a signal other than ours)."""


def time_limit(seconds: float | None = None) -> float:
    """The time limit of a template render: ``seconds`` when given, else
    ``REPORTKIT_MALL_TIDSGRANS`` (seconds, a decimal comma is fine), else 60. A value that is
    not a positive number is a Swedish fel (``template-time-limit-invalid``)."""
    if seconds is not None:
        raw: Any = seconds
    else:
        raw = os.environ.get(TIME_LIMIT_ENV, "").strip()
        if not raw:
            return DEFAULT_TIME_LIMIT
    try:
        value = float(str(raw).replace(",", "."))
    except ValueError:
        value = math.nan
    if not (value > 0 and math.isfinite(value)):
        raise ReportkitError(problem("template-time-limit-invalid", value=str(raw),
                                     variable=TIME_LIMIT_ENV))
    return value


# --------------------------------------------------------------------------------------------
# The environment


def bounded_range(*args: int) -> range:
    """``range()`` for templates: at most :data:`MAX_RANGE` values."""
    values = range(*args)
    # len() fails beyond sys.maxsize values; this is the same count in Python's own integers
    count = max(0, -(-(values.stop - values.start) // values.step))
    if count > MAX_RANGE:
        raise Bound("range", count)
    return values


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, bytes, list, tuple)) and isinstance(times, int) \
                    and len(seq) * times > MAX_OUTPUT:
                raise Bound("repeat", times)
    elif operator == "**" and isinstance(left, int) and isinstance(right, int) \
            and abs(left) > 1 and right > 0 and left.bit_length() * right > MAX_POWER_BITS:
        raise Bound("power", right)


def _at_render_time(func: Any) -> Any:
    """``func`` as a filter Jinja never runs while compiling (a context filter is not folded)."""
    from jinja2 import pass_context

    passed = getattr(getattr(func, "jinja_pass_arg", None), "name", None)
    if passed == "context":
        return func
    wrapped: Callable[..., Any]
    if passed == "eval_context":
        def with_eval_context(context: Any, *args: Any, **kwargs: Any) -> Any:
            return func(context.eval_ctx, *args, **kwargs)
        wrapped = with_eval_context
    elif passed == "environment":
        def with_environment(context: Any, *args: Any, **kwargs: Any) -> Any:
            return func(context.environment, *args, **kwargs)
        wrapped = with_environment
    else:
        def plain(_context: Any, *args: Any, **kwargs: Any) -> Any:
            return func(*args, **kwargs)
        wrapped = plain
    wrapped.__name__ = getattr(func, "__name__", "filter")
    wrapped.__doc__ = getattr(func, "__doc__", None)
    return pass_context(wrapped)


@functools.cache  # made once, never changed after it is made (a class is not state)
def environment_class() -> type:
    """The sandboxed Jinja environment every template is rendered in (made once)."""
    from jinja2 import BaseLoader, Template
    from jinja2.defaults import DEFAULT_FILTERS
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    filters = {name: _at_render_time(f) for name, f in DEFAULT_FILTERS.items()}

    class _BoundedTemplate(Template):
        """A template whose output is counted while it is produced."""

        def render(self, *args: Any, **kwargs: Any) -> str:
            ctx = self.new_context(dict(*args, **kwargs))
            out: list[str] = []
            size = 0
            produced = self.root_render_func(ctx)
            try:
                for chunk in produced:
                    size += len(chunk)
                    if size > MAX_OUTPUT:
                        frame = getattr(produced, "gi_frame", None)
                        error = Bound("output", size)
                        if frame is not None:
                            error.template_line = self.get_corresponding_lineno(  # type: ignore[attr-defined]
                                frame.f_lineno)
                        raise error
                    out.append(chunk)
            except Exception as exc:  # noqa: BLE001 - Jinja rewrites and re-raises it
                if getattr(exc, "template_line", None) is None:
                    exc.template_line = _line_in(exc.__traceback__, self)  # type: ignore[attr-defined]
                exc.template_source = getattr(self, "source", None)  # type: ignore[attr-defined]
                self.environment.handle_exception()
            return "".join(out)

    class _NoTemplates(BaseLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            raise _other_template_class()(template)

    class _Sandboxed(ImmutableSandboxedEnvironment):
        # intercepted: checked at render time and never folded while compiling
        intercepted_binops = frozenset({"*", "**", "%"})
        template_class = _BoundedTemplate

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.loader = _NoTemplates()
            self.globals["range"] = bounded_range
            self.filters = dict(filters)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

    return _Sandboxed


def _line_in(tb: Any, template: Any) -> int | None:
    """The template line the innermost frame of ``template`` was at in traceback ``tb``."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_globals.get("__jinja_template__") is template:
            line = template.get_corresponding_lineno(tb.tb_lineno)
        tb = tb.tb_next
    return line


def template_line(exc: BaseException) -> tuple[str | None, int | None]:
    """(the template source, the line in it) where ``exc`` was raised while rendering, when
    known (each line of a docx template's source is one paragraph)."""
    return getattr(exc, "template_source", None), getattr(exc, "template_line", None)


def is_unsafe(exc: BaseException) -> bool:
    """True for Jinja's sandbox refusal (an attribute, item or call that is not allowed)."""
    return isinstance(exc, _security_error())


def other_template(exc: BaseException) -> str | None:
    """The template name an ``include``, ``import`` or ``extends`` tried to read in."""
    return exc.name if isinstance(exc, _other_template_class()) else None  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------
# The worker


def _out_of_time(_signum: int, _frame: Any) -> None:
    raise OutOfTime


_IN_WORKER = False
"""True in a forked render worker: a render runs here under an alarm, without forking again."""


def become_worker(cpu_seconds: float | None = None) -> None:
    """Make this (forked) process a render worker: an address-space limit 1 GiB above its
    current size and, with ``cpu_seconds``, a CPU-time limit as the kernel's own backstop (a
    worker whose parent is gone is still stopped). Each render then runs here under its own
    alarm (:func:`run_limited`). Used by :func:`run_each` and by compose's chapter workers."""
    import resource

    global _IN_WORKER
    if _IN_WORKER:
        return
    _IN_WORKER = True
    # the address space 1 GiB above this size (without /proc: none; the time limit holds)
    isolate.limit_memory(MEMORY_MARGIN // (1024 * 1024))
    if cpu_seconds is None:
        return
    try:
        cpu = math.ceil(cpu_seconds + 2 * GRACE)
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if soft == resource.RLIM_INFINITY or soft > cpu:
            resource.setrlimit(resource.RLIMIT_CPU,
                               (cpu, hard if hard != resource.RLIM_INFINITY else cpu + 1))
    except (OSError, ValueError):
        pass


def _alarmed(work: Callable[[], T], seconds: float) -> T:
    """``work()`` here, interrupted by :class:`OutOfTime` after ``seconds`` (an alarm already
    set, for a batch item around this render, is set again afterwards with what is left)."""
    import signal
    import time

    previous = signal.signal(signal.SIGALRM, _out_of_time)
    started = time.monotonic()
    outer, _interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return work()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:
            signal.setitimer(signal.ITIMER_REAL,
                             max(outer - (time.monotonic() - started), 0.001))


def _frame(result: tuple[str, Any]) -> bytes:
    import traceback

    try:
        data = pickle.dumps(result)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled
        text = "".join(traceback.format_exception(result[1])) if result[0] == "raise" \
            else repr(result[1])
        data = pickle.dumps(("raise", RuntimeError(text)))
    return len(data).to_bytes(8, "big") + data


def _child(works: list[Callable[[], Any]], seconds: float, write_end: int) -> None:
    """The forked child of :func:`run_each`: each work in turn, each result sent as it is
    done; the first that fails is sent and ends the child."""
    import traceback

    become_worker(cpu_seconds=seconds * len(works))
    with os.fdopen(write_end, "wb", buffering=0) as fh:
        for work in works:
            try:
                result: tuple[str, Any] = ("ok", _alarmed(work, seconds))
            except ReportkitError as exc:
                result = ("problems", exc.problems)
            except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
                exc.add_note(traceback.format_exc())
                result = ("raise", exc)
            fh.write(_frame(result))
            if result[0] != "ok":
                return


def run_limited(work: Callable[[], T], seconds: float) -> T:
    """``work()`` (a template render) limited to ``seconds``: see :func:`run_each`. In a
    render worker it runs here under an alarm."""
    if _IN_WORKER:
        return _alarmed(work, seconds)
    return run_each([work], seconds)[0]


def run_each(works: list[Callable[[], T]], seconds: float) -> list[T]:
    """Each of ``works`` (template renders) in turn in one forked child, each limited to
    ``seconds`` (and the child to an address space 1 GiB above this process's). Returns
    their results in order; raises the ReportkitError or exception the first failing one
    raised, :class:`OutOfTime` when one took too long, :class:`WorkerDied` when the child
    ended by a signal. Without ``fork`` (Windows) they run here, without a limit.

    The works run in a copy of this process: what they change here is lost; their results
    must pickle. Files they write stay (write to a temporary path and rename here). One fork
    for many renders: a fork of a large process costs ~10 ms."""
    import select
    import signal
    import time

    if not works:
        return []
    if _IN_WORKER or not hasattr(os, "fork"):
        return [run_limited(work, seconds) if _IN_WORKER else work() for work in works]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        status = 1
        try:
            os.close(read_end)
            _child(works, seconds, write_end)
            status = 0
        finally:
            os._exit(status)  # no atexit handlers, no flushing of the parent's buffers
    os.close(write_end)
    buffer = b""
    results: list[tuple[str, Any]] = []
    killed = False
    deadline = time.monotonic() + seconds + GRACE
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                killed = True
                break
            ready, _, _ = select.select([read_end], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            buffer += chunk
            while len(buffer) >= 8 and len(buffer) >= 8 + int.from_bytes(buffer[:8], "big"):
                size = int.from_bytes(buffer[:8], "big")
                results.append(pickle.loads(buffer[8:8 + size]))
                buffer = buffer[8 + size:]
                deadline = time.monotonic() + seconds + GRACE  # the next one's own time
    except BaseException:
        killed = True
        raise
    finally:
        os.close(read_end)
        if killed:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    out: list[T] = []
    for kind, value in results:
        if kind == "problems":
            raise ReportkitError(value)
        if kind == "raise":
            raise value
        out.append(value)
    if killed:
        raise OutOfTime
    if len(out) < len(works):
        raise WorkerDied(os.waitstatus_to_exitcode(status))
    return out
