"""``reportkit workbooks``: write the period's styrkort for every unit that reports in it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportkit.errors import ReportkitError, problem
from reportkit.outputs.prefill import previous_outcomes
from reportkit.styrmodell.project import Project, as_project
from reportkit.workbook.content import build_content
from reportkit.workbook.generate import generate_workbook, load_styles, style_template_path

if TYPE_CHECKING:
    from reportkit.styrmodell.config import Period
    from reportkit.styrmodell.model import Styrmodell


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
    out_dir = out_dir or project.outbox(period.id)
    wanted = _wanted_units(model, period, units)
    chosen = [u for u in model.reporting_units(period)
              if (wanted is None or u.id in wanted) and (not levels or u.level in levels)]
    conn = None
    if chosen and project.store_path.exists():
        from reportkit.storage import store

        conn = store.connect(project.store_path)
    try:
        previous = previous_outcomes(project, model, period, conn) if chosen else {}
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
    if paths and out_dir == project.outbox(period.id):
        _keep_styrmodell(project, model.year, period.id, len(paths))
    return paths


def _keep_styrmodell(project: Project, year: int, period_id: str, units: int) -> None:
    """The styrmodell's bytes into the store (by SHA-256) as the workbooks were made from
    them, for ``reportkit diff --utskick``; creates the store if the project has none yet."""
    import datetime as dt

    from reportkit.storage import store
    from reportkit.storage.sent import keep_sent_styrmodell

    content = (project.root / "styrmodell" / f"{year}.yaml").read_bytes()
    conn = store.connect(project.store_path)
    try:
        keep_sent_styrmodell(conn, period_id, year, content,
                             dt.datetime.now().isoformat(timespec="seconds"), units)
    finally:
        conn.close()
