"""The door to docxtpl's (and, through its Subdoc, docxcompose's) internals.

Fast path (docxtpl and docxcompose in :data:`reportkit.compat.TESTED`):

- :func:`rich_text_class`: ``docxtpl.richtext`` loaded by its file path, so a render that ends
  as a cache hit does not import docxtpl, python-docx, Jinja and docxcompose;
- :func:`alt_image_class`: ``InlineImage._insert_image`` overridden to put the alt text in
  ``wp:docPr/@descr``;
- :func:`new_subdoc`: docxtpl's ``Subdoc``/``SubdocComposer`` with styles added through a view
  of the master document (faster) and the body's XML kept instead of the document;
- :func:`template`: ``DocxTemplate.patch_xml`` (a pure function of the template's XML)
  remembered in a :class:`~reportkit.caching.Memo` the caller owns.

Public path (another version, or ``REPORTKIT_COMPAT=stock``): ``from docxtpl import RichText``,
an ``InlineImage`` whose ``__str__``/``__html__`` (what Jinja calls) make the same picture,
``tpl.new_subdoc(path)`` and a stock ``DocxTemplate``. The bytes are the same
(``tests/test_compat.py``).

The classes are made once per process by factories under ``functools.cache``: a class is
not state (it never changes after it is made).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportkit.caching import Memo
from reportkit.compat import fast_path

__all__ = ["fast", "rich_text_class", "alt_image_class", "new_subdoc", "template"]


def fast() -> bool:
    """Whether docxtpl's internals are used (the installed docxtpl and docxcompose tested)."""
    return fast_path("docxtpl") and fast_path("docxcompose")


def rich_text_class() -> type:
    """docxtpl's ``RichText``. On the fast path without importing the rest of docxtpl: the
    module is registered as ``docxtpl.richtext``, so a later ``import docxtpl`` uses the same
    class."""
    import sys

    module = sys.modules.get("docxtpl.richtext")
    if module is None and fast():
        module = _richtext_by_path()
    if module is None:
        from docxtpl import RichText

        return RichText
    return module.RichText


def _richtext_by_path() -> Any:
    import importlib.util
    import sys

    spec = importlib.util.find_spec("docxtpl")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        return None
    file = Path(next(iter(spec.submodule_search_locations))) / "richtext.py"
    sub = importlib.util.spec_from_file_location("docxtpl.richtext", file)
    if sub is None or sub.loader is None:
        return None
    module = importlib.util.module_from_spec(sub)
    sys.modules["docxtpl.richtext"] = module
    try:
        sub.loader.exec_module(module)
    except BaseException:
        del sys.modules["docxtpl.richtext"]
        raise
    return module


def _picture_xml(image: Any) -> str:
    """The run with ``image``'s picture, its alt text in ``descr`` (never ``title``)."""
    inline = image.tpl.current_rendering_part.new_pic_inline(
        image.image_descriptor, image.width, image.height)
    inline.docPr.set("descr", image.alt)
    image.image_descriptor.seek(0)
    return (f'</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r>'
            '<w:t xml:space="preserve">')


def alt_image_class() -> type:
    """An ``InlineImage`` made as ``cls(tpl, png, width_mm, alt)`` whose picture carries
    ``alt`` (already clean text) in ``wp:docPr/@descr``."""
    return _alt_image_class(fast())


@functools.cache  # one class per path, never changed after it is made
def _alt_image_class(internals: bool) -> type:
    from docx.shared import Mm
    from docxtpl import InlineImage

    class _AltImage(InlineImage):
        def __init__(self, tpl: Any, png: bytes, width_mm: float, alt: str) -> None:
            super().__init__(tpl, io.BytesIO(png), width=Mm(width_mm))
            self.alt = alt

    if internals:
        class _Fast(_AltImage):
            def _insert_image(self) -> str:
                return _picture_xml(self)

        return _Fast

    class _Public(_AltImage):
        def __str__(self) -> str:
            return _picture_xml(self)

        __html__ = __unicode__ = __str__

    return _Public


class _StyleId:
    __slots__ = ("style_id",)

    def __init__(self, style_id: str | None) -> None:
        self.style_id = style_id


