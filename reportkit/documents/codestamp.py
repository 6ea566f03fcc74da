"""What identifies the code that writes a document's bytes, for render's caches (chapters,
documents, template variables): a cached file made by other code is never reused."""

from __future__ import annotations

import functools
import json
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from reportkit.version import PACKAGE, __version__


@functools.cache
def render_code_stamp() -> str:
    """The code that turns a chapter's values into bytes (reportkit's version, the size and
    time of the modules that render, compose and write) and the versions of the libraries
    that write the .docx. The values themselves are hashed, so the code that computes them
    need not be named here."""
    code: list[Any] = [__version__]
    for name in ("documents/render.py", "documents/compose.py", "documents/coreprops.py",
                 "files.py", "compat/__init__.py", "compat/docxtpl.py", "compat/jinja.py",
                 "compat/docx.py"):
        st = (PACKAGE / name).stat()
        code.append((name, st.st_size, st.st_mtime_ns))
    libraries: dict[str, str | None] = {}
    for name in ("docxtpl", "docxcompose", "python-docx", "jinja2", "lxml"):
        try:
            libraries[name] = version(name)
        except PackageNotFoundError:
            libraries[name] = None
    return json.dumps([code, libraries], default=str)
