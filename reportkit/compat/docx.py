"""The door to python-docx's namespace table, for core properties.

docxcompose (imported by docxtpl) rebinds python-docx's shared prefix ``cp`` to the
custom-properties namespace for its own use, so python-docx would write ``cp:keywords``,
``cp:category``, ``cp:lastModifiedBy`` and ``cp:revision`` as foreign elements that Word and
LibreOffice ignore (and that fail the OOXML schema).

Fast path (python-docx in :data:`reportkit.compat.TESTED`): :func:`core_prefix` binds ``cp`` in
``docx.oxml.ns.nsmap`` (not documented) to the core-properties namespace while the
properties are written and gives docxcompose its binding back after.

Public path (another version, ``REPORTKIT_COMPAT=stock``): python-docx's public setters for
the properties in the Dublin Core namespaces, and the ``cp:`` ones written as elements of the
core-properties part (found by its part name) by name in their own namespace. Same bytes
(``tests/test_compat.py``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from types import MappingProxyType
from typing import Any

from reportkit.compat import fast_path

__all__ = ["CORE_NS", "core_prefix", "set_core"]

CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_CP_ELEMENTS = MappingProxyType({"last_modified_by": "lastModifiedBy", "keywords": "keywords",
                                 "category": "category", "revision": "revision"})
"""Core properties python-docx writes with the ``cp`` prefix: property → element name
(a constant table)."""


@contextlib.contextmanager
def core_prefix() -> Iterator[None]:
    """``cp`` bound to the core-properties namespace inside (the fast path)."""
    from docx.oxml.ns import nsmap

    before = nsmap.get("cp")
    nsmap["cp"] = CORE_NS
    try:
        yield
    finally:
        if before is not None:
            nsmap["cp"] = before


def set_core(document: Any, values: list[tuple[str, Any]]) -> None:
    """Set ``document``'s core properties ``(name, value)`` in order (python-docx names:
    ``title``, ``keywords``, ``revision`` …)."""
    if fast_path("python-docx"):
        with core_prefix():
            props = document.core_properties
            for name, value in values:
                setattr(props, name, value)
        return
    from docx.oxml.ns import qn

    props = document.core_properties
    if qn("cp:keywords").startswith("{" + CORE_NS + "}"):  # nobody rebound the prefix
        for name, value in values:
            setattr(props, name, value)
        return
    root = _core_element(document)
    for name, value in values:
        tag = _CP_ELEMENTS.get(name)
        if tag is None:
            setattr(props, name, value)
            continue
        element = root.find(f"{{{CORE_NS}}}{tag}")
        if element is None:
            element = root.makeelement(f"{{{CORE_NS}}}{tag}", nsmap={"cp": CORE_NS})
            root.append(element)
        element.text = str(value) if value is not None else ""


def _core_element(document: Any) -> Any:
    """The root element of the package's core-properties part (made if missing)."""
    document.core_properties  # noqa: B018 - python-docx makes the part when it is missing
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/core.xml":
            return part.element
    raise LookupError("docProps/core.xml")
