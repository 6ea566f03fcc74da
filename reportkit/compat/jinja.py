"""The door to Jinja: a template source compiled once per run.

:func:`environment` makes an environment of the class it is given (the render's sandboxed
environment, :func:`reportkit.documents.sandbox.environment_class`: it stays that class, the
door only adds to it) whose ``from_string`` remembers the compiled template per source in a
:class:`~reportkit.caching.Memo` the caller owns. Compiling runs no template code (the
sandbox's promise), so a parent can compile and its forked renders reuse it.

Public path (a Jinja outside :data:`reportkit.compat.TESTED`, ``REPORTKIT_COMPAT=stock``, or no
memo): every ``from_string`` compiles, as stock Jinja does. Either way the compiled template
knows its ``source`` (where a refusal happened: the nearby paragraph). Same output
(``tests/test_compat.py``).
"""

from __future__ import annotations

import functools
from typing import Any

from reportkit.caching import Memo
from reportkit.compat import fast_path

__all__ = ["environment"]


@functools.cache  # one subclass per base class, never changed after it is made
def _remembering(base: type) -> type:
    class _Environment(base):
        compiled: Memo[Any] | None = None

        def from_string(self, source: Any, globals: Any = None,  # noqa: A002 - Jinja's
                        template_class: Any = None) -> Any:
            if globals is not None or template_class is not None or type(source) is not str:
                return super().from_string(source, globals, template_class)
            if self.compiled is None:
                return self._compiled(source)
            return self.compiled.get((source, self.autoescape), self._compiled, source)

        def _compiled(self, source: str) -> Any:
            template = super().from_string(source)
            template.source = source  # where a refusal happened: the nearby paragraph
            return template

    _Environment.__name__ = _Environment.__qualname__ = f"Remembering{base.__name__}"
    return _Environment


def environment(base: type, compiled: Memo[Any] | None = None, **options: Any) -> Any:
    """``base(**options)`` (a Jinja ``Environment`` class) whose ``from_string`` keeps the
    compiled template in ``compiled`` (None, or the public path: compiles every time)."""
    env = _remembering(base)(**options)
    if compiled is not None and fast_path("jinja2"):
        env.compiled = compiled
    return env
