"""Finds what the user means: a unit, nämnd, goal or indicator from its id or its name.

The one resolver behind every option and argument that takes such an id (``workbooks
--enhet``, ``explain ID``, ``beslut --nämnd``). In order, the first rule that gives an answer:

1. the id as written;
2. the id in any case (``kf1`` → ``KF1``);
3. id or name with case, å/ä/ö and punctuation ignored (``turistbyrån``, ``Turistbyran``,
   ``solrosens förskola`` → ``solrosens-forskola``);
4. a part of a name (``solrosen``), at least three letters long.

Several answers from one rule are ambiguous (``id-ambiguous`` lists them); none is unknown
(``id-unknown`` with "Menade du …?" suggestions from :mod:`difflib`, or
``id-unknown-no-suggestion``). Both raise :class:`~reportkit.errors.ReportkitError`, which the
CLI shows with exit code 2 (kunde inte köras).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from reportkit.errors import ReportkitError, problem
from reportkit.styrmodell.model import LEVELS, OrgUnit, Styrmodell
from reportkit.texts import LOOKUP_INDICATORS, LOOKUP_MORE, join_words

SUGGESTIONS = 3
"""At most this many "menade du" suggestions."""
SHOWN = 10
"""At most this many candidates of an ambiguous name are listed."""
NAME_WIDTH = 50
"""Longer names are cut in a suggestion or a list of candidates."""
MIN_PART = 3
"""A part of a name must be this long to be looked for (shorter matches too much)."""


class Candidate(NamedTuple):
    """Something a user may name: its id and its name (as the styrmodell writes them)."""

    id: str
    name: str

    def show(self) -> str:
        """``KF1 (Alla barn och elever ges förutsättningar att nå sin …)``."""
        if not self.name or self.name == self.id:
            return self.id
        name = self.name if len(self.name) <= NAME_WIDTH else \
            self.name[:NAME_WIDTH - 1].rstrip() + " …"
        return f"{self.id} ({name})"


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """``Solrosens Förskola`` and ``solrosens-forskola`` → ``solrosens forskola``: case, marks
    (å ä ö é) and punctuation ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALNUM.sub(" ", plain).strip()


def resolve(given: str, candidates: Sequence[Candidate], what: str, year: int) -> str:
    """The id among ``candidates`` that ``given`` means (the module's rules); ``what`` names
    the candidates in the message (the kommun's own plural words, e.g. "enheter och
    verksamheter"). Raises ReportkitError when none or several fit."""
    text = given.strip()
    for rule in (lambda c: c.id == text,
                 lambda c: c.id.casefold() == text.casefold()):
        found = [c for c in candidates if rule(c)]
        if len(found) == 1:
            return found[0].id
        if found:
            raise _ambiguous(given, found, what)
    key = normalize(text)
    if not key:
        raise _unknown(given, candidates, what, year)
    found = [c for c in candidates if key in (normalize(c.id), normalize(c.name))]
    if not found and len(key.replace(" ", "")) >= MIN_PART:
        found = [c for c in candidates if key in normalize(c.name)]
    if len(found) == 1:
        return found[0].id
    if found:
        raise _ambiguous(given, found, what)
    raise _unknown(given, candidates, what, year)


def _ambiguous(given: str, found: Sequence[Candidate], what: str) -> ReportkitError:
    shown = [c.show() for c in found[:SHOWN]]
    if len(found) > SHOWN:
        shown.append(LOOKUP_MORE.format(n=len(found) - SHOWN))
    return ReportkitError(problem("id-ambiguous", given=given, count=len(found), what=what,
                                  candidates="; ".join(shown), example=found[0].id))


def _unknown(given: str, candidates: Sequence[Candidate], what: str, year: int
             ) -> ReportkitError:
    close = suggestions(given, candidates)
    if close:
        return ReportkitError(problem("id-unknown", given=given, what=what, year=year,
                                      suggestions=join_words([c.show() for c in close], "eller")))
    return ReportkitError(problem("id-unknown-no-suggestion", given=given, what=what, year=year,
                                  examples=", ".join(c.id for c in candidates[:3])))


def suggestions(given: str, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates whose id or name is closest to ``given`` (:mod:`difflib`), best first."""
    keys: dict[str, Candidate] = {}
    for c in candidates:
        keys.setdefault(normalize(c.id), c)
        keys.setdefault(normalize(c.name), c)
    keys.pop("", None)
    out: list[Candidate] = []
    for key in difflib.get_close_matches(normalize(given), list(keys), n=SUGGESTIONS * 2,
                                         cutoff=0.6):
        if keys[key] not in out:
            out.append(keys[key])
    return out[:SUGGESTIONS]


def _levels_word(model: Styrmodell, levels: Iterable[str]) -> str:
    """``enheter och verksamheter`` in the kommun's own words, lowest level first."""
    # the kommun is one (still found by its id or name); "kommuner" would read oddly
    names = [model.words.level(lv).lower().plural for lv in reversed(LEVELS)
             if lv in levels and lv != "kommun"] or [model.kommun.name]
    return join_words(names)


def find_unit(model: Styrmodell, given: str, units: Sequence[OrgUnit] | None = None
              ) -> OrgUnit:
    """The unit (any level, or one of ``units``) that ``given`` names by id or name."""
    pool = list(model.units.values()) if units is None else list(units)
    what = _levels_word(model, {u.level for u in pool} or set(LEVELS))
    unit_id = resolve(given, [Candidate(u.id, u.name) for u in pool], what, model.year)
    return model.units[unit_id]


def find_committee(model: Styrmodell, given: str) -> OrgUnit:
    """The nämnd (or styrelse, bolag …: any unit of level ``nämnd``) ``given`` names."""
    return find_unit(model, given, model.committees())


def find_goal_or_indicator(model: Styrmodell, given: str) -> str:
    """The id of the goal or indicator that ``given`` names by id or name."""
    pool = [Candidate(g.id, g.name) for g in model.goals.values()]
    pool += [Candidate(i, ind.name) for i, (ind, _) in model.indicators.items()]
    levels = {g.level for g in model.goals.values()}
    goals = [model.words.goal(lv).lower().plural for lv in LEVELS if lv in levels]
    what = join_words([*goals, LOOKUP_INDICATORS])
    return resolve(given, pool, what, model.year)