class _StyleIds:
    """A document's styles as docxcompose's ``add_styles`` reads them: iterating gives the
    style ids (what python-docx's ``Styles`` gives through a proxy object per style, which
    made ``add_styles`` the slowest step of composing); everything else is the real thing."""

    def __init__(self, styles: Any) -> None:
        self._styles = styles
        self.element = styles.element
        self._known: tuple[int, list[_StyleId]] = (-1, [])

    def __iter__(self) -> Any:
        """The style ids, read again only when the styles part has gained or lost a child
        (``add_styles`` asks after every style it looks at, and only ever appends)."""
        from docx.oxml.ns import qn

        count = len(self.element)
        if self._known[0] != count:
            key = qn("w:styleId")
            self._known = (count, [_StyleId(el.get(key))
                                   for el in self.element.findall(qn("w:style"))])
        return iter(self._known[1])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._styles, name)


class _MasterView:
    """The composed document with :class:`_StyleIds` as its styles."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.styles = _StyleIds(document.styles)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.document, name)


@functools.cache  # made once, never changed after it is made
def _subdoc_class() -> type:
    """docxtpl's Subdoc whose composer adds styles the same way, only faster (the same
    bytes: ``tests/documents/test_compose_speed.py``, ``tests/test_compat.py``)."""
    from docx import Document
    from docxtpl.subdoc import Subdoc, SubdocComposer

    class _Composer(SubdocComposer):
        doc: Any  # docxcompose's master document, swapped for a view while styles are added
        view: _MasterView | None = None

        def add_styles(self, doc: Any, element: Any) -> None:
            real = self.doc
            view = self.view
            if view is None or view.document is not real:
                view = self.view = _MasterView(real)  # one per inserted document
            self.doc = view
            try:
                super().add_styles(doc, element)
            finally:
                self.doc = real

    class _Subdoc(Subdoc):
        def __init__(self, tpl: Any, docpath: str) -> None:
            self.tpl = tpl
            self.docx = tpl.get_docx()
            self.subdocx = Document(docpath)
            _Composer(self.docx).attach_parts(self.subdocx)
            # its body is final once its parts are attached: keep the XML docxtpl inserts
            # and let the document go (each holds its own parsed styles, ~5 MB: a whole
            # document with 19 inserted ones peaked 110 MB higher)
            self._xml = super()._get_xml()
            self.subdocx = None  # type: ignore[assignment]  # let it go (see above)

        def _get_xml(self) -> str:
            return self._xml

    return _Subdoc


def prepare() -> None:
    """Make the classes a render uses here, before a render forks."""
    if fast():
        _subdoc_class()


def new_subdoc(tpl: Any, path: Path) -> Any:
    """``tpl.new_subdoc(path)``: on the fast path with the faster composer."""
    if not fast():
        return tpl.new_subdoc(str(path))
    tpl.init_docx()
    return _subdoc_class()(tpl, str(path))


@functools.cache  # made once, never changed after it is made
def _template_class() -> type:
    from docxtpl import DocxTemplate

    class _Template(DocxTemplate):
        """A DocxTemplate whose XML clean-up is followed by ``after`` and remembered in its
        ``patched`` memo."""

        patched: Memo[str] | None = None
        after: Callable[[str], str] | None = None

        def patch_xml(self, src_xml: str) -> str:
            if self.patched is None:
                return self._patched(src_xml)
            return self.patched.get(src_xml, self._patched, src_xml)

        def _patched(self, src_xml: str) -> str:
            xml: str = super().patch_xml(src_xml)
            return self.after(xml) if self.after is not None else xml

    return _Template


def template(path: Path, patched: Memo[str] | None = None,
             after: Callable[[str], str] | None = None) -> Any:
    """docxtpl's ``DocxTemplate(path)``, its XML clean-up (``patch_xml``, a pure function of
    the template's XML) followed by ``after`` (reportkit's own clean-up, also pure); on the
    fast path remembered in ``patched`` for the same XML."""
    if after is None and (patched is None or not fast()):
        from docxtpl import DocxTemplate

        return DocxTemplate(str(path))
    tpl = _template_class()(str(path))
    tpl.patched = patched if fast() else None
    tpl.after = after
    return tpl
