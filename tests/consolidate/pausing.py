"""Run ``reportkit`` stopped at a named point, for the crash tests (test_crash.py).

``python pausing.py <point>:<n> <reportkit arguments…>`` wraps the real function at
``point`` so that the n-th time it is reached the process writes ``PAUSED <point>:<n>`` on
stderr and sleeps, then runs the CLI's main; the test kills it there with SIGKILL. Points:

- ``insert``: a checked file was just stored (:func:`reportkit.storage.store.insert_report`),
  inside the consolidation's transaction;
- ``output``: a sammanställning file is written and normalised but not yet renamed into place
  (``normalize_zip`` inside ``atomic_path``). The files are written one after the other and
  every one of them, changed or not, so that "the n-th output" names a fixed file.

The package knows nothing of this: the hooks are installed here, in the test's process.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from typing import Any

ANNOUNCE = "PAUSED"


def _pausing(fn: Callable[..., Any], point: str, at: int) -> Callable[..., Any]:
    seen = 0

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal seen
        result = fn(*args, **kwargs)
        seen += 1
        if seen == at:
            sys.stderr.write(f"{ANNOUNCE} {point}:{seen}\n")
            sys.stderr.flush()
            time.sleep(600)
        return result

    return wrapper


def install(spec: str) -> None:
    """Wrap the function at ``spec`` (``<point>:<n>``, n = 1 when left out)."""
    point, _, n = spec.partition(":")
    at = int(n) if n.isdigit() else 1
    if point == "insert":
        from reportkit.storage import store

        store.insert_report = _pausing(store.insert_report, point, at)
    elif point == "output":
        from reportkit.consolidate import summary

        summary.normalize_zip = _pausing(summary.normalize_zip, point, at)
        summary._parallel = lambda results: False  # type: ignore[assignment]
        unchanged = summary._Digests.unchanged

        def always_write(self: Any, path: Any, committee: Any) -> bool:
            unchanged(self, path, committee)  # the digest is still noted
            return False

        summary._Digests.unchanged = always_write  # type: ignore[method-assign]
    else:
        raise SystemExit(f"unknown pause point: {point}")


def main(argv: list[str]) -> None:
    install(argv[0])
    from reportkit.cli import main as cli

    cli(argv[1:], prog_name="reportkit")


if __name__ == "__main__":
    main(sys.argv[1:])
