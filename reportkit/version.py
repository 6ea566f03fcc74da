"""The version, and a stamp of the code that computes what is cached (an edited or another
reportkit never reuses what an older one wrote)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__version__ = "0.1.0"

PACKAGE = Path(__file__).resolve().parent


def code_stamp() -> list[Any]:
    """The version and every module's size and modification time."""
    stamp: list[Any] = [__version__]
    for path in sorted(PACKAGE.rglob("*.py")):
        st = path.stat()
        stamp.append((str(path.relative_to(PACKAGE)), st.st_size, st.st_mtime_ns))
    return stamp
