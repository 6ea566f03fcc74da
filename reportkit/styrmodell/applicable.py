""""Ej aktuell": a unit says an indicator it is asked for does not apply to it.

The unit leaves the utfall empty and writes in the indicator's Kommentar cell ``Ej aktuell``
followed by why (``Ej aktuell: vi har inga elever i åk 9``). ``check`` gives the row the
status Ej aktuell (a varning when the motivation is missing); the roll-up leaves the unit out
of the aggregate and counts it in the rule text ("medel av 3 av 5 enheters utfall; 1 ej
aktuell"). An utfall in the same row wins: the comment is then only a comment.
"""

from __future__ import annotations

import re

_MARK = re.compile(r"^\s*ej\s+aktuellt?(?![\wåäöÅÄÖ])[\s:;,.–—-]*", re.IGNORECASE)


def not_applicable(comment: str | None, actual: object = None) -> str | None:
    """The motivation ("" when none) if ``comment`` marks the row Ej aktuell and ``actual`` is
    empty; None otherwise."""
    if actual is not None or not comment:
        return None
    found = _MARK.match(comment)
    if found is None:
        return None
    return comment[found.end():].strip()
