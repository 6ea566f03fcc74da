"""Word's core properties (title, author, keywords …), written in their own namespace.

docxcompose (imported by docxtpl) rebinds python-docx's shared prefix ``cp`` to the
custom-properties namespace for its own use, so python-docx would write ``cp:keywords``,
``cp:category``, ``cp:lastModifiedBy`` and ``cp:revision`` as foreign elements that Word and
LibreOffice ignore (and that fail the OOXML schema). :func:`set_core_properties` binds ``cp`` to
the core-properties namespace while it writes and gives docxcompose its binding back after.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""Created and modified dates of every document: same input, same bytes."""


@contextlib.contextmanager
def _core_prefix() -> Iterator[None]:
    from docx.oxml.ns import nsmap

    before = nsmap.get("cp")
    nsmap["cp"] = CORE_NS
    try:
        yield
    finally:
        if before is not None:
            nsmap["cp"] = before


def set_core_properties(document: Any, *, title: str = "", subject: str = "", author: str = "",
                        last_modified_by: str | None = None, keywords: str = "",
                        comments: str = "", category: str | None = None,
                        language: str | None = None, fixed_dates: bool = True) -> None:
    """Set ``document``'s core properties (a python-docx Document) and revision 1, with
    ``fixed_dates`` also the created and modified dates; ``last_modified_by`` defaults to
    ``author``."""
    with _core_prefix():
        cp = document.core_properties
        cp.title = title
        cp.subject = subject
        cp.author = author
        cp.last_modified_by = author if last_modified_by is None else last_modified_by
        cp.keywords = keywords
        cp.comments = comments
        if category is not None:
            cp.category = category
        if language is not None:
            cp.language = language
        cp.revision = 1
        if fixed_dates:
            cp.created = FIXED_DATE
            cp.modified = FIXED_DATE
