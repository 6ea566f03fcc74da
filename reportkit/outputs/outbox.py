"""``reportkit workbooks``: write the period's styrkort for every unit that reports in it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportkit.errors import ReportkitError, problem
from reportkit.styrmodell.project import Project, as_project
from reportkit.workbook.content import build_content
from reportkit.workbook.generate import generate_workbook, load_styles, style_template_path

if TYPE_CHECKING:
    from reportkit.styrmodell.config import Period
    from reportkit.styrmodell.model import Styrmodell


def previous_outcomes(project: Project, year: int) -> dict[tuple[str, str], float]:
    """Last year's outcomes per (unit, indicator) from the history files (``historik/
    utfall.csv`` and/or ``utfall.xlsx``, the CSV first as consolidate reads them)."""
    from reportkit.consolidate.history import history_files, read_history

    out: dict[tuple[str, str], float] = {}
    for path in history_files(project):
        for row_year, _, unit, indicator, value, _, _ in read_history(path):
            if row_year == year - 1 and value is not None:
                out.setdefault((unit, indicator), value)
    return out


def project_styles(project: Project, model: Styrmodell) -> dict[str, dict[str, Any]]:
    """The workbook styles of the kommun's template folder (``dokument.mallar``), or the
    built-in ``templates/xlsx/``."""
    from reportkit.resources import templates_dir

    root = Path(model.config.documents.templates) if model.config.documents.templates \
        else templates_dir()
    if not root.is_absolute():
        root = project.root / root
    return load_styles(style_template_path(root))


def _wanted_units(model: Styrmodell, period: Period, given: list[str] | None
                  ) -> set[str] | None:
    """The ids of the units ``given`` names (ids or names, any case: styrmodell/lookup.py);
    None for all. A unit that gets no workbook in the period is an error, not 0 workbooks."""
    if not given:
        return None
    from reportkit.styrmodell.lookup import find_unit

    reporting = {u.id for u in model.reporting_units(period)}
    out = set()
    for text in given:
        unit = find_unit(model, text)
        if unit.id not in reporting:
            levels = [model.level_name(lv).lower() for lv in period.levels]
            raise ReportkitError(problem("unit-not-reporting", name=unit.name, id=unit.id,
                                         period=period.id, levels=", ".join(levels)))
        out.add(unit.id)
    return out


def generate_workbooks(project: Project | Path | str, period_id: str | None = None,
                       units: list[str] | None = None, out_dir: Path | None = None,
                       levels: list[str] | None = None) -> list[Path]:
    """One workbook per reporting unit in ``utskick/<period>/`` (or ``out_dir``).

    With a store in the project, each workbook is prefilled from it (``prefill.py``): a
    verksamhet's, nämnd's or the kommun's with the Underlag of what has come in from below so
    far, and every unit's with what it already submitted for the period (or, in a follow-up,
    its plan's activities). ``levels`` limits the run to units of those levels."""
    project = as_project(project)
    model, period = project.period(period_id)
    styles = project_styles(project, model)
    previous = previous_outcomes(project, model.year)
    out_dir = out_dir or project.outbox(period.id)
    wanted = _wanted_units(model, period, units)
    chosen = [u for u in model.reporting_units(period)
              if (wanted is None or u.id in wanted) and (not levels or u.level in levels)]
    conn = None
    if chosen and project.store_path.exists():
        from reportkit.storage import store

        conn = store.connect(project.store_path)
    try:
        source = None
        if conn is not None:
            from reportkit.outputs.prefill import PrefillSource

            source = PrefillSource(conn, model, period)
        paths = []
        for unit in chosen:
            prefill = source.prefill(unit.id) if source is not None else None
            content = build_content(model, unit.id, period, previous, prefill)
            paths.append(generate_workbook(content, out_dir / content.file_name, styles))
    finally:
        if conn is not None:
            conn.close()
    return paths
