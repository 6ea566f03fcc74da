"""The accounts a revisor checks, in the documents: the context for the RR with budget or
prognos, the numbered notes on ansvarsförbindelser and a change of principle, the soliditet
analysis, the verksamhetsplan's budgets and skattesats, and the reconciliation tables; and
the figures that must agree, checked at render (a varning naming both places and their
sources). The figures are :class:`reportkit.consolidate.disclosures.Accounts` (tkr), built
with the Economy (:func:`reportkit.documents.economy.build_economy`); shown in mnkr.
Rules and sources: docs/avstamningar.md.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportkit.errors import Problem, problem
from reportkit.formats import format_number

if TYPE_CHECKING:
    from reportkit.consolidate.disclosures import Accounts, Line, Reconciliation
    from reportkit.documents.reportdata import ReportData

PRINCIPLE_SWITCH = "andrad_redovisningsprincip"
"""The avsnitt key that is on when the export books a change of principle: its note's text
file (``texter/<period>/andrad-redovisningsprincip.docx``) is then asked for."""
_NOTE_HEADING = re.compile(r"<w:t(?:\s[^>]*)?>\s*Not\s+(\d{1,3})\b")
_INDICATOR_TOLERANCE = 0.05
PLAN_COLUMNS = 3


def _mnkr(value: float | None, decimals: int = 1) -> str:
    return format_number(None if value is None else value / 1000, decimals, unicode_minus=True)


def _pct(value: float | None) -> str:
    return format_number(value, 1, unicode_minus=True)


def _tkr(value: float | None) -> str:
    return format_number(None if value is None else round(value), 0, unicode_minus=True)


def last_statement_note(statements: Path | None) -> int:
    """The highest "Not N" in the ekonomiavdelning's statements (.docx); 0 without one."""
    if statements is None or not Path(statements).is_file():
        return 0
    try:
        with zipfile.ZipFile(statements) as z:
            xml = z.read("word/document.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return 0
    return max((int(n) for n in _NOTE_HEADING.findall(xml)), default=0)


def number_notes(data: ReportData, statements: Path | None) -> None:
    """Number this document's notes after the statements' own (Not 1–8 there: 9 here), and
    check the statements' result and balance against the key figures (docs/avstamningar.md)."""
    accounts = getattr(data.economy, "accounts", None)
    if accounts is not None:
        accounts.first_note = last_statement_note(statements) + 1
        accounts.agreements += statement_agreements(accounts, statements)


_STATEMENT_ROWS = (("Årets resultat", "result"), ("Summa tillgångar", "assets"),
                   ("Summa eget kapital, avsättningar och skulder", "equity_liabilities"))
_STATEMENT_TOLERANCE = 50.0  # tkr: the statements show mnkr with one decimal


def statement_rows(statements: Path | None) -> dict[str, tuple[float, str]]:
    """The rows of the ekonomiavdelning's statements a revisor reconciles (the legal forms'
    own labels: Årets resultat, Summa tillgångar, Summa eget kapital, avsättningar och
    skulder), in tkr, for the period's column (the first headed by a year or date), with
    where each is. Empty when the file is missing or unreadable."""
    from reportkit.sources.tables import parse_number

    if statements is None or not Path(statements).is_file():
        return {}
    try:
        from docx import Document

        doc = Document(str(statements))
    except Exception:  # noqa: BLE001 - an unreadable file is reported where it is inserted
        return {}
    out: dict[str, tuple[float, str]] = {}
    wanted = dict(_STATEMENT_ROWS)
    for table in doc.tables:
        rows = [[c.text.strip() for c in r.cells] for r in table.rows]
        column = next((i for i, h in enumerate(rows[0] if rows else []) if i and
                       re.search(r"\d{4}", h)), None)
        if column is None:
            continue
        for row in rows[1:]:
            key = wanted.get(row[0])
            if key is None or key in out:
                continue
            try:
                value = parse_number(row[column].replace("\u2212", "-"))
            except ValueError:
                value = None
            if value is not None:
                out[key] = (value * 1000, f"{Path(statements).name}, raden {row[0]}, "
                                          f"kolumn {rows[0][column]}")
    return out


def statement_agreements(accounts: Accounts, statements: Path | None) -> list:
    """The statements' balansräkning balances, its Årets resultat is the one the
    balanskravsutredning starts from (helår) and its Summa tillgångar the key figures'."""
    from reportkit.consolidate.disclosures import Agreement, Figure

    rows = statement_rows(statements)
    out = []

    def fig(key: str, place: str) -> Figure:
        value, source = rows[key]
        return Figure(place, value, source)

    if "assets" in rows and "equity_liabilities" in rows:
        out.append(Agreement("rapport_balans", "Ekonomiavdelningens balansräkning balanserar",
                             fig("assets", "Balansräkningen, summa tillgångar"),
                             fig("equity_liabilities", "Balansräkningen, summa eget kapital, "
                                                       "avsättningar och skulder"),
                             _STATEMENT_TOLERANCE))
    known = accounts.figures
    if not accounts.interim and "result" in rows and "årets_resultat" in known:
        out.append(Agreement("rapport_resultat", "Balanskravsutredningen börjar med "
                             "resultaträkningens årets resultat",
                             fig("result", "Resultaträkningen, årets resultat"),
                             known["årets_resultat"], _STATEMENT_TOLERANCE))
    if not accounts.interim and "assets" in rows and "balansomslutning" in known:
        out.append(Agreement("rapport_tillgångar", "Balansräkningens summa tillgångar är "
                             "nyckeltalens balansomslutning",
                             fig("assets", "Balansräkningen, summa tillgångar"),
                             known["balansomslutning"], _STATEMENT_TOLERANCE))
    return out


def _post(label: str, bold: bool) -> Any:
    from reportkit.documents.render import rich_text_class

    rt = rich_text_class()()
    rt.add(" ".join(label.split()), bold=bold)
    return rt


def _row(line: Line, columns: list[str], *, percent: bool = False, note: str = "") -> dict:
    shown = _pct if percent or line.label.endswith(", %") else _mnkr
    return {"post": _post(line.label, line.kind in ("sum", "head")), "not": note,
            "summa": line.kind == "sum",
            "v": ["" if line.kind == "head" else shown(line.values.get(c)) for c in columns]}


def accounts_values(data: ReportData) -> dict[str, Any]:
    """The template's variables (empty lists where the exports have nothing)."""
    acc: Accounts | None = getattr(data.economy, "accounts", None)
    year = data.period.year
    out: dict[str, Any] = {"rr_budget": [], "rr_budget_ar": [], "noter": [],
                           "ansvarsforbindelser": [], "soliditet_analys": [],
                           "soliditet_ar": [str(year - 1), str(year)], "soliditet_text": "",
                           "princip_andring": None, "avstamningar": [], "plan_budgetar": [],
                           "skattesatser": [], "skattesats_text": ""}
    if acc is None:
        return out
    actual = "prognos" if acc.interim else "utfall"
    out["rr_budget_ar"] = [f"Utfall {year - 1}", f"Budget {year}",
                           f"{'Prognos' if acc.interim else 'Utfall'} {year}", "Avvikelse"]
    out["rr_budget"] = [_row(ln, ["fg", "budget", actual, "avvikelse"]) for ln in acc.income]
    out.update(_note_values(acc, year))
    out["avstamningar"] = [_reconciliation(r) for r in acc.reconciliations]
    out.update(_plan_values(acc))
    return out


def _note_values(acc: Accounts, year: int) -> dict[str, Any]:
    from reportkit import texts
    from reportkit.consolidate.disclosures import Line

    columns = [str(year - 1), str(year)]
    notes: list[dict[str, Any]] = []
    listed: list[dict[str, Any]] = []
    number = acc.first_note
    for note in acc.notes:
        notes.append({"nr": str(number), "rubrik": note.title,
                      "text": texts.KOMMUNINVEST_NOTE if note.text == "kommuninvest" else "",
                      "rader": [_row(ln, columns) for ln in note.lines]})
        total = note.lines[-1] if note.lines[-1].kind == "sum" else note.lines[0]
        listed.append(_row(Line(total.key, note.title.split(": ", 1)[-1].capitalize(),
                                total.values), columns, note=str(number)))
        number += 1
    change = None
    if acc.principle_change is not None:
        change = {"nr": str(number), "belopp": _mnkr(acc.principle_change.value),
                  "kalla": acc.principle_change.source}
    pension = next((n for n in notes if n["rubrik"].endswith("pensionsförpliktelser")), None)
    return {"noter": notes, "ansvarsforbindelser": listed, "princip_andring": change,
            "soliditet_analys": [_row(ln, columns) for ln in acc.solvency],
            "soliditet_text": _solvency_text(acc, year, pension["nr"] if pension else "")}


def _solvency_text(acc: Accounts, year: int, note: str) -> str:
    rows = {ln.key: ln.values.get(str(year)) for ln in acc.solvency}
    if rows.get("soliditet") is None or rows.get("soliditet_inkl_pension") is None:
        return ""
    return (f"Soliditeten, eget kapital i procent av tillgångarna, är {_pct(rows['soliditet'])} % "
            f"{year}. Enligt blandmodellen redovisas pensioner intjänade före 1998 inte i "
            f"balansräkningen utan som en ansvarsförbindelse (not {note}): "
            f"{_mnkr(rows['pension_summa'])} mnkr inklusive löneskatt. Räknas de in som en "
            f"skuld blir det egna kapitalet {_mnkr(rows['eget_kapital_efter'])} mnkr och "
            f"soliditeten {_pct(rows['soliditet_inkl_pension'])} %. Skillnaden mellan de två "
            f"måtten är alltså de pensioner som kommunen betalar ut under kommande år.")


def _reconciliation(r: Reconciliation) -> dict[str, Any]:
    rows = [{"post": _post(r.start.label, True), "kalla": r.start.source,
             "belopp": _mnkr(r.start.value)}]
    rows += [{"post": _post(i.label, False), "kalla": i.source, "belopp": _mnkr(i.value)}
             for i in r.items]
    if abs(r.unexplained) > 0.5:
        rows.append({"post": _post("Ej förklarad skillnad", False), "kalla": "",
                     "belopp": _mnkr(r.unexplained)})
    rows.append({"post": _post("= " + r.target.label, True), "kalla": r.target.source,
                 "belopp": _mnkr(r.target.value)})
    return {"rubrik": r.title, "rader": rows}


def _plan_values(acc: Accounts) -> dict[str, Any]:
    from reportkit.consolidate.disclosures import PLAN_PARTS

    columns = [str(y) for y in acc.plan_years[:PLAN_COLUMNS]]
    pad = [""] * (PLAN_COLUMNS - len(columns))  # the template has three year columns
    titles = {key: title for key, title, _ in PLAN_PARTS}
    budgets = [{"rubrik": titles[key], "ar": columns + pad,
                "rader": [{**row, "v": row["v"] + pad} for row in
                          (_row(ln, columns) for ln in lines)]}
               for key, lines in acc.plan.items()]
    first = acc.plan_years[0] if acc.plan_years else None
    rates = [{"ar": str(y), "sats": format_number(v, 2),
              "typ": "beslutad av fullmäktige" if y == first else "antagande i planen"}
             for y, v in sorted(acc.tax_rates.items())]
    text = ""
    if rates:
        text = (f"Fullmäktige har beslutat skattesatsen {rates[0]['sats']} kr per 100 kr "
                f"beskattningsbar inkomst för {rates[0]['ar']}.")
        if len(rates) > 1:
            text += (" För planåren är skattesatsen ett antagande, inget beslut: "
                     + ", ".join(f"{r['sats']} kr {r['ar']}" for r in rates[1:]) + ".")
    return {"plan_budgetar": budgets, "skattesatser": rates, "skattesats_text": text}


def check_agreements(data: ReportData) -> list[Problem]:
    """The "must agree" figures (docs/avstamningar.md) as varningar, and a reconciliation
    whose named items leave a difference."""
    acc: Accounts | None = getattr(data.economy, "accounts", None)
    if acc is None:
        return []
    out = []
    for a in acc.agreements:
        if a.ok:
            continue
        percent = a.tolerance < 1
        shown = _pct if percent else _tkr
        unit = " %" if percent else " tkr"
        out.append(problem(
            "economy-figures-disagree", what=a.what, first_place=a.first.label,
            first=shown(a.first.value) + unit, first_source=a.first.source,
            second_place=a.second.label, second=shown(a.second.value) + unit,
            second_source=a.second.source,
            diff=shown((a.first.value or 0) - (a.second.value or 0)) + unit))
    for r in acc.reconciliations:
        if abs(r.unexplained) > 0.5:
            prefix = next(p for k, _t, p, _x in _reconciliation_keys() if k == r.key)
            out.append(problem(
                "economy-reconciliation-unexplained", title=r.title,
                start_place=r.start.label, start=_tkr(r.start.value),
                start_source=r.start.source, target_place=r.target.label,
                target=_tkr(r.target.value), target_source=r.target.source,
                diff=_tkr(r.unexplained), prefix=prefix))
    out += _indicator_agreements(data, acc)
    return out


def _reconciliation_keys() -> tuple:
    from reportkit.consolidate.disclosures import RECONCILIATIONS

    return RECONCILIATIONS


def _indicator_agreements(data: ReportData, acc: Accounts) -> list[Problem]:
    """An export-sourced indicator shows the figure of its export."""
    shown = {i.id: (i, g) for g in data.goals for i in g.indicators}
    out = []
    for ind_id, name, value, source in acc.indicator_figures:
        found = shown.get(ind_id)
        if found is None:
            continue
        ind = found[0]
        doc_value = ind.forecast if acc.interim else ind.actual
        if doc_value is None or abs(float(doc_value) - value) <= _INDICATOR_TOLERANCE:
            continue
        out.append(problem(
            "economy-figures-disagree",
            what=f"Indikatorn {ind_id} ({name}) visar sin exports siffra",
            first_place=f"Målet {found[1].name}, indikatorn {ind.name}",
            first=_pct(float(doc_value)), first_source="styrkorten och sammanställningen",
            second_place="exportens siffra", second=_pct(value), second_source=source,
            diff=_pct(float(doc_value) - value)))
    return out
