"""Intern kontroll and uppdrag in the styrmodell: the keys, and the pure rules on them.

``intern_kontroll:`` holds the risk scale (size, the words of each step, the levels with their
lowest riskvärde, colour and symbol, and colours set per cell), the words of the three results
(utan anmärkning, med avvikelse, kontroll ej genomförd), the kommungemensamma kontrollmoment
(KS's, in every plan) and one internkontrollplan per nämnd or bolag (adopted with date and §).
``givna_uppdrag:`` lists the uppdrag KF, KS and the nämnder have given, with the words of their
statuses. "Försenat" is no status: it follows from the återrapportering date
(:func:`is_overdue`). docs/styrmodell.md documents every key; :func:`control_problems` checks
what refers to the organisation, with key path and line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reportkit.errors import Problem, problem

_ID = r"^[A-Za-z0-9ÅÄÖåäö][A-Za-z0-9ÅÄÖåäö_.-]{0,39}$"
_COLOR = r"^[0-9A-Fa-f]{6}$"

RESULTS = ("utan_anmarkning", "med_avvikelse", "ej_genomford")
"""The result codes of a kontrollmoment, as stored; their words are ``resultat``'s."""
STATUSES = ("ej_paborjat", "pagar", "genomfort", "avbrutet")
"""The status codes of an uppdrag, as stored; their words are ``givna_uppdrag.status``'s."""
CLOSED = ("genomfort", "avbrutet")
OVERDUE = "forsenat"
"""Not a status: an open uppdrag past its återrapportering date (:func:`is_overdue`)."""
ORIGINS = ("KF", "KS", "nämnd")
KINDS = ("budget", "beslut", "motion", "revision")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)


class RiskLevel(_Model):
    """One level of the riskmatris: from the riskvärde ``från`` up to the next level's."""

    id: str = Field(pattern=_ID)
    label: str = Field(alias="etikett", min_length=1)
    start: int = Field(alias="från", ge=1)
    color: str = Field(alias="färg", pattern=_COLOR)
    symbol: str = Field("●", alias="symbol", min_length=1)


def _default_levels() -> list[RiskLevel]:
    return [RiskLevel(id="låg", label="Låg risk", start=1, color="92D050", symbol="○"),
            RiskLevel(id="medel", label="Medelhög risk", start=4, color="FFC000", symbol="◐"),
            RiskLevel(id="hög", label="Hög risk", start=9, color="FF5050", symbol="●")]


DEFAULT_LIKELIHOOD = ("Osannolik", "Mindre sannolik", "Möjlig", "Sannolik")
DEFAULT_CONSEQUENCE = ("Lindrig", "Kännbar", "Allvarlig", "Mycket allvarlig")


class RiskScale(_Model):
    """``riskskala``: sannolikhet × konsekvens, each 1..``storlek``."""

    size: int = Field(4, alias="storlek", ge=2, le=6)
    likelihood: list[str] = Field(default_factory=list, alias="sannolikhet")
    consequence: list[str] = Field(default_factory=list, alias="konsekvens")
    levels: list[RiskLevel] = Field(default_factory=_default_levels, alias="nivåer",
                                    min_length=2, max_length=5)
    cells: dict[str, str] = Field(default_factory=dict, alias="celler")
    """``"S-K"`` (sannolikhet-konsekvens, e.g. ``"1-4"``) → the id of the level that cell has
    whatever its product: the colours of a matrix are set per cell."""

    @model_validator(mode="after")
    def _check(self) -> RiskScale:
        n = self.size
        for key, words, default in (("sannolikhet", self.likelihood, DEFAULT_LIKELIHOOD),
                                    ("konsekvens", self.consequence, DEFAULT_CONSEQUENCE)):
            if not words:
                words.extend(default if n == len(default) else [str(i + 1) for i in range(n)])
            elif len(words) != n:
                raise ValueError(f"{key} har {len(words)} steg men storlek är {n}; skriv ett "
                                 f"ord per steg, från 1 till {n}")
        starts = [lv.start for lv in self.levels]
        if starts[0] != 1 or any(b <= a for a, b in zip(starts, starts[1:], strict=False)):
            raise ValueError("nivåernas 'från' ska börja på 1 och öka uppifrån och ned, "
                             "t.ex. 1, 4, 9")
        if starts[-1] > n * n:
            raise ValueError(f"nivån '{self.levels[-1].id}' börjar på {starts[-1]}, men högsta "
                             f"riskvärdet är {n * n}")
        ids = {lv.id for lv in self.levels}
        for key, level in self.cells.items():
            s, k = _cell_key(key)
            if not (1 <= s <= n and 1 <= k <= n):
                raise ValueError(f"cellen '{key}' ska skrivas sannolikhet-konsekvens med tal "
                                 f"från 1 till {n}, t.ex. '1-{n}'")
            if level not in ids:
                raise ValueError(f"cellen '{key}' har nivån '{level}', som inte finns; välj en "
                                 f"av {', '.join(sorted(ids))}")
        return self

    def value(self, likelihood: int, consequence: int) -> int:
        """The riskvärde: sannolikhet × konsekvens."""
        return likelihood * consequence

    def level(self, likelihood: int, consequence: int) -> RiskLevel:
        """The level (label, colour, symbol) of a cell: the cell's own when ``celler`` sets
        it, otherwise the highest level whose ``från`` the riskvärde reaches."""
        own = self.cells.get(f"{likelihood}-{consequence}")
        if own is not None:
            return next(lv for lv in self.levels if lv.id == own)
        value = self.value(likelihood, consequence)
        return [lv for lv in self.levels if lv.start <= value][-1]


