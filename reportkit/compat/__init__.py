"""One door per library whose private parts reportkit uses.

Each module here (:mod:`~reportkit.compat.docxtpl`, :mod:`~reportkit.compat.jinja`,
:mod:`~reportkit.compat.docx`, :mod:`~reportkit.compat.xlsxwriter`,
:mod:`~reportkit.compat.click`) is the only place that
touches the library's internals (a private method overridden, a module constant changed, a
subclass of an undocumented class). Each checks that the installed version is in the range it
was written and tested for (:data:`TESTED`) and otherwise takes the library's public path,
which gives the same bytes, only slower. ``REPORTKIT_COMPAT=stock`` forces the public path
everywhere (docs/testing.md: the suite against the newest releases).

The decision is read when it is asked for (not remembered at import), so a test can force
the public path with ``monkeypatch.setenv``.
"""

from __future__ import annotations

import functools
import os
import re
from types import MappingProxyType

__all__ = ["TESTED", "MODE_ENV", "fast_path", "installed"]

MODE_ENV = "REPORTKIT_COMPAT"
"""``stock``: every door takes the library's public path."""

TESTED: MappingProxyType[str, tuple[tuple[int, ...], tuple[int, ...]]] = MappingProxyType({
    "docxtpl": ((0, 18), (0, 21)),
    "docxcompose": ((1, 4), (2, 3)),
    "python-docx": ((1, 1), (1, 3)),
    "jinja2": ((3, 1), (3, 2)),
    "xlsxwriter": ((3, 1), (3, 4)),
    "click": ((8, 1), (8, 6)),
})
"""Per distribution, the versions (from, below) whose internals the door was written for;
pyproject's upper bounds are the same."""


@functools.cache  # the installed version does not change while the process runs
def installed(distribution: str) -> tuple[int, ...] | None:
    """The installed version of ``distribution`` as numbers (``3.3.1`` → (3, 3, 1))."""
    text = _dist_info_version(distribution)
    if text is None:
        # importlib.metadata costs 15 ms to import: every command asks for click's version
        from importlib.metadata import PackageNotFoundError, version

        try:
            text = version(distribution)
        except PackageNotFoundError:
            return None
    numbers = []
    for part in text.split("."):
        m = re.match(r"\d+", part)
        if m is None:
            break
        numbers.append(int(m.group()))
    return tuple(numbers)


def _dist_info_version(distribution: str) -> str | None:
    """The version in the name of the first ``<name>-<version>.dist-info`` folder on
    ``sys.path`` (where pip installs a wheel; the name normalised as in the folder names), as
    importlib.metadata finds it first; None when there is none (then importlib.metadata
    looks everywhere it knows)."""
    import sys

    prefix = re.sub(r"[-_.]+", "_", distribution).lower() + "-"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and name.lower().startswith(prefix):
                rest = name[len(prefix):-len(".dist-info")]
                if rest and rest[0].isdigit() and "-" not in rest:
                    return rest
    return None


def fast_path(distribution: str, found: tuple[int, ...] | None = None) -> bool:
    """Whether the door for ``distribution`` may use its internals: not forced to the public
    path (``REPORTKIT_COMPAT=stock``) and the installed version (or ``found``) in
    :data:`TESTED`."""
    if os.environ.get(MODE_ENV, "").strip().lower() == "stock":
        return False
    found = found if found is not None else installed(distribution)
    low, high = TESTED[distribution]
    return found is not None and low <= found < high
