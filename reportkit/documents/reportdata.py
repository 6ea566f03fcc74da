"""The data a KF document is made from: one flat, plain structure (no I/O, no formatting).

:class:`ReportData` is what :mod:`reportkit.documents.context` turns into a template context.
The consolidation step maps its results onto it; tests and the demo use
:func:`example_reportdata`. Values are raw (numbers, ratios, status ids); Swedish formatting
and labels happen in ``context.py``.

Conventions:

- money in **tkr** (thousands of kronor), net cost positive; ``None`` = not known (shown "–");
- indicator values in the indicator's unit (``"%"`` = percent points, 85 = 85 %);
- sjukfrånvaro as **ratios** of hours (0.071 = 7,1 %); ``None`` = not shown (too small group);
- statuses are the scale's ids (``uppfyllt``, ``delvis``, ``ej_uppfyllt``, ``ej_matt`` …).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from reportkit.consolidate.economy import BalanceLine
from reportkit.styrmodell.assess import DEFAULT_SCALE, Scale
from reportkit.styrmodell.periods import is_interim
from reportkit.styrmodell.targets import Target
from reportkit.styrmodell.words import DEFAULT_WORDS, Words

GOAL_KINDS = ("verksamhet", "finansiellt")


@dataclass
class Kommun:
    name: str
    vision: str = ""
    inhabitants: int | None = None


@dataclass
class Period:
    id: str
    """``2026-helår``: names the texter/ and rapporter/ folders."""
    name: str
    """As the styrmodell names it: ``Årsredovisning 2026``, ``Delårsrapport januari–augusti
    2026``."""
    type: str
    """One of :data:`reportkit.styrmodell.periods.PERIOD_TYPES`; those during the year
    (månad … halvår) show bedömningar as prognos."""
    year: int
    start: dt.date | None = None
    end: dt.date | None = None
    target_years: tuple[int, ...] = ()
    """The years whose målvärden a plan over several years shows (2026, 2027, 2028); empty:
    the one year."""
    mandate: str = ""
    """The mandatperiod, ``2023–2026``."""

    @property
    def is_forecast(self) -> bool:
        return is_interim(self.type)


@dataclass
class Indicator:
    id: str
    name: str
    unit: str = ""
    target: Target | None = None
    """The year's målvärde: a number, ja/nej, a range or a direction (styrmodell/targets.py)."""
    actual: float | None = None
    forecast: float | None = None
    degree: float | None = None
    """Unrounded ratio of utfall to målvärde (1.0 = 100 %), as assess computed it."""
    status: str | None = None
    history: dict[int, float | None] = field(default_factory=dict)
    """Earlier years' utfall, ``{2023: 78.0, …}`` (this year's value is ``actual``)."""
    target_history: dict[int, float | None] = field(default_factory=dict)
    lower_is_better: bool = False
    source: str = ""
    year_targets: dict[int, Target | None] = field(default_factory=dict)
    """The målvärde of each of :attr:`Period.target_years` (a plan over several years)."""
    mandate_target: Target | None = None
    """The mandatperiod's målvärde, shown beside the year's (``None``: it has none)."""
    decimals: int | None = None
    """Decimals every value of the indicator is shown with (``decimaler``; None: as each value
    needs), so a column never mixes "5 %" and "3,5 %"."""
    by_gender: dict[str, float | None] = field(default_factory=dict)
    """An indicator split by kön (``kön``): kvinnor's and män's utfall beside ``actual`` (the
    total), ``{"K": 65.0, "M": 59.0}``; empty otherwise."""
    gender_words: dict[str, str] = field(default_factory=dict)
    """The kommun's words for the kön (``{"K": "Flickor", "M": "Pojkar"}``)."""

    def previous(self, year: int) -> float | None:
        """"Föregående år": the utfall of the year before ``year``, None when that year has
        none (never an older year's; docs/historik.md)."""
        return self.history.get(year - 1)


@dataclass
class Activity:
    description: str
    responsible: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    status: str = ""
    """Swedish as typed in the workbook: ej påbörjad, pågår, klar, försenad, avbruten."""
    comment: str = ""