def _cell_key(key: str) -> tuple[int, int]:
    parts = str(key).replace("×", "-").replace("x", "-").split("-")
    try:
        return (int(parts[0]), int(parts[1])) if len(parts) == 2 else (0, 0)
    except ValueError:
        return 0, 0


class ResultWords(_Model):
    """``resultat``: the kommun's words for the three results of a kontrollmoment."""

    ok: str = Field("Utan anmärkning", alias="utan_anmärkning", min_length=1)
    deviation: str = Field("Med avvikelse", alias="med_avvikelse", min_length=1)
    not_done: str = Field("Kontroll ej genomförd", alias="ej_genomförd", min_length=1)

    def labels(self) -> dict[str, str]:
        """Result code → the kommun's word, in :data:`RESULTS` order."""
        return dict(zip(RESULTS, (self.ok, self.deviation, self.not_done), strict=True))


RESULT_SYMBOLS = MappingProxyType({"utan_anmarkning": "✓", "med_avvikelse": "!",
                                   "ej_genomford": "–"})


class ControlPoint(_Model):
    """One kontrollmoment: the process or rutin, the risk and its assessment, how it is
    checked, by whom, how often and when it is reported."""

    id: str = Field(pattern=_ID)
    process: str = Field(alias="process", min_length=1)
    risk: str = Field(alias="risk", min_length=1)
    likelihood: int = Field(alias="sannolikhet", ge=1, le=6)
    consequence: int = Field(alias="konsekvens", ge=1, le=6)
    method: str = Field("", alias="kontrollmetod")
    responsible: str = Field("", alias="ansvarig")
    frequency: str = Field("", alias="frekvens")
    reported: str = Field("", alias="rapporteras")


class ControlPlan(_Model):
    """A nämnd's (or bolag's) internkontrollplan for the year."""

    committee: str = Field(alias="nämnd", pattern=_ID)
    adopted: dt.date | None = Field(None, alias="antagen")
    paragraph: str = Field("", alias="paragraf")
    points: list[ControlPoint] = Field(default_factory=list, alias="kontrollmoment")


class InternalControl(_Model):
    """``intern_kontroll``."""

    heading: str = Field("Intern kontroll", alias="rubrik", min_length=1)
    scale: RiskScale = Field(default_factory=RiskScale, alias="riskskala")
    results: ResultWords = Field(default_factory=ResultWords, alias="resultat")
    common: list[ControlPoint] = Field(default_factory=list, alias="kommungemensamma")
    plans: list[ControlPlan] = Field(default_factory=list, alias="planer")


class StatusWord(_Model):
    label: str = Field(alias="etikett", min_length=1)
    symbol: str = Field(alias="symbol", min_length=1)


class StatusWords(_Model):
    """``givna_uppdrag.status``: the words and symbols of each status and of försenat."""

    not_started: StatusWord = Field(StatusWord(label="Ej påbörjat", symbol="○"),
                                    alias="ej_påbörjat")
    ongoing: StatusWord = Field(StatusWord(label="Pågår", symbol="◐"), alias="pågår")
    done: StatusWord = Field(StatusWord(label="Genomfört", symbol="●"), alias="genomfört")
    cancelled: StatusWord = Field(StatusWord(label="Avbrutet", symbol="✕"), alias="avbrutet")
    overdue: StatusWord = Field(StatusWord(label="Försenat", symbol="!"), alias="försenat")

    def words(self) -> dict[str, StatusWord]:
        """Status code (and :data:`OVERDUE`) → its word and symbol."""
        return dict(zip((*STATUSES, OVERDUE), (self.not_started, self.ongoing, self.done,
                                               self.cancelled, self.overdue), strict=True))


class KindWords(_Model):
    """``givna_uppdrag.typer``: what the kinds of uppdrag are called."""

    budget: str = Field("Budget", alias="budget", min_length=1)
    decision: str = Field("Beslut", alias="beslut", min_length=1)
    motion: str = Field("Motion", alias="motion", min_length=1)
    audit: str = Field("Revision", alias="revision", min_length=1)

    def words(self) -> dict[str, str]:
        return dict(zip(KINDS, (self.budget, self.decision, self.motion, self.audit),
                        strict=True))


