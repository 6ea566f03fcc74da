"""Word's core properties (title, author, keywords …), written in their own namespace.

docxcompose (imported by docxtpl) rebinds python-docx's shared prefix ``cp`` to the
custom-properties namespace for its own use, so python-docx would write ``cp:keywords``,
``cp:category``, ``cp:lastModifiedBy`` and ``cp:revision`` as foreign elements that Word and
LibreOffice ignore (and that fail the OOXML schema). :func:`set_core_properties` writes them through
:mod:`reportkit.compat.docx`, which binds ``cp`` to the core-properties namespace while it writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportkit.compat.docx import set_core

FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""Created and modified dates of every document: same input, same bytes."""


def set_core_properties(document: Any, *, title: str = "", subject: str = "", author: str = "",
                        last_modified_by: str | None = None, keywords: str = "",
                        comments: str = "", category: str | None = None,
                        language: str | None = None, fixed_dates: bool = True) -> None:
    """Set ``document``'s core properties (a python-docx Document) and revision 1, with
    ``fixed_dates`` also the created and modified dates; ``last_modified_by`` defaults to
    ``author``."""
    values: list[tuple[str, Any]] = [
        ("title", title), ("subject", subject), ("author", author),
        ("last_modified_by", author if last_modified_by is None else last_modified_by),
        ("keywords", keywords), ("comments", comments)]
    if category is not None:
        values.append(("category", category))
    if language is not None:
        values.append(("language", language))
    values.append(("revision", 1))
    if fixed_dates:
        values += [("created", FIXED_DATE), ("modified", FIXED_DATE)]
    set_core(document, values)