@dataclass
class Goal:
    id: str
    name: str
    level: str
    """``kommun`` (KF-mål), ``nämnd`` (nämndmål/bolagsmål), ``verksamhet`` …"""
    owner_id: str
    owner_name: str
    committee: str | None = None
    """The nämnd/bolag id the goal belongs to; ``None`` for KF-mål."""
    area: str = ""
    """Målområde name, as in ``ReportData.areas``."""
    kind: str = "verksamhet"
    """``verksamhet`` or ``finansiellt`` (finansiella mål för god ekonomisk hushållning)."""
    parents: list[str] = field(default_factory=list)
    proposal_status: str | None = None
    """The computed förslag (from indicators and the goals below)."""
    assessment_status: str | None = None
    """The bedömning that was made (may differ from the förslag; then ``motivation`` says why)."""
    assessed_by: str = ""
    motivation: str = ""
    analysis: str = ""
    indicators: list[Indicator] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)

    @property
    def status(self) -> str | None:
        return self.assessment_status or self.proposal_status


@dataclass
class Committee:
    id: str
    name: str
    kind: str = "nämnd"
    """``nämnd`` or ``bolag``."""
    mission: str = ""
    texts: dict[str, str] = field(default_factory=dict)
    """Texts from the workbooks, by key: ``handelser``, ``verksamhetsuppfoljning``,
    ``intern_kontroll``, ``privata_utforare``, ``ekonomi``, ``forvantad_utveckling``, and for
    plans ``trend_omvarld``, ``nulage``, ``ekonomiska_forutsattningar``, ``forbattringsomraden``."""


@dataclass
class DriftRow:
    committee_id: str
    name: str
    budget: float | None
    actual: float | None
    """Utfall for the period (the whole year in the årsredovisning)."""
    forecast: float | None = None
    """Helårsprognos (delår, tertial); ``None`` in the årsredovisning."""
    actual_previous_year: float | None = None
    budget_changes: float | None = None
    """KF's anslagsförändringar during the year, already included in ``budget``."""


@dataclass
class InvestmentRow:
    project: str
    committee_id: str
    budget: float | None
    actual: float | None
    forecast: float | None = None
    total_decided: float | None = None
    """Beslutad totalutgift for a project over several years."""
    total_estimated: float | None = None


@dataclass
class KeyFigureRow:
    """One row of the flerårsöversikt: ``values`` per year in ``unit`` (mnkr, %, kr, antal)."""

    label: str
    unit: str
    values: dict[int, float | None]
    decimals: int = 0
    key: str = ""
    """The export's id of the figure (``årets_resultat``); "" when not known."""


# One row of the balanskravsutredning (label, values per year, total = a "= …" row): the same
# class the computation returns, here in mnkr.
BalanskravRow = BalanceLine


@dataclass
class SickLeave:
    """The seven sjukfrånvaro ratios of one year (RKR R15), as ratios of hours."""

    year: int
    total: float | None
    long_term_share: float | None
    """Share of the sjukfrånvaro that lasted 60 days or more."""
    women: float | None
    men: float | None
    age_29_or_younger: float | None
    age_30_49: float | None
    age_50_or_older: float | None


@dataclass
class PlanRow:
    """A row with a value per plan year: KF's ram per nämnd, or an investeringsplan project."""

    label: str
    values: dict[int, float | None]
    committee_id: str = ""


@dataclass
class CompanyRow:
    """One key figure of a bolag from its own accounts (``bolag.csv``): ``values`` per year in
    ``unit`` (mnkr, %, antal), as the bolag's chapter shows them."""

    company_id: str
    label: str
    unit: str
    values: dict[int, float | None]
    decimals: int = 0


@dataclass
class Economy:
    drift: list[DriftRow] = field(default_factory=list)
    investments: list[InvestmentRow] = field(default_factory=list)
    key_figures: list[KeyFigureRow] = field(default_factory=list)
    balanskrav: list[BalanskravRow] = field(default_factory=list)
    sick_leave: list[SickLeave] = field(default_factory=list)
    frames: list[PlanRow] = field(default_factory=list)
    """Verksamhetsplan: KF's ramar per nämnd for the plan years (tkr)."""
    investment_plan: list[PlanRow] = field(default_factory=list)
    drift_detail: list[DriftRow] = field(default_factory=list)
    """The verksamheter under the nämnder in ``drift`` (``committee_id`` is their nämnd)."""
    companies: list[CompanyRow] = field(default_factory=list)
    """The bolags' key figures (omsättning, resultat efter finansiella poster,
    balansomslutning, soliditet, antal anställda) per bolag, for their chapters."""
    accounts: Any = None
    """The accounts a revisor checks (``reportkit.consolidate.disclosures.Accounts``): RR with
    budget, notes, soliditet, plan budgets, must-agree figures and reconciliations."""


