"""The kommun's own words: what its levels, goals and goal areas are called, in every form.

Swedish text needs more than one form of a word: "Antal KF-mål per bedömning" (plural),
"KF-målets bedömning" (genitive of the definite form), "Övriga nämndmål", "Bedömningen av ett
nämndmål". The styrmodell gives the base word (``nivåer[].målnamn: Effektmål``) or a mapping of
forms; the forms not given are derived by :func:`derive` (docs/styrmodell.md "Ord"):

================  ===========  ============  ===============  ===========  =======
ending            bestämd      plural        bestämd plural   genitiv      article
================  ===========  ============  ===============  ===========  =======
-mål              -målet       -mål          -målen           -målets      ett
-e (område)       -et          -en           -ena             -ets         ett
-iv (perspektiv)  -ivet        -iv           -iven            -ivets       ett
-ning             -ningen      -ningar       -ningarna        -ningens     en
anything else     -en          -er           -erna            -ens         en
================  ===========  ============  ===============  ===========  =======

The genitive is the definite singular with -s (none after s, x or z). Every derived form can be
overridden, so "Strategiskt område" → ``plural: Strategiska områden``. A word is written as
given (capitalised as a heading or table header); :meth:`Word.lower` gives the forms for the
middle of a sentence (the first letter lower case, unless the word starts with an acronym, as
"KF-mål" does).

Words of groupings that are not levels ("Mål för verksamheten" beside "Finansiella mål") are
fixed texts in :mod:`reportkit.texts`, never a level's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

FORMS = ("grundform", "bestämd", "plural", "bestämd_plural", "genitiv")
"""The forms a word has, as the styrmodell's keys name them."""
ASCII_FORMS = {"grundform": "grundform", "bestämd": "bestamd", "plural": "plural",
               "bestämd_plural": "bestamd_plural", "genitiv": "genitiv"}
"""The same forms as the templates' variables name them (``malnamn.kommun.genitiv``)."""

# (ending, bestämd, plural, bestämd plural, article): suffixes added to the word as given
_RULES: tuple[tuple[str, str, str, str, str], ...] = (
    ("mål", "et", "", "en", "ett"),
    ("e", "t", "n", "na", "ett"),
    ("iv", "et", "", "en", "ett"),
    ("ning", "en", "ar", "arna", "en"),
)
_OTHER = ("en", "er", "erna", "en")


@dataclass(frozen=True)
class Word:
    """A noun in the forms Swedish text needs (all as the kommun writes them)."""

    grundform: str
    bestämd: str
    plural: str
    bestämd_plural: str
    genitiv: str
    artikel: str = "ett"
    """``en`` or ``ett``: "Bedömningen av ett nämndmål"."""

    def lower(self) -> Word:
        """The forms for the middle of a sentence: "nämndmål", but "KF-mål" stays."""
        return replace(self, **{f: lower_first(getattr(self, f)) for f in FORMS})

    def as_context(self) -> dict[str, Any]:
        """The forms as the templates see them, with ``liten`` (the lower-case forms)."""
        small = self.lower()
        out: dict[str, Any] = {ASCII_FORMS[f]: getattr(self, f) for f in FORMS}
        out["artikel"] = self.artikel
        out["liten"] = {ASCII_FORMS[f]: getattr(small, f) for f in FORMS}
        out["liten"]["artikel"] = self.artikel
        return out

    def __str__(self) -> str:
        return self.grundform


def lower_first(text: str) -> str:
    """``Nämndmål`` → ``nämndmål``; ``KF-mål`` (an acronym first) stays as it is."""
    if not text or (len(text) > 1 and text[1].isupper()):
        return text
    return text[0].lower() + text[1:]


def derive(base: str) -> Word:
    """All forms of ``base`` by the documented default (the module's table)."""
    low = base.lower()
    definite, plural, definite_plural, article = next(
        (r[1:] for r in _RULES if low.endswith(r[0])), _OTHER)
    bestämd = base + definite
    genitiv = bestämd if bestämd[-1:].lower() in ("s", "x", "z") else bestämd + "s"
    return Word(base, bestämd, base + plural, base + definite_plural, genitiv, article)


def word(value: str | Mapping[str, str] | Word) -> Word:
    """A Word from the styrmodell's value: the base word, or a mapping of forms (``grundform``
    and any of the others; the rest derived). ``artikel`` may be given too."""
    if isinstance(value, Word):
        return value
    if isinstance(value, str):
        return derive(value)
    base = derive(value["grundform"])
    given = {k: v for k, v in value.items() if k in FORMS or k == "artikel"}
    if "bestämd" in given and "genitiv" not in given:
        b = given["bestämd"]
        given["genitiv"] = b if b[-1:].lower() in ("s", "x", "z") else b + "s"
    return replace(base, **given)


DEFAULT_AREA_WORD = "Målområde"
"""What the goal areas are called unless the styrmodell says (``målområdesnamn``)."""


@dataclass(frozen=True)
class Words:
    """The styrmodell's words: per level id its name and its goals' name, and the area word."""

    levels: Mapping[str, Word]
    goals: Mapping[str, Word]
    area: Word

    def level(self, level_id: str) -> Word:
        return self.levels[level_id]

    def goal(self, level_id: str) -> Word:
        return self.goals[level_id]

    def as_context(self) -> dict[str, Any]:
        """``nivanamn``, ``malnamn`` (per level: kommun, namnd, verksamhet, enhet) and
        ``omradesnamn`` for the templates (templates/docx/README.md)."""
        def key(level_id: str) -> str:
            return level_id.replace("ä", "a")

        return {
            "nivanamn": {key(k): w.as_context() for k, w in self.levels.items()},
            "malnamn": {key(k): w.as_context() for k, w in self.goals.items()},
            "omradesnamn": self.area.as_context(),
        }


DEFAULT_WORDS = Words(
    levels={"kommun": derive("Kommun"), "nämnd": derive("Nämnd"),
            "verksamhet": derive("Verksamhet"), "enhet": derive("Enhet")},
    goals={"kommun": derive("KF-mål"), "nämnd": derive("Nämndmål"),
           "verksamhet": derive("Verksamhetsmål"), "enhet": derive("Enhetsmål")},
    area=derive(DEFAULT_AREA_WORD),
)
"""Exempelkommun's words, today's defaults (for data made without a styrmodell, as in tests)."""
