"""``read_exports``: one period's exports from the ekonomisystem, HR system and ekonomiavdelning.

The files live in ``<data_dir>/<period id>/`` (``data/2026-delår/ekonomi-drift.csv``); the
names come from the import mapping. An export may be saved as ``.csv`` or ``.xlsx``: when the
configured name is not there, the same name with the other extension is used. Each file is
read on its own, so a broken file is reported and the others still load.

Which exports a period has depends on its type (:data:`PERIOD_KINDS`): a plan has KF's ramar
and the investeringsplan; a månad, kvartal or tertial the ekonomisystem's and HR system's
exports and the key figures; delår, halvår and helår everything, the financial statements included.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportkit.errors import Problem, problem
from reportkit.sources.context import ReadContext
from reportkit.sources.economy import (
    read_drift,
    read_frames,
    read_investment_plan,
    read_investments,
)
from reportkit.sources.keyfigures import read_companies, read_key_figures
from reportkit.sources.mapping import ImportMapping, load_mapping
from reportkit.sources.personnel import read_hr
from reportkit.sources.records import ExportData, ExportFile, OrgIndex, Statement
from reportkit.sources.tables import Table, read_table
from reportkit.styrmodell.periods import is_interim

if TYPE_CHECKING:
    from reportkit.styrmodell.model import Styrmodell

Reader = Callable[[Table, ReadContext, list[Problem]], list[Any]]

# (ExportData and ImportMapping attribute, YAML section, what the user loses without it, reader)
_EXPORTS: tuple[tuple[str, str, str, Reader], ...] = (
    ("drift", "drift", "driftredovisningen", read_drift),
    ("investments", "investeringar", "investeringsredovisningen", read_investments),
    ("hr", "personal", "sjukfrånvaron", read_hr),
    ("key_figures", "nyckeltal", "flerårsöversikten, balanskravsutredningen och budgeten "
     "(i en plan resultat-, balans- och finansieringsbudgeten)", read_key_figures),
    ("frames", "ramar", "KF:s ramar för planåren", read_frames),
    ("investment_plan", "investeringsplan", "investeringsplanen", read_investment_plan),
    ("companies", "bolag", "bolagens nyckeltal", read_companies),
)
STATEMENTS = "finansiella_rapporter"
KINDS = tuple(section for _, section, _, _ in _EXPORTS) + (STATEMENTS,)
"""Every kind of export, by its section name in ``import.yaml``, in reading order."""

PERIOD_KINDS: dict[str, tuple[str, ...]] = {
    "plan": ("ramar", "investeringsplan", "nyckeltal"),
    "månad": ("drift", "investeringar", "personal", "nyckeltal"),
    "kvartal": ("drift", "investeringar", "personal", "nyckeltal"),
    "tertial": ("drift", "investeringar", "personal", "nyckeltal"),
    "delår": KINDS,
    "halvår": KINDS,
    "helår": KINDS,
}
"""The exports a period of each type has; a missing one is a varning."""


def period_kinds(units: object, period_id: str) -> tuple[str, ...]:
    """The kinds :func:`read_exports` looks for in ``period_id`` (all without a Styrmodell)."""
    period = getattr(units, "period", None)
    found = period(period_id) if callable(period) else None
    return PERIOD_KINDS.get(found.type, KINDS) if found is not None else KINDS


def read_exports(data_dir: Path, period_id: str,
                 units: Styrmodell | Mapping[str, str] | OrgIndex,
                 mapping: ImportMapping | None = None,
                 kinds: Collection[str] | None = None) -> ExportData:
    """Read and check every export of ``period_id`` in ``data_dir/period_id/``.

    ``units`` is the Styrmodell (preferred: it gives the tree, the bolag and the period's
    dates) or a plain ``{ansvar code: unit id}`` (see :meth:`OrgIndex.build`). ``mapping``
    defaults to ``data_dir/import.yaml`` or, without that file, the built-in defaults.
    ``kinds`` limits the exports read (default: :func:`period_kinds`). ``ExportData.files``
    lists each export looked for, with its SHA-256 when it was there.
    Never raises for a bad file: every fel and varning is in ``ExportData.problems``.
    """
    data_dir = Path(data_dir)
    data = ExportData(period=period_id)
    if mapping is None:
        mapping, found = load_mapping(data_dir)
        data.problems.extend(found)
    wanted = set(period_kinds(units, period_id) if kinds is None else kinds)
    ctx = _context(data_dir, period_id, units, mapping, data.problems)
    folder = data_dir / period_id
    for attr, section, what, reader in _EXPORTS:
        if section not in wanted:
            continue
        file_name = getattr(mapping, attr).file
        path = _find(folder, file_name)
        display = f"{data_dir.name}/{period_id}/{(path or folder / file_name).name}"
        if path is None:
            data.files.append(ExportFile(section, display, None))
            data.problems.append(problem(
                "export-missing", file=display, name=file_name,
                folder=f"{data_dir.name}/{period_id}", what=what, setting=f"{section}.fil"))
            continue
        table, found = read_table(path, display)
        data.files.append(ExportFile(section, display, table.sha256 if table else _sha(path)))
        data.problems.extend(found)
        if table is not None:
            getattr(data, attr).extend(reader(table, ctx, data.problems))
    if STATEMENTS in wanted:
        data.statements.extend(_statements(data_dir, period_id, mapping, data.problems,
                                           data.files))
    return data


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _find(folder: Path, file_name: str) -> Path | None:
    path = folder / file_name
    if path.is_file():
        return path
    twin = path.with_suffix(".xlsx" if path.suffix.lower() == ".csv" else ".csv")
    return twin if twin.is_file() else None


def _context(data_dir: Path, period_id: str, units: Styrmodell | Mapping[str, str] | OrgIndex,
             mapping: ImportMapping, problems: list[Problem]) -> ReadContext:
    org = OrgIndex.build(units)
    year_text = period_id.split("-", 1)[0]
    year = int(year_text) if year_text.isascii() and year_text.isdigit() else 0
    period = None if isinstance(units, (Mapping, OrgIndex)) else units.period(period_id)
    interim = (is_interim(period.type)) if period is not None else (
        not period_id.endswith("helår"))
    text = mapping.periods.get(period_id)
    if text is None and period is not None:
        text = mapping.period_format.format(start=period.start, end=period.end)
    if text is None:
        problems.append(problem(
            "config-missing-key", file=f"{data_dir.name}/import.yaml",
            key=f"perioder.{period_id}", name=f"perioder.{period_id}"))
    return ReadContext(org, mapping, period_id, year, text, interim)


def _statements(data_dir: Path, period_id: str, mapping: ImportMapping,
                problems: list[Problem], files: list[ExportFile]) -> list[Statement]:
    kind = period_id.split("-", 1)[-1]
    name = mapping.statements.format(typ=kind, period=period_id)
    path = data_dir / period_id / name
    display = f"{data_dir.name}/{period_id}/{name}"
    if not path.is_file():
        files.append(ExportFile(STATEMENTS, display, None))
        problems.append(problem("export-missing", file=display, name=name,
                                folder=f"{data_dir.name}/{period_id}",
                                what="de finansiella rapporterna",
                                setting="finansiella_rapporter"))
        return []
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    files.append(ExportFile(STATEMENTS, display, sha))
    if not data.startswith(b"PK"):
        problems.append(problem("file-corrupt", file=display,
                                reason="filen är inget Word-dokument (.docx)"))
        return []
    return [Statement(display, sha, str(path))]
