"""How a library call gets at a project's store: the project lock (one writer at a time) and
:func:`opened` (project, period, styrmodell and a store connection, closed afterwards)."""

from __future__ import annotations

import contextlib
import fcntl
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from reportkit.errors import Problem, ReportkitError, problem
from reportkit.storage import store
from reportkit.styrmodell.config import Period
from reportkit.styrmodell.model import Styrmodell
from reportkit.styrmodell.project import Project, as_project


class Opened(NamedTuple):
    """What :func:`opened` yields: the project, the period's styrmodell and period, the store."""

    project: Project
    model: Styrmodell
    period: Period
    conn: sqlite3.Connection


@contextlib.contextmanager
def project_lock(project: Project) -> Iterator[None]:
    """Refuse a second consolidation of the same project while one runs.

    ``flock`` is released by the kernel when the process ends, however it ends, so a killed
    consolidation never leaves the project locked.
    """
    path = project.root / ".reportkit.lock"
    fh = open(path, "a+")  # noqa: SIM115 - held open for the whole block
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReportkitError(problem("project-locked", path=str(project.root))) from None
        yield
    finally:
        fh.close()


@contextlib.contextmanager
def opened(project: Project | Path | str, period_id: str | None = None, *,
           lock: bool = False, consolidated: bool = False) -> Iterator[Opened]:
    """Open the project, resolve the period and connect to the store, closed afterwards.

    ``lock`` holds the project lock a consolidation holds (for a call that writes the store:
    a second writer is refused with ``project-locked``). ``consolidated`` refuses a period
    with nothing consolidated (``period-empty``, naming the consolidate to run)."""
    project = as_project(project)
    model, period = project.period(period_id)
    with project_lock(project) if lock else contextlib.nullcontext():
        conn = store.connect(project.store_path)
        try:
            if consolidated:
                require_consolidated(project, conn, period)
            yield Opened(project, model, period, conn)
        finally:
            conn.close()


def require_consolidated(project: Project, conn: sqlite3.Connection, period: Period) -> None:
    """Raise ``period-empty`` (naming ``reportkit consolidate <projekt> -p <period>``) when
    nothing has been consolidated for ``period``."""
    if period.id not in store.consolidated_periods(conn):
        raise ReportkitError(empty_period(project, period))


def empty_period(project: Project, period: Period) -> Problem:
    """The ``period-empty`` fel for ``period`` (the project as a path from here if it is
    below the working folder)."""
    try:
        shown = str(project.root.relative_to(Path.cwd())) or "."
    except ValueError:
        shown = str(project.root)
    return problem("period-empty", period=period.id, name=period.name, project=shown)
