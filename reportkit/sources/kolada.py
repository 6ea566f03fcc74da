"""Kolada values kept in the project: ``data/kolada.csv`` (the shape the Kolada fetch writes).

One row per KPI, year and kön, in the kommun's own project (Kolada's municipality is the
project's kommun)::

    KPI;År;Kön;Värde;Hämtad
    N00941;2025;T;6,9;2026-11-02
    N00941;2025;K;7,8;2026-11-02

``Kön`` is Kolada's T (totalt), K (kvinnor) or M (män); ``Hämtad`` the date the value was
fetched. reportkit does not fetch: a later issue fills the file. Without the file, or without
a row for an indicator's KPI, the indicator is "ej hämtat" (styrmodell/source.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reportkit.errors import Problem, problem
from reportkit.sources.records import SourceRef
from reportkit.sources.tables import cell_text, parse_number, read_table
from reportkit.styrmodell.source import KOLADA_FILE

GENDERS = ("T", "K", "M")
_COLUMNS = ("KPI", "År", "Kön", "Värde", "Hämtad")


@dataclass(frozen=True)
class KoladaValue:
    kpi: str
    year: int
    gender: str
    value: float | None
    fetched: str
    """ÅÅÅÅ-MM-DD, or "" when the file does not say."""
    source: SourceRef
    status: str = ""
    """Kolada's status of the value ("" or e.g. "Missing"); from the store only."""


def read_kolada(data_dir: Path) -> tuple[list[KoladaValue], list[Problem]]:
    """The values of ``data_dir/kolada.csv``; ``[]`` without the file. A row that cannot be
    read is a problem naming its row and column, and is left out."""
    path = data_dir / KOLADA_FILE
    display = f"{data_dir.name}/{KOLADA_FILE}"
    if not path.exists():
        return [], []
    table, problems = read_table(path, display)
    if table is None:
        return [], problems
    index = {name: table.column(name) for name in _COLUMNS}
    missing = [n for n, i in index.items() if i is None and n != "Hämtad"]
    if missing:
        return [], [problem("export-column-missing", file=display, row=1, column=missing[0],
                            found=", ".join(table.header), setting=KOLADA_FILE)]
    out = []
    for row, cells in table.rows:
        def cell(name: str, cells: tuple = cells) -> object:
            i = index[name]
            return None if i is None else cells[i]

        kpi = cell_text(cell("KPI")) or ""  # type: ignore[arg-type]
        gender = (cell_text(cell("Kön")) or "T").upper()  # type: ignore[arg-type]
        try:
            year = int(parse_number(cell("År")) or 0)  # type: ignore[arg-type]
            value = parse_number(cell("Värde"))  # type: ignore[arg-type]
        except ValueError as exc:
            problems.append(problem("export-not-number", file=display, row=row,
                                    column="Värde", value=str(exc)))
            continue
        fetched = cell_text(cell("Hämtad")) or ""  # type: ignore[arg-type]
        if gender not in GENDERS or not kpi or year < 1900:
            problems.append(problem("export-invalid-value", file=display, row=row,
                                    value=f"{kpi};{year};{gender}",
                                    reason="KPI, År och Kön (T, K eller M) krävs",
                                    expected="en rad per KPI, år och kön"))
            continue
        try:
            fetched = dt.date.fromisoformat(fetched).isoformat() if fetched else ""
        except ValueError:
            fetched = ""
        out.append(KoladaValue(kpi, year, gender, value, fetched,
                               SourceRef(display, table.sha256, row, "Värde")))
    return out, problems


def newest(values: list[KoladaValue], kpi: str, year: int, gender: str = "T"
           ) -> KoladaValue | None:
    """The newest value of ``kpi`` for ``gender`` in ``year`` or before (data arrive late)."""
    found = [v for v in values if v.kpi == kpi and v.gender == gender and v.year <= year
             and v.value is not None]
    return max(found, key=lambda v: v.year) if found else None
