"""Kinds of organisation under the kommun, each in its own words, in one place.

A ``nämnder`` entry's ``typ`` is one of :data:`KINDS`: ``nämnd`` (the default), ``styrelse``
(kommunstyrelsen), ``gemensam_nämnd`` (a nämnd shared with other kommuner), ``bolag`` (a
kommunalt bolag; a holding bolag lists its ``dotterbolag``) and ``kommunalförbund``. Legally a
styrelse and a gemensam nämnd are nämnder (KL 3 kap), so the documents put them in the
nämnder's group; bolag have their own group and their report is on the ägardirektiv; a
kommunalförbund is a legal person of its own with its own group (DOMAIN.md "The kommunal
koncern").

Words here are the defaults Swedish text needs: singular and plural, obestämd and bestämd
form, the genitive plural that starts a group heading ("Nämndernas och bolagens
verksamhetsberättelser"), and what the kind's own report is called.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportkit.formats import counted

# document groups, in the order the documents show them
GROUPS = ("nämnd", "bolag", "kommunalförbund")


@dataclass(frozen=True)
class Kind:
    """One kind of organisation and its words."""

    id: str
    singular: str          # "nämnd"
    definite: str          # "nämnden"
    plural: str            # "nämnder"
    definite_plural: str   # "nämnderna"
    genitive_plural: str   # "nämndernas"
    report: str            # its report in an årsredovisning: "verksamhetsberättelse"
    group: str             # the document group (GROUPS) it is listed in
    article: str           # "en" or "ett": "en nämnd", "ett bolag"

    @property
    def indefinite(self) -> str:
        """``en nämnd``, ``ett bolag``."""
        return f"{self.article} {self.singular}"


KINDS: dict[str, Kind] = {k.id: k for k in (
    Kind("nämnd", "nämnd", "nämnden", "nämnder", "nämnderna", "nämndernas",
         "verksamhetsberättelse", "nämnd", "en"),
    Kind("styrelse", "styrelse", "styrelsen", "styrelser", "styrelserna", "styrelsernas",
         "verksamhetsberättelse", "nämnd", "en"),
    Kind("gemensam_nämnd", "gemensam nämnd", "den gemensamma nämnden", "gemensamma nämnder",
         "de gemensamma nämnderna", "de gemensamma nämndernas", "verksamhetsberättelse",
         "nämnd", "en"),
    Kind("bolag", "bolag", "bolaget", "bolag", "bolagen", "bolagens",
         "rapport om ägardirektivet", "bolag", "ett"),
    Kind("kommunalförbund", "kommunalförbund", "kommunalförbundet", "kommunalförbund",
         "kommunalförbunden", "kommunalförbundens", "verksamhetsberättelse",
         "kommunalförbund", "ett"),
)}

# the group's own name when it heads a list (the nämnder's group counts styrelser and
# gemensamma nämnder as nämnder, as the law does)
GROUP_GENITIVE = {"nämnd": "nämndernas", "bolag": "bolagens",
                  "kommunalförbund": "kommunalförbundens"}
GROUP_PLURAL = {"nämnd": "nämnder", "bolag": "bolag", "kommunalförbund": "kommunalförbund"}
GROUP_SINGULAR = {"nämnd": "nämnd", "bolag": "bolag", "kommunalförbund": "förbund"}

# what the committees' part of each whole document reports: "Nämndernas verksamhetsberättelser"
DOCUMENT_REPORTS = {"arsredovisning": "verksamhetsberättelser",
                    "delarsrapport": "redovisning",
                    "verksamhetsplan": "verksamhetsplaner",
                    "uppfoljning": "uppföljning"}

# org levels that are not committees: their words for counts
OTHER_NODES = {"kommun": ("kommun", "kommuner"), "verksamhet": ("verksamhet", "verksamheter"),
               "enhet": ("enhet", "enheter")}


def kind(kind_id: str) -> Kind:
    """The :class:`Kind` of ``typ``; an unknown id (validated away by config) is a nämnd."""
    return KINDS.get(kind_id, KINDS["nämnd"])


def group_of(kind_id: str) -> str:
    return kind(kind_id).group


def joined(words: Sequence[str]) -> str:
    """``a``, ``a och b``, ``a, b och c``."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " och " + words[-1]


