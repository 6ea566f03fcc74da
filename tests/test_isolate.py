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