class Assignment(_Model):
    """One uppdrag given by KF, KS or a nämnd, to be reported back."""

    id: str = Field(pattern=_ID)
    origin: Literal["KF", "KS", "nämnd"] = Field(alias="ursprung")
    given_by: str | None = Field(None, alias="givet_av", pattern=_ID)
    """With ``ursprung: nämnd``: the nämnd's id."""
    kind: Literal["budget", "beslut", "motion", "revision"] = Field(alias="typ")
    reference: str = Field("", alias="referens")
    description: str = Field(alias="beskrivning", min_length=1)
    responsible: str = Field(alias="ansvarig", pattern=_ID)
    due: dt.date = Field(alias="återrapportering")


class Assignments(_Model):
    """``givna_uppdrag``."""

    heading: str = Field("Uppdrag från fullmäktige och nämnd", alias="rubrik", min_length=1)
    status: StatusWords = Field(default_factory=StatusWords, alias="status")
    kinds: KindWords = Field(default_factory=KindWords, alias="typer")
    items: list[Assignment] = Field(default_factory=list, alias="lista")


@dataclass(frozen=True)
class PlannedPoint:
    """A kontrollmoment in one nämnd's plan: its own or a kommungemensamt one."""

    point: ControlPoint
    common: bool


def plan_of(ik: InternalControl | None, committee_id: str) -> ControlPlan | None:
    if ik is None:
        return None
    return next((p for p in ik.plans if p.committee == committee_id), None)


def planned_points(ik: InternalControl | None, committee_id: str) -> list[PlannedPoint]:
    """The kontrollmoment of a nämnd's plan: the kommungemensamma first, then its own; none
    when the nämnd has no plan."""
    plan = plan_of(ik, committee_id)
    if ik is None or plan is None:
        return []
    return [PlannedPoint(p, True) for p in ik.common] + [PlannedPoint(p, False)
                                                         for p in plan.points]


def assignments_of(ua: Assignments | None, committee_id: str) -> list[Assignment]:
    return [] if ua is None else [a for a in ua.items if a.responsible == committee_id]


def is_overdue(due: dt.date, status: str | None, on: dt.date) -> bool:
    """Försenat: not genomfört or avbrutet, and the återrapportering date is before ``on``."""
    return status not in CLOSED and due < on


def needs_new_date(due: dt.date, status: str | None, new_date: dt.date | None,
                   on: dt.date) -> bool:
    """An overdue uppdrag with no new expected date (a varning in check)."""
    return is_overdue(due, status, on) and (new_date is None or new_date <= due)


def control_problems(ik: InternalControl | None, ua: Assignments | None,
                     committees: Iterable[str], file: str,
                     where: Callable[[str], str]) -> list[Problem]:
    """What the two keys name that the organisation lacks, duplicate ids in a plan, and
    sannolikhet or konsekvens above the scale's size."""
    known = set(committees)
    out: list[Problem] = []

    def bad(key: str, value: object, reason: str, expected: str) -> None:
        out.append(problem("config-invalid-value", file=file, key=where(key),
                           value=repr(value), reason=reason, expected=expected))

    names = ", ".join(sorted(known)) or "(inga nämnder)"
    if ik is not None:
        size = ik.scale.size
        seen_plans: set[str] = set()
        for pi, plan in enumerate(ik.plans):
            key = f"intern_kontroll.planer[{pi}]"
            if plan.committee not in known:
                bad(f"{key}.nämnd", plan.committee, "ingen nämnd eller bolag har det id:t",
                    f"välj en av {names}")
            if plan.committee in seen_plans:
                bad(f"{key}.nämnd", plan.committee, "nämnden har redan en plan",
                    "skriv nämndens alla kontrollmoment i en plan")
            seen_plans.add(plan.committee)
            ids = {p.id for p in ik.common}
            for ci, point in enumerate(plan.points):
                if point.id in ids:
                    bad(f"{key}.kontrollmoment[{ci}].id", point.id,
                        "id:t finns redan i planen (eller bland de kommungemensamma)",
                        "ge kontrollmomentet ett eget id")
                ids.add(point.id)
        for key, points in [("intern_kontroll.kommungemensamma", ik.common)] + [
                (f"intern_kontroll.planer[{pi}].kontrollmoment", p.points)
                for pi, p in enumerate(ik.plans)]:
            for ci, point in enumerate(points):
                for word, value in (("sannolikhet", point.likelihood),
                                    ("konsekvens", point.consequence)):
                    if value > size:
                        bad(f"{key}[{ci}].{word}", value, f"riskskalan har {size} steg",
                            f"skriv ett tal från 1 till {size}")
    if ua is not None:
        seen: set[str] = set()
        for ai, item in enumerate(ua.items):
            key = f"givna_uppdrag.lista[{ai}]"
            if item.id in seen:
                bad(f"{key}.id", item.id, "id:t finns redan", "ge uppdraget ett eget id")
            seen.add(item.id)
            if item.responsible not in known:
                bad(f"{key}.ansvarig", item.responsible, "ingen nämnd eller bolag har det id:t",
                    f"välj en av {names}")
            if item.origin == "nämnd" and item.given_by not in known:
                bad(f"{key}.givet_av", item.given_by, "ett uppdrag från en nämnd ska säga "
                    "vilken", f"skriv nämndens id, en av {names}")
    return out