def joined_names(names: Sequence[str]) -> str:
    """:func:`joined` of the kommun's names for groups of organisation, each said once: a name
    an earlier one already holds as a word is left out (Fyrkanta's level "Nämnder och bolag"
    beside the group "bolag" gave "nämnder och bolag, bolag och kommunalförbund"), and the
    last is joined with "samt" when an earlier name has its own "och"."""
    import re

    kept: list[str] = []
    for name in names:
        if not any(re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", k.lower())
                   for k in kept):
            kept.append(name)
    if len(kept) > 1 and any(" och " in k for k in kept[:-1]):
        return ", ".join(kept[:-1]) + " samt " + kept[-1]
    return joined(kept)


def group_heading(groups: Iterable[str], document: str) -> str:
    """The heading of the committees' part: ``Nämndernas verksamhetsberättelser``, ``Nämndernas
    och bolagens verksamhetsberättelser`` (only where both exist), ``Kommunalförbundens …``."""
    present = [g for g in GROUPS if g in set(groups)]
    words = joined([GROUP_GENITIVE[g] for g in present])
    text = f"{words} {DOCUMENT_REPORTS.get(document, 'redovisning')}"
    return text[:1].upper() + text[1:]


def document_groups(kinds: Iterable[str]) -> list[list[str]]:
    """The committee groups a document shows as parts of their own, each a list of GROUPS:
    nämnder and bolag share one part (its heading names both only where both exist), a
    kommunalförbund has its own."""
    present = {group_of(k) for k in kinds}
    out: list[list[str]] = []
    first: list[str] = [g for g in ("nämnd", "bolag") if g in present]
    if first:
        out.append(first)
    if "kommunalförbund" in present:
        out.append(["kommunalförbund"])
    return out


def per_groups(kinds: Iterable[str]) -> str:
    """``per nämnd``, ``per nämnd och bolag``, ``per nämnd, bolag och förbund`` (chart titles)."""
    present = {group_of(k) for k in kinds}
    return "per " + joined([GROUP_SINGULAR[g] for g in GROUPS if g in present])


def org_counts(levels_and_kinds: Iterable[tuple[str, str]]) -> list[str]:
    """``(level, kind)`` of every org node → ``["1 kommun", "6 nämnder", "1 styrelse",
    "1 bolag", "20 verksamheter", "60 enheter"]`` in tree order (kommun, the kinds, the
    levels below), each kind in its own words."""
    tally: dict[str, int] = {}
    for level, kind_id in levels_and_kinds:
        key = kind_id if level == "nämnd" else level
        tally[key] = tally.get(key, 0) + 1
    order = ["kommun", *KINDS, "verksamhet", "enhet"]
    out = []
    for key in order:
        if not tally.get(key):
            continue
        if key in KINDS:
            out.append(counted(tally[key], KINDS[key].singular, KINDS[key].plural))
        else:
            out.append(counted(tally[key], *OTHER_NODES[key]))
    return out


def node_name(level_name: str, kind_id: str) -> str:
    """What an org node is called in its workbook and status lists: the level's configured name
    for a nämnd (and for verksamhet, enhet, kommun), the kind's own for the other committees
    (``Bolag``, ``Styrelse``, ``Gemensam nämnd``, ``Kommunalförbund``)."""
    if kind_id in KINDS and kind_id != "nämnd":
        word = KINDS[kind_id].singular
        return word[:1].upper() + word[1:]
    return level_name


def reports_to_council(kind_id: str) -> bool:
    """A bolag's and a kommunalförbund's texts go to kommunfullmäktige, not to a nämnd."""
    return group_of(kind_id) in ("bolag", "kommunalförbund") if kind_id in KINDS else False