@dataclass
class Party:
    """A party's seats in kommunfullmäktige (styrmodell ``politik: mandatfördelning``)."""

    name: str
    short: str
    seats: int


@dataclass
class ReportData:
    kommun: Kommun
    period: Period
    scale: Scale = DEFAULT_SCALE
    areas: list[str] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    committees: list[Committee] = field(default_factory=list)
    economy: Economy = field(default_factory=Economy)
    decision: str | None = None
    """``None`` for a draft (Utkast), else the decision: ``KF 2027-04-20 § 45``."""
    texts: dict[str, str] = field(default_factory=dict)
    """Kommun-level texts from the KF workbook (``analys``, ``forvantad_utveckling`` …)."""
    goal_depth: str = "nämnd"
    """How far down the goal chain the documents go (styrmodell ``dokument.måldjup``):
    ``nämnd`` shows nämndmål under the KF-mål; ``verksamhet`` adds verksamhetsmål, ``enhet``
    enhetsmål."""
    words: Words = DEFAULT_WORDS
    """The styrmodell's words: level names, goal names and what the goal areas are called."""
    parties: list[Party] = field(default_factory=list)
    """The mandatfördelning in KF (styrmodell ``politik``); empty when not set."""
    ruling: str = ""
    """Who governs (``politik: styre``)."""
    glossary: list[tuple[str, str]] = field(default_factory=list)
    """The kommun's own ordlista words (``ordlista``), over the default list."""

    def kf_goals(self, kind: str | None = None) -> list[Goal]:
        return [g for g in self.goals if g.level == "kommun" and (kind is None or g.kind == kind)]

    def committee_goals(self, committee_id: str) -> list[Goal]:
        return [g for g in self.goals if g.level == "nämnd" and g.committee == committee_id]


# ---------------------------------------------------------------------------------------------
# A small but complete fictive kommun, for tests and for looking at the output.


def _ind(id_: str, name: str, unit: str, target: float | None, actual: float | None,
         status: str | None, history: dict[int, float | None], *, lower: bool = False,
         forecast: float | None = None) -> Indicator:
    degree = None
    if target and actual is not None:
        degree = (target / actual) if lower else (actual / target)
    return Indicator(id_, name, unit, target, actual, forecast, degree, status, history,
                     {y: target for y in history}, lower)


