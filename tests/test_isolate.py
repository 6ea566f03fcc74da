"""reportkit.isolate: what a child does to itself is a Death for its one item."""

from __future__ import annotations

import os
import time

import pytest

from reportkit import isolate
from reportkit.isolate import Death


def results(fn, items, **kwargs) -> list:
    out = [None] * len(items)
    for i, result in isolate.each(fn, items, **kwargs):
        out[i] = result
    return out


def behave(item):
    if item == "abort":
        os.abort()
    if item == "exit":
        os._exit(3)
    if item == "raise":
        raise ValueError("nej")
    if item == "hang":
        time.sleep(60)
    if item == "memory":
        bytearray(64 << 30)
    if item == "unpicklable":
        return lambda: None
    return item.upper()


@pytest.mark.parametrize("workers", [1, 3])
def test_each_item_gets_its_result_or_its_death(workers: int) -> None:
    items = ["a", "abort", "b", "exit", "c", "raise", "d", "unpicklable", "e", "memory", "f"]
    assert results(behave, items, workers=workers, chunk=3 if workers > 1 else None) == [
        "A", Death("signal", "SIGABRT"), "B", Death("exit", "3"), "C",
        Death("error", "ValueError"), "D", Death("error", "AttributeError"), "E",
        Death("memory", str(isolate.memory_margin_mb())), "F"]


def test_a_child_that_hangs_is_killed_after_the_timeout() -> None:
    started = time.monotonic()
    assert results(behave, ["a", "hang", "b"], timeout=0.5) == [
        "A", Death("timeout", "0.5"), "B"]
    assert time.monotonic() - started < 5


def test_the_memory_margin_is_configurable(monkeypatch) -> None:
    monkeypatch.setenv(isolate.MEMORY_ENV, "300")

    def allocate(mb: int) -> int:
        return len(bytearray(mb << 20))

    assert results(allocate, [100, 400]) == [100 << 20, Death("memory", "300")]


def test_nothing_to_do_forks_nothing() -> None:
    assert list(isolate.each(behave, [])) == []


# --- Standby: a child forked while the process is small does the late, large work -------

def _where(tag: str) -> tuple[str, int, int]:
    return tag, os.getpid(), len(BUILT_AFTER_THE_FORK)


BUILT_AFTER_THE_FORK: list[bytes] = []


def test_standby_runs_the_call_in_the_child_forked_before_the_parent_grew() -> None:
    BUILT_AFTER_THE_FORK.clear()
    with isolate.Standby(_where) as later:
        BUILT_AFTER_THE_FORK.append(b"x" * 1000)  # what the parent builds meanwhile
        tag, pid, seen = later.run("a")
    assert tag == "a"
    assert pid != os.getpid()
    assert seen == 0  # the child has not got what the parent built after the fork
    BUILT_AFTER_THE_FORK.clear()


def _refuse(path: str) -> None:
    from reportkit.errors import ReportkitError, problem

    raise ReportkitError(problem("project-locked", path=path))


def test_an_error_in_the_child_is_raised_in_the_parent_with_its_problems() -> None:
    from reportkit.errors import ReportkitError

    with isolate.Standby(_refuse) as later, pytest.raises(ReportkitError) as caught:
        later.run("/tmp/kommunen")
    assert [p.code for p in caught.value.problems] == ["project-locked"]
    assert "/tmp/kommunen" in str(caught.value)


def _die_in_child(parent: int) -> int:
    if os.getpid() != parent:
        os.kill(os.getpid(), 9)
    return os.getpid()


def test_a_killed_child_leaves_the_work_to_the_parent() -> None:
    with isolate.Standby(_die_in_child) as later:
        assert later.run(os.getpid()) == os.getpid()


def test_a_standby_never_asked_ends_with_its_block() -> None:
    with isolate.Standby(_where) as later:
        pid = later._pid
    assert pid is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left


def test_the_child_dies_with_a_killed_parent(tmp_path) -> None:
    import signal
    import subprocess
    import sys

    code = ("import os, sys, time; from reportkit import isolate\n"
            "s = isolate.Standby(time.sleep)\n"
            "print(s._pid, flush=True); s.run(60)\n")  # the child busy when the parent dies
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        child = int(proc.stdout.readline())
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                break
            with open(f"/proc/{child}/stat") as fh:  # reaped by init, or a zombie of it
                if fh.read().split(") ")[1].startswith("Z"):
                    break
            time.sleep(0.05)
        else:
            pytest.fail("the standby child outlived its killed parent")
    finally:
        proc.kill()
        proc.stdout.close()


def test_the_child_collects_garbage_though_the_parent_paused_its_collector() -> None:
    import gc

    from reportkit.memory import collector_paused

    with collector_paused(), isolate.Standby(gc.isenabled) as later:
        assert not gc.isenabled()
        assert later.run() is True  # python-docx's cycles would pile up in it otherwise


def test_standby_passes_keyword_arguments_and_warms_up_first(tmp_path) -> None:
    marker = tmp_path / "warm"
    with isolate.Standby(lambda a, *, b: (a, b, marker.is_file()),
                         prepare=lambda: marker.write_text("x")) as later:
        assert later.run(1, b=2) == (1, 2, True)
