"""The records an export yields: plain frozen data, every figure with where it came from.

Money is in tkr. Drift figures are *net cost*, positive when the verksamhet costs money,
whatever sign the export used (``tecken`` in ``data/import.yaml``). A :class:`Value` whose
``value`` is ``None`` was an empty cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from reportkit.errors import Problem

if TYPE_CHECKING:
    from reportkit.styrmodell.model import Styrmodell

# Keys of the HR groups, in the order the seven ratios are reported.
WOMEN, MEN, AGE_29, AGE_30_49, AGE_50, TOTAL = (
    "kvinnor", "män", "upp_till_29", "30_49", "50_och_äldre", "totalt")
HR_GROUPS = (WOMEN, MEN, AGE_29, AGE_30_49, AGE_50, TOTAL)


@dataclass(frozen=True)
class SourceRef:
    """Provenance: the file (``data/2026-delår/ekonomi-drift.csv``), its SHA-256, the 1-based
    row number counting the header row (as a spreadsheet shows it) and the column's name."""

    file: str
    sha256: str
    row: int
    column: str


@dataclass(frozen=True)
class Value:
    value: float | None
    source: SourceRef


# a drift row: a nämnd's total row or one of its verksamheter
DriftLevel = Literal["nämnd", "verksamhet"]


@dataclass(frozen=True)
class DriftRow:
    """One row of the drift export. ``level`` is ``nämnd`` for the export's total row of a
    nämnd and ``verksamhet`` for a detail row. ``kf_budget`` is KF's ram (total rows; usually
    empty on detail rows). ``forecast`` is ``None`` when the export has no prognos column."""

    unit: str
    committee: str
    ansvar: str
    name: str
    level: DriftLevel
    kf_budget: Value
    internal_budget: Value
    budget_changes: Value
    actual: Value
    forecast: Value | None


@dataclass(frozen=True)
class Investment:
    """One investment project; totals are ``None`` for a project that is not fleråriga."""

    project_id: str
    name: str
    unit: str
    committee: str
    budget: Value
    actual: Value
    forecast: Value
    decided_total: Value
    estimated_total: Value
    multi_year: bool
    row: int


@dataclass(frozen=True)
class HrRow:
    """Headcount and hours of one group (see ``HR_GROUPS``) in one verksamhet."""

    unit: str
    committee: str
    group: str
    headcount: Value
    ordinary_hours: Value
    sick_hours: Value
    long_sick_hours: Value


# a key figure's year: its outcome (utfall) or, for the running year in a delår, a forecast
FigureKind = Literal["utfall", "prognos", "budget"]


@dataclass(frozen=True)
class KeyFigure:
    """One figure of the ekonomiavdelning for one year; ``kind`` is ``utfall``, ``prognos`` or
    ``budget`` (KF's budget for the year; in a plan the plan years' budget).

    ``key`` is the row id of ``nyckeltal.csv`` (``årets_resultat``, ``soliditet`` …, see
    docs/exporter.md); ``unit`` is as written there (``tkr``, ``%``, ``antal``, ``kr``)."""

    key: str
    name: str
    unit: str
    year: int
    kind: FigureKind
    value: Value


@dataclass(frozen=True)
class Frame:
    """KF's ram for a nämnd and a plan year, tkr net cost."""

    unit: str
    year: int
    value: Value


@dataclass(frozen=True)
class PlannedInvestment:
    project_id: str
    name: str
    unit: str
    year: int
    value: Value


@dataclass(frozen=True)
class CompanyFigure:
    """A bolag's figure from its own accounts: ``key`` is ``omsättning``, ``resultat``,
    ``balansomslutning`` (tkr), ``soliditet`` (%) or ``antal_anställda``."""

    company: str
    year: int
    key: str
    value: Value


@dataclass(frozen=True)
class Statement:
    """A document from the ekonomiavdelning to insert as it is (finansiella rapporter)."""

    file: str
    sha256: str
    path: str


@dataclass(frozen=True)
class ExportFile:
    """One export that was looked for: ``kind`` is its section in ``import.yaml``
    (``drift``, ``personal`` …, or ``finansiella_rapporter``), ``file`` its display path.
    ``sha256`` is ``None`` when the file was not found or could not be read."""

    kind: str
    file: str
    sha256: str | None


@dataclass
class ExportData:
    """All exports of one period. ``problems`` holds every fel and varning found; a file with
    a fel still contributes its good rows, and a file that cannot be read contributes none."""

    period: str
    drift: list[DriftRow] = field(default_factory=list)
    investments: list[Investment] = field(default_factory=list)
    hr: list[HrRow] = field(default_factory=list)
    key_figures: list[KeyFigure] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    investment_plan: list[PlannedInvestment] = field(default_factory=list)
    companies: list[CompanyFigure] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[ExportFile] = field(default_factory=list)


@dataclass(frozen=True)
class OrgIndex:
    """What the readers need of the org tree.

    ``ansvar`` maps an ansvar code to a unit id; ``committee`` maps a unit id to its nämnd's
    id (a nämnd maps to itself); ``companies`` maps a bolag id to its name.
    """

    ansvar: Mapping[str, str]
    committee: Mapping[str, str]
    companies: Mapping[str, str]

    @classmethod
    def build(cls, units: Styrmodell | Mapping[str, str] | OrgIndex) -> OrgIndex:
        """From a Styrmodell, or from a plain ``{ansvar code: unit id}``.

        With a plain mapping the tree is read from the codes: a unit's nämnd is the unit
        whose code is the shortest prefix of its code (``"311"`` → ``"3"``), and a code with
        no shorter prefix is a nämnd. Bolag are then unknown.
        """
        if isinstance(units, OrgIndex):
            return units
        if isinstance(units, Mapping):
            codes = dict(units)
            committee: dict[str, str] = {}
            for code, unit in codes.items():
                prefixes = [c for c in codes if c != code and code.startswith(c)]
                top = min(prefixes, key=len) if prefixes else code
                committee[unit] = codes[top]
            return cls(codes, committee, {})
        by_code: dict[str, str] = {}
        committee = {}
        companies: dict[str, str] = {}
        for org in units.units.values():
            for code in org.ansvar:
                by_code[code] = org.id
            if org.committee is not None:
                committee[org.id] = org.committee
            if org.kind in ("bolag", "kommunalförbund"):  # koncernföretag: own accounts
                companies[org.id] = org.name
        return cls(by_code, committee, companies)