def example_reportdata(period_type: str = "helår") -> ReportData:
    """Exempelkommun 2026: 8 KF-mål (2 finansiella), 3 nämnder with 2 nämndmål each, economy.

    ``period_type`` ``helår`` (årsredovisning), ``delår`` (delårsrapport, with prognoser) or
    ``plan`` (verksamhetsplan 2027 with ramar and investeringsplan).
    """
    year = 2026
    names = {"helår": ("Årsredovisning 2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
             "delår": ("Delårsrapport januari–augusti 2026", dt.date(2026, 1, 1),
                       dt.date(2026, 8, 31)),
             "tertial": ("Tertialrapport januari–april 2026", dt.date(2026, 1, 1),
                         dt.date(2026, 4, 30)),
             "plan": ("Verksamhetsplan 2027", dt.date(2027, 1, 1), dt.date(2027, 12, 31))}
    if period_type not in names:
        raise ValueError(f"period_type must be one of {', '.join(names)}")
    pname, start, end = names[period_type]
    if period_type == "plan":
        year = 2027
    period = Period(f"{year}-{period_type}", pname, period_type, year, start, end)
    prior = [year - 3, year - 2, year - 1]
    kommun = Kommun(
        "Exempelkommun",
        "Exempelkommun 2030 – en trygg och hållbar kommun där alla kan växa.",
        20412,
    )
    areas = ["Verksamhet", "Arbetsmiljö", "Hållbar utveckling", "Ekonomi"]

    def kf(id_: str, name: str, area: str, status: str, analysis: str,
           indicators: list[Indicator], kind: str = "verksamhet", motivation: str = "",
           proposal: str | None = None) -> Goal:
        return Goal(id_, name, "kommun", "kommun", "Kommunfullmäktige", None, area, kind, [],
                    proposal or status, status, "Kommunstyrelsen", motivation, analysis,
                    indicators)

    goals = [
        kf("KF1", "Alla barn och elever ges förutsättningar att nå sin fulla potential",
           "Verksamhet", "delvis",
           "Behörigheten till yrkesprogram ökade för tredje året i rad men nådde inte "
           "målvärdet. Matematikresultaten i åk 6 förbättrades efter satsningen på "
           "lärarlyftet.\n\nInsatserna fortsätter 2027 med fokus på tidiga stödinsatser.",
           [_ind("I1", "Elever i åk 9 som är behöriga till yrkesprogram", "%", 90, 84.2,
                 "delvis", {prior[0]: 80.1, prior[1]: 81.5, prior[2]: 83.0}),
            _ind("I2", "Elever i åk 6 med lägst betyget E i matematik", "%", 92, 93.1,
                 "uppfyllt", {prior[0]: 88.0, prior[1]: 89.9, prior[2]: 91.2})]),
        kf("KF2", "Invånarna möter en tillgänglig service med gott bemötande", "Verksamhet",
           "uppfyllt", "Kontaktcenter har kortat svarstiderna och nöjdheten ökar.",
           [_ind("I3", "Andel som får svar på e-post inom en arbetsdag", "%", 85, 88,
                 "uppfyllt", {prior[0]: 79, prior[1]: 82, prior[2]: 86}),
            _ind("I4", "Nöjd medborgar-index, helhet", "index", 55, 56, "uppfyllt",
                 {prior[0]: 52, prior[1]: 53, prior[2]: 55})]),
        kf("KF3", "Äldre och personer med funktionsnedsättning känner trygghet och inflytande",
           "Verksamhet", "ej_uppfyllt",
           "Väntetiden till särskilt boende ökade när två avdelningar stängdes för ombyggnad.",
           [_ind("I5", "Väntetid till särskilt boende från ansökan", "dagar", 60, 94,
                 "ej_uppfyllt", {prior[0]: 58, prior[1]: 63, prior[2]: 71}, lower=True)]),
        kf("KF4", "Exempelkommun är en attraktiv arbetsgivare", "Arbetsmiljö", "delvis",
           "Sjukfrånvaron minskade något men ligger över målvärdet.",
           [_ind("I6", "Sjukfrånvaro bland kommunens medarbetare", "%", 6.5, 7.1, "delvis",
                 {prior[0]: 7.9, prior[1]: 7.6, prior[2]: 7.3}, lower=True),
            _ind("I7", "Hållbart medarbetarengagemang (HME), totalindex", "index", 80, None,
                 "ej_matt", {prior[0]: 78, prior[1]: 79, prior[2]: None})]),
        kf("KF5", "Kommunens klimatpåverkan minskar", "Hållbar utveckling", "uppfyllt",
           "Andelen fossilfria fordon nådde målet tack vare upphandlingen av elbilar.",
           [_ind("I8", "Andel fossilfria fordon i kommunens fordonsflotta", "%", 60, 64,
                 "uppfyllt", {prior[0]: 41, prior[1]: 50, prior[2]: 57})],
           motivation="", proposal="uppfyllt"),
        kf("KF6", "Fler invånare har arbete och egen försörjning", "Verksamhet", "delvis",
           "Färre hushåll har ekonomiskt bistånd, men arbetsmarknaden har försvagats.",
           [_ind("I9", "Invånare med ekonomiskt bistånd", "%", 3.5, 3.9, "delvis",
                 {prior[0]: 4.4, prior[1]: 4.1, prior[2]: 4.0}, lower=True)],
           motivation="Bedömningen är sänkt från Uppfyllt eftersom arbetslösheten ökade under "
                      "hösten och prognosen för 2027 är svag.",
           proposal="uppfyllt"),
        kf("KF7", "Årets resultat uppgår till minst 2 procent av skatteintäkter och "
                  "statsbidrag", "Ekonomi", "uppfyllt",
           "Årets resultat blev 2,4 % av skatteintäkter och generella statsbidrag.",
           [_ind("I10", "Årets resultat som andel av skatt och generella statsbidrag", "%",
                 2.0, 2.4, "uppfyllt", {prior[0]: 3.1, prior[1]: 0.8, prior[2]: 1.6})],
           kind="finansiellt"),
        kf("KF8", "Investeringarna finansieras till minst 60 procent med egna medel", "Ekonomi",
           "ej_uppfyllt",
           "Investeringarna i nya förskolor lånefinansierades delvis.",
           [_ind("I11", "Självfinansieringsgrad av investeringar", "%", 60, 44, "ej_uppfyllt",
                 {prior[0]: 72, prior[1]: 58, prior[2]: 51})],
           kind="finansiellt"),
    ]

    def nm(id_: str, name: str, committee: str, cname: str, parent: str, status: str,
           comment: str, indicators: list[Indicator] | None = None,
           activities: list[Activity] | None = None) -> Goal:
        area = next(g.area for g in goals if g.id == parent)
        return Goal(id_, name, "nämnd", committee, cname, committee, area, "verksamhet",
                    [parent], status, status, cname, "", comment, indicators or [],
                    activities or [])

    goals += [
        nm("KS-1", "Kommunens service är lätt att nå och ger snabba svar", "KS",
           "Kommunstyrelsen", "KF2", "uppfyllt", "Kontaktcenter svarar snabbare än målet.",
           [_ind("KS-I1", "Andel som får direkt svar via telefon", "%", 70, 74, "uppfyllt",
                 {prior[2]: 68})],
           [Activity("Införa chattfunktion på webbplatsen", "Kontaktcenterchef",
                     dt.date(year, 1, 15), dt.date(year, 6, 30), "klar")]),
        nm("KS-2", "Kommunens fordon och lokaler drivs fossilfritt och energisnålt", "KS",
           "Kommunstyrelsen", "KF5", "uppfyllt", "Elbilsupphandlingen är genomförd.",
           [_ind("KS-I2", "Andel fossilfria fordon", "%", 60, 64, "uppfyllt", {prior[2]: 57})]),
        nm("BUN-1", "Fler elever når kunskapskraven i alla ämnen", "BUN",
           "Barn- och utbildningsnämnden", "KF1", "delvis",
           "Resultaten förbättras men skillnaderna mellan skolorna är stora.",
           [_ind("BUN-I1", "Elever i åk 9 med godkänt i alla ämnen", "%", 80, 74, "delvis",
                 {prior[2]: 72})],
           [Activity("Utveckla läsfrämjande arbete i F–3", "Verksamhetschef grundskola",
                     dt.date(year, 1, 1), dt.date(year, 12, 31), "pågår")]),
        nm("BUN-2", "Alla barn i förskolan får plats inom fyra månader", "BUN",
           "Barn- och utbildningsnämnden", "KF1", "uppfyllt",
           "Den nya förskolan Solrosen öppnade i augusti.",
           [_ind("BUN-I2", "Andel som fått plats på önskat placeringsdatum", "%", 95, 97,
                 "uppfyllt", {prior[2]: 90})]),
        nm("SN-1", "Brukarna i särskilt boende är trygga och har inflytande", "SN",
           "Socialnämnden", "KF3", "ej_uppfyllt",
           "Ombyggnaden av Björkgården har gett längre väntetider.",
           [_ind("SN-I1", "Väntetid till särskilt boende", "dagar", 60, 94, "ej_uppfyllt",
                 {prior[2]: 71}, lower=True)]),
        nm("SN-2", "Fler personer med försörjningsstöd går till arbete eller studier", "SN",
           "Socialnämnden", "KF6", "delvis",
           "Samarbetet med Arbetsförmedlingen har förbättrats.",
           [_ind("SN-I2", "Deltagare som gått vidare till arbete eller studier", "%", 40, 35,
                 "delvis", {prior[2]: 33})]),
    ]

    committees = [
        Committee("KS", "Kommunstyrelsen", "nämnd",
                  "Kommunstyrelsen leder och samordnar kommunens verksamhet och har uppsikt "
                  "över nämnderna och bolagen.",
                  {"handelser": "Kontaktcenter öppnade i mars.\nNytt ekonomisystem infördes.",
                   "verksamhetsuppfoljning": "Kommunledningskontoret har genomfört alla "
                                             "planerade aktiviteter.",
                   "ekonomi": "Kommunstyrelsen redovisar ett överskott mot budget, främst "
                              "på grund av vakanta tjänster.",
                   "forvantad_utveckling": "Digitaliseringen av ärendehanteringen fortsätter."}),
        Committee("BUN", "Barn- och utbildningsnämnden", "nämnd",
                  "Nämnden ansvarar för förskola, grundskola, gymnasieskola och vuxenutbildning.",
                  {"handelser": "Förskolan Solrosen öppnade i augusti med 120 platser.",
                   "verksamhetsuppfoljning": "Skolinspektionen granskade två skolor utan "
                                             "anmärkning.",
                   "ekonomi": "Nämnden redovisar ett underskott på grund av fler barn i "
                              "förskolan än budgeterat.",
                   "forvantad_utveckling": "Elevantalet i grundskolan väntas öka med 3 % per "
                                           "år fram till 2030."}),
        Committee("SN", "Socialnämnden", "nämnd", "",
                  {"handelser": "Björkgården byggs om; två avdelningar är stängda till mars "
                                "2027.",
                   "ekonomi": "Kostnaderna för placeringar ökade kraftigt under hösten.",
                   "forvantad_utveckling": "Antalet invånare över 80 år ökar med 25 % till "
                                           "2032."}),
    ]
    ys = [year - 4, year - 3, year - 2, year - 1, year]
    forecast = is_interim(period_type)
    scale = 8 / 12 if period_type == "delår" else 4 / 12 if period_type == "tertial" else 1
    drift = [
        DriftRow("KS", "Kommunstyrelsen", 145200, round(141300 * scale),
                 141800 if forecast else None, 139800),
        DriftRow("BUN", "Barn- och utbildningsnämnden", 612000, round(619400 * scale),
                 618000 if forecast else None, 598200),
        DriftRow("SN", "Socialnämnden", 455300, round(466900 * scale),
                 468500 if forecast else None, 441000),
    ]
    investments = [
        InvestmentRow("Förskolan Solrosen", "BUN", 42000, 40150, 40500 if forecast else None,
                      86000, 84900),
        InvestmentRow("Ombyggnad Björkgården", "SN", 28000, 19400, 21000 if forecast else None,
                      55000, 58500),
        InvestmentRow("Elbilar och laddinfrastruktur", "KS", 6500, 6320,
                      6500 if forecast else None),
        InvestmentRow("IT-infrastruktur", "KS", 4000, 4480, 4500 if forecast else None),
    ]
    key_figures = [
        KeyFigureRow("Verksamhetens nettokostnader, mnkr", "mnkr",
                     dict(zip(ys, [1098.4, 1135.0, 1171.2, 1198.7, 1229.5], strict=True)), 1),
        KeyFigureRow("Skatteintäkter och generella statsbidrag, mnkr", "mnkr",
                     dict(zip(ys, [1130.2, 1172.9, 1182.6, 1221.1, 1263.0], strict=True)), 1,
                     key="skatteintäkter_statsbidrag"),
        KeyFigureRow("Årets resultat, mnkr", "mnkr",
                     dict(zip(ys, [28.1, 36.4, 9.5, 19.5, 30.3], strict=True)), 1,
                     key="årets_resultat"),
        KeyFigureRow("Soliditet, %", "%", dict(zip(ys, [41, 42, 40, 39, 38], strict=True)),
                     key="soliditet"),
        KeyFigureRow("Nettoinvesteringar, mnkr", "mnkr",
                     dict(zip(ys, [62.0, 71.3, 95.8, 88.2, 70.4], strict=True)), 1,
                     key="investeringar"),
        KeyFigureRow("Långfristiga skulder, mnkr", "mnkr",
                     dict(zip(ys, [310.0, 305.0, 355.0, 380.0, 402.0], strict=True)),
                     key="långfristiga_skulder"),
        KeyFigureRow("Antal invånare 31 december", "antal",
                     dict(zip(ys, [20011, 20145, 20230, 20318, 20412], strict=True)),
                     key="antal_invånare"),
        KeyFigureRow("Skattesats, kr", "kr",
                     dict(zip(ys, [22.31, 22.31, 22.56, 22.56, 22.56], strict=True)), 2,
                     key="skattesats"),
        KeyFigureRow("Årsarbetare", "antal",
                     dict(zip(ys, [1402, 1418, 1431, 1440, 1452], strict=True)),
                     key="årsarbetare"),
    ]
    by = [year - 2, year - 1, year]
    balanskrav = [
        BalanskravRow("Årets resultat enligt resultaträkningen",
                      dict(zip(by, [9.5, 19.5, 30.3], strict=True))),
        BalanskravRow("− samtliga realisationsvinster", dict(zip(by, [-1.2, -0.4, -2.1],
                                                                strict=True))),
        BalanskravRow("+ realisationsvinster enligt undantagsmöjlighet",
                      dict(zip(by, [0.0, 0.0, 0.0], strict=True))),
        BalanskravRow("+ realisationsförluster enligt undantagsmöjlighet",
                      dict(zip(by, [0.0, 0.0, 0.0], strict=True))),
        BalanskravRow("± orealiserade förluster/vinster i värdepapper",
                      dict(zip(by, [0.3, -0.5, 0.0], strict=True))),
        BalanskravRow("= Årets resultat efter balanskravsjusteringar",
                      dict(zip(by, [8.6, 18.6, 28.2], strict=True)), total=True),
        BalanskravRow("− reservering till resultatreserv (RER)",
                      dict(zip(by, [0.0, -5.0, -8.0], strict=True))),
        BalanskravRow("+ användning av medel från resultatutjämningsreserv (RUR)",
                      dict(zip(by, [0.0, 0.0, 0.0], strict=True))),
        BalanskravRow("= Årets balanskravsresultat",
                      dict(zip(by, [8.6, 13.6, 20.2], strict=True)),
                      total=True),
    ]
    sick = [
        SickLeave(year - 2, 0.079, 0.412, 0.088, 0.051, 0.061, 0.078, 0.089),
        SickLeave(year - 1, 0.076, 0.398, 0.085, 0.049, 0.058, 0.075, 0.087),
        SickLeave(year, 0.071, 0.385, 0.080, 0.044, 0.055, 0.069, 0.083),
    ]
    plan_years = [year, year + 1, year + 2]
    frames = [
        PlanRow("Kommunstyrelsen", dict(zip(plan_years, [148900, 151200, 153800],
                                            strict=True)), "KS"),
        PlanRow("Barn- och utbildningsnämnden", dict(zip(plan_years, [628500, 641000, 655300],
                                                         strict=True)), "BUN"),
        PlanRow("Socialnämnden", dict(zip(plan_years, [472000, 486100, 501500], strict=True)),
                "SN"),
    ]
    investment_plan = [
        PlanRow("Ombyggnad Björkgården", dict(zip(plan_years, [30000, 6500, 0], strict=True)),
                "SN"),
        PlanRow("Ny F–6-skola Norra", dict(zip(plan_years, [15000, 60000, 70000], strict=True)),
                "BUN"),
        PlanRow("IT-infrastruktur", dict(zip(plan_years, [4000, 4000, 4000], strict=True)),
                "KS"),
    ]
    if forecast:
        for g in goals:
            for ind in g.indicators:
                ind.forecast = ind.actual
    if period_type == "plan":
        for c in committees:
            c.texts.update({
                "trend_omvarld": f"Omvärldsanalys för {c.name.lower()}: befolkningen växer "
                                 "och kompetensförsörjningen blir svårare.",
                "nulage": "Verksamheten håller god kvalitet men lokalerna är trånga.",
                "ekonomiska_forutsattningar": "Ramen räknas upp med 2,5 % för löner och "
                                              "priser.",
                "forbattringsomraden": "Digitala arbetssätt.\nTidiga insatser.",
            })
    return ReportData(
        kommun=kommun,
        period=period,
        areas=areas,
        goals=goals,
        committees=committees,
        economy=Economy(drift, investments, key_figures, balanskrav, sick, frames,
                        investment_plan),
        decision=None,
        texts={"analys": "Kommunen når sina finansiella mål utom självfinansieringsgraden. "
                         "Sex av åtta KF-mål är helt eller delvis uppfyllda.",
               "forvantad_utveckling": "Skatteunderlaget väntas växa långsammare 2027."},
    )
