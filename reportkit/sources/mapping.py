"""The import mapping: how the kommun's exports look, read from ``data/import.yaml``.

The file is optional; every key has a default that matches Exempelkommun's exports (see
``fixtures/exempelkommun/data/import.yaml`` for the commented file and ``docs/exporter.md``).
Keys are Swedish, as in the styrmodell. :func:`load_mapping` never raises: YAML and pydantic
errors become Problems with the key path and line, and the defaults are used instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reportkit.errors import Problem, problem

MAPPING_FILE = "import.yaml"

Sign = Literal["kostnad_positiv", "kostnad_negativ"]

ReserveRow = Literal["rer_reservering", "rer_användning", "rur_reservering", "rur_användning"]
RESERVE_ROWS: tuple[ReserveRow, ...] = ("rer_reservering", "rer_användning", "rur_reservering",
                                        "rur_användning")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)


class DriftColumns(_Model):
    period: str = Field("Period", alias="period")
    level: str = Field("Nivå", alias="nivå")
    ansvar: str = Field("Ansvar", alias="ansvar")
    name: str = Field("Benämning", alias="benämning")
    kf_budget: str = Field("KF-ram", alias="kf_ram")
    internal_budget: str = Field("Internbudget", alias="internbudget")
    budget_changes: str = Field("Anslagsförändringar", alias="anslagsförändringar")
    actual: str = Field("Utfall perioden", alias="utfall")
    forecast: str = Field("Helårsprognos", alias="helårsprognos")


class DriftMapping(_Model):
    """``tecken``: how the export signs a net cost. reportkit stores net cost as positive."""

    file: str = Field("ekonomi-drift.csv", alias="fil")
    columns: DriftColumns = Field(default_factory=DriftColumns, alias="kolumner")
    sign: Sign = Field("kostnad_negativ", alias="tecken")
    committee_level: str = Field("Nämnd", alias="nivå_nämnd")
    detail_level: str = Field("Ansvar", alias="nivå_ansvar")
    tolerance: float = Field(1.0, alias="tolerans_tkr", ge=0)


class InvestmentColumns(_Model):
    period: str = Field("Period", alias="period")
    project_id: str = Field("Projekt-id", alias="projekt_id")
    name: str = Field("Projekt", alias="projekt")
    ansvar: str = Field("Ansvar", alias="ansvar")
    budget: str = Field("Budget", alias="budget")
    actual: str = Field("Utfall", alias="utfall")
    forecast: str = Field("Prognos", alias="prognos")
    decided_total: str = Field("Beslutad totalutgift", alias="beslutad_totalutgift")
    estimated_total: str = Field("Beräknad totalutgift", alias="beräknad_totalutgift")
    multi_year: str = Field("Flerårigt", alias="flerårigt")


class InvestmentMapping(_Model):
    file: str = Field("ekonomi-investeringar.csv", alias="fil")
    columns: InvestmentColumns = Field(default_factory=InvestmentColumns, alias="kolumner")


class HrColumns(_Model):
    period: str = Field("Period", alias="period")
    ansvar: str = Field("Ansvar", alias="ansvar")
    group: str = Field("Grupp", alias="grupp")
    headcount: str = Field("Antal anställda", alias="antal_anställda")
    ordinary_hours: str = Field("Ordinarie arbetstid timmar", alias="ordinarie_timmar")
    sick_hours: str = Field("Sjukfrånvaro timmar", alias="sjukfrånvaro_timmar")
    long_sick_hours: str = Field("Varav 60 dagar eller mer timmar", alias="varav_60_dagar_timmar")


class HrGroups(_Model):
    women: str = Field("Kvinnor", alias="kvinnor")
    men: str = Field("Män", alias="män")
    age_29: str = Field("29 år eller yngre", alias="upp_till_29")
    age_30_49: str = Field("30–49 år", alias="30_till_49")
    age_50: str = Field("50 år eller äldre", alias="50_och_äldre")
    total: str = Field("Totalt", alias="totalt")


class HrMapping(_Model):
    """``sekretessgräns``: a group with fewer employees than this is not shown."""

    file: str = Field("hr-sjukfranvaro.csv", alias="fil")
    columns: HrColumns = Field(default_factory=HrColumns, alias="kolumner")
    groups: HrGroups = Field(default_factory=HrGroups, alias="grupper")
    threshold: int = Field(10, alias="sekretessgräns", ge=1)


class KeyFigureColumns(_Model):
    key: str = Field("Id", alias="id")
    name: str = Field("Nyckeltal", alias="nyckeltal")
    unit: str = Field("Enhet", alias="enhet")


class KeyFigureMapping(_Model):
    """Year columns are headed by the year (``2025``), by ``prognos`` and the year or by
    ``budget`` (or ``plan``) and the year."""

    file: str = Field("nyckeltal.csv", alias="fil")
    columns: KeyFigureColumns = Field(default_factory=KeyFigureColumns, alias="kolumner")
    forecast_prefix: str = Field("Prognos", alias="prognos")
    budget_prefix: str = Field("Budget", alias="budget")
    plan_prefix: str = Field("Plan", alias="plan")


class FrameColumns(_Model):
    ansvar: str = Field("Ansvar", alias="ansvar")
    name: str = Field("Nämnd", alias="nämnd")


class FrameMapping(_Model):
    """Year columns: any header holding a year (``Ram 2026``, ``Plan 2027``)."""

    file: str = Field("ramar.csv", alias="fil")
    columns: FrameColumns = Field(default_factory=FrameColumns, alias="kolumner")


class PlanColumns(_Model):
    project_id: str = Field("Projekt-id", alias="projekt_id")
    name: str = Field("Projekt", alias="projekt")
    ansvar: str = Field("Ansvar", alias="ansvar")


class PlanMapping(_Model):
    file: str = Field("investeringsplan.csv", alias="fil")
    columns: PlanColumns = Field(default_factory=PlanColumns, alias="kolumner")


class CompanyColumns(_Model):
    year: str = Field("År", alias="år")
    company: str = Field("Bolag", alias="bolag")
    turnover: str = Field("Omsättning tkr", alias="omsättning")
    result: str = Field("Resultat efter finansiella poster tkr", alias="resultat")
    total_assets: str = Field("Balansomslutning tkr", alias="balansomslutning")
    equity_ratio: str = Field("Soliditet %", alias="soliditet")
    employees: str = Field("Antal anställda", alias="antal_anställda")


class CompanyMapping(_Model):
    file: str = Field("bolag.csv", alias="fil")
    columns: CompanyColumns = Field(default_factory=CompanyColumns, alias="kolumner")


class BalanceMapping(_Model):
    """Which reserve rows the balanskravsutredning shows (RER since 2024; RUR in transition)."""

    reserve_rows: list[ReserveRow] = Field(
        default_factory=lambda: list(RESERVE_ROWS),
        alias="reservrader")


class ImportMapping(_Model):
    """Everything ``read_exports`` needs to know about the kommun's exports.

    ``periods`` maps a period id to the text the exports' period column holds
    (``2026-delår: "202601-202608"``); without it the text is built from the styrmodell's
    period dates with ``period_format``. ``financial_goals`` says which export figure
    measures which indicator of the finansiella mål.
    """

    periods: dict[str, str] = Field(default_factory=dict, alias="perioder")
    period_format: str = Field("{start:%Y%m}-{end:%Y%m}", alias="periodformat")
    drift: DriftMapping = Field(default_factory=DriftMapping, alias="drift")
    investments: InvestmentMapping = Field(default_factory=InvestmentMapping,
                                           alias="investeringar")
    hr: HrMapping = Field(default_factory=HrMapping, alias="personal")
    key_figures: KeyFigureMapping = Field(default_factory=KeyFigureMapping, alias="nyckeltal")
    frames: FrameMapping = Field(default_factory=FrameMapping, alias="ramar")
    investment_plan: PlanMapping = Field(default_factory=PlanMapping, alias="investeringsplan")
    companies: CompanyMapping = Field(default_factory=CompanyMapping, alias="bolag")
    statements: str = Field("finansiella-rapporter-{typ}.docx", alias="finansiella_rapporter")
    balance: BalanceMapping = Field(default_factory=BalanceMapping, alias="balanskrav")
    financial_goals: dict[str, str] = Field(default_factory=dict, alias="finansiella_mål")
    """Indicator id in the styrmodell → the figure that measures it: an ``Id`` of
    ``nyckeltal.csv`` or a computed one (:data:`reportkit.consolidate.economy.OUTCOMES`)."""


def load_mapping(data_dir: Path) -> tuple[ImportMapping, list[Problem]]:
    """Read ``data_dir/import.yaml``; defaults when it is absent or has errors (reported)."""
    from reportkit.styrmodell.config import problems_from_pydantic
    from reportkit.yamlfile import load_yaml

    path = data_dir / MAPPING_FILE
    name = f"{data_dir.name}/{MAPPING_FILE}"
    if not path.exists():
        return ImportMapping(), []
    data, lines, problems = load_yaml(path, file=name)
    if problems:
        return ImportMapping(), problems
    data = {} if data is None else data
    if not isinstance(data, dict):
        return ImportMapping(), [problem(
            "config-invalid-value", file=name, key="(hela filen)", value=type(data).__name__,
            reason="filen ska bestå av nycklar", expected="utgå från exempelfilen")]
    try:
        return ImportMapping.model_validate(data), []
    except ValidationError as exc:
        return ImportMapping(), problems_from_pydantic(exc.errors(), name, lines)
