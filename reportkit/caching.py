"""A bounded memo with an explicit owner: what a run (a consolidation, a render, a roll-up)
remembers for itself, created with it and gone with it, never a module global
(``tests/test_state.py``)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

__all__ = ["Memo"]

V = TypeVar("V")


class Memo(Generic[V]):
    """Values made once per key, at most ``size`` of them (when full, it starts afresh: the
    keys a run repeats come back at once). ``None`` is never remembered."""

    __slots__ = ("_found", "size")

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._found: dict[Hashable, V] = {}

    def get(self, key: Hashable, make: Callable[..., V], *args: Any) -> V:
        """The value for ``key``, made by ``make(*args)`` when this memo does not have it."""
        found = self._found.get(key)
        if found is None:
            found = make(*args)
            if len(self._found) >= self.size:
                self._found.clear()
            if found is not None:
                self._found[key] = found
        return found

    def peek(self, key: Hashable) -> V | None:
        """The value for ``key`` if remembered."""
        return self._found.get(key)

    def put(self, key: Hashable, value: V) -> V:
        if len(self._found) >= self.size:
            self._found.clear()
        self._found[key] = value
        return value

    def __len__(self) -> int:
        return len(self._found)

    def __getstate__(self) -> int:
        """Pickled (a styrmodell in the user's cache, a digest of a run's inputs) without
        what it remembers: equal values give equal bytes, and an unpickled memo starts empty."""
        return self.size

    def __setstate__(self, size: int) -> None:
        self.size = size
        self._found = {}
