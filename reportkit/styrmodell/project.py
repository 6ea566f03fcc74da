"""A kommun project on disk: one folder convention that every command uses.

::

    <projekt>/
      styrmodell/<år>.yaml        the styrmodell per budget year (reportkit validate)
      historik/utfall.csv         earlier years' outcomes (år;period;enhet;indikator;utfall)
      data/<period>/              exports from the ekonomisystem and HR system
      utskick/<period>/           workbooks sent out, one per unit (reportkit workbooks)
      inkommet/<period>/          workbooks returned by the units (reportkit consolidate)
      texter/<period>/            the kansli's section texts, one .docx per section
      rapporter/<period>/         documents, sammanställning, status lists
      reportkit.sqlite            the history store
      .cache/                     what render may reuse (charts, chapters, documents);
                                  safe to delete, never read as the truth

Period ids begin with the budget year (``2026-delår``), which names the styrmodell file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from reportkit.errors import ReportkitError, problem
from reportkit.styrmodell.config import Period
from reportkit.styrmodell.model import Styrmodell, load_styrmodell
from reportkit.styrmodell.periods import current_period, today

STORE_NAME = "reportkit.sqlite"


@dataclass
class Project:
    root: Path
    _models: dict[int, Styrmodell] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, root: Path | str = ".") -> Project:
        """Open the project at ``root`` or, as git finds its repository, at the nearest
        folder above it that has ``styrmodell/`` (``reportkit status`` run in
        ``min-kommun/inkommet/2026-delår/`` opens ``min-kommun``). Raises ReportkitError
        (``project-missing``) when neither ``root`` nor any folder above it is a project,
        and when ``root`` is no folder (a misspelt project name is not the project around
        it)."""
        given = Path(root).resolve()
        found = find_root(given)
        if found is None:
            raise ReportkitError(problem("project-missing", path=str(given)))
        return cls(found)

    @property
    def store_path(self) -> Path:
        return self.root / STORE_NAME

    def styrmodell_files(self) -> list[Path]:
        return sorted((self.root / "styrmodell").glob("[0-9][0-9][0-9][0-9].yaml"))

    def years(self) -> list[int]:
        return [int(p.stem) for p in self.styrmodell_files()]

    def styrmodell(self, year: int | None = None) -> Styrmodell:
        """The styrmodell for ``year`` (default: the latest); raises on any config fel."""
        if year is None:
            years = self.years()
            if not years:
                raise ReportkitError(problem("project-missing", path=str(self.root)))
            year = years[-1]
        if year not in self._models:
            path = self.root / "styrmodell" / f"{year}.yaml"
            if not path.exists():
                raise ReportkitError(problem("file-unreadable", file=f"styrmodell/{year}.yaml",
                                             reason="filen finns inte"))
            model, problems = _load_cached(path)
            if model is None:
                raise ReportkitError(problems)
            self._models[year] = model
        return self._models[year]

    def period(self, period_id: str | None, on: dt.date | str | None = None
               ) -> tuple[Styrmodell, Period]:
        """Resolve ``2026-delår`` to its styrmodell and period; without ``period_id`` the
        period being reported now (:meth:`current`, by ``on`` or :func:`today`)."""
        if period_id is None:
            return self.current(on)
        year_text = period_id.split("-", 1)[0]
        known = [p.id for y in self.years() for p in self.styrmodell(y).config.periods]
        if not (year_text.isascii() and year_text.isdigit()) or int(year_text) not in self.years():
            raise ReportkitError(problem("period-unknown", period=period_id,
                                         known=", ".join(known)))
        model = self.styrmodell(int(year_text))
        period = model.period(period_id)
        if period is None:
            raise ReportkitError(problem("period-unknown", period=period_id,
                                         known=", ".join(known)))
        return model, period

    def current(self, on: dt.date | str | None = None) -> tuple[Styrmodell, Period]:
        """The default period of every command: the period being reported on ``on``
        (default :func:`~reportkit.styrmodell.periods.today`: ``REPORTKIT_DATUM`` or the
        system's date) by the periods' dates and sista dag, as
        :func:`~reportkit.styrmodell.periods.current_period` decides it among the periods of
        the styrmodeller for the year before, the year of and the year after ``on`` (the
        nearest year's when the project has none of them)."""
        day = today(on)
        years = self.years()
        if not years:
            raise ReportkitError(problem("project-missing", path=str(self.root)))
        near = [y for y in years if day.year - 1 <= y <= day.year + 1]
        if not near:
            near = [min(years, key=lambda y: (abs(y - day.year), -y))]
        candidates = [(self.styrmodell(y), p) for y in near
                      for p in self.styrmodell(y).config.periods]
        if not candidates:
            raise ReportkitError(problem("period-unknown", period=f"för {day.isoformat()}",
                                         known="(inga)"))
        chosen = current_period([p for _, p in candidates], day)
        model, period = next((m, p) for m, p in candidates if p is chosen)
        return model, period

    def outbox(self, period_id: str) -> Path:
        return self.root / "utskick" / period_id

    def inbox(self, period_id: str) -> Path:
        return self.root / "inkommet" / period_id

    def inbox_folder(self, period_id: str) -> str:
        """The inbox as a path in the project (``inkommet/<period>``), as the store names it."""
        return f"inkommet/{period_id}"

    def reports(self, period_id: str) -> Path:
        return self.root / "rapporter" / period_id

    def texts(self, period_id: str) -> Path:
        return self.root / "texter" / period_id

    def data(self, period_id: str) -> Path:
        return self.root / "data" / period_id

    def docx_templates(self, model: Styrmodell) -> Path | None:
        """The kommun's own Word templates (``<dokument: mallar:>/docx``), None when the
        styrmodell names no folder (the built-in templates are used)."""
        if not model.config.documents.templates:
            return None
        return self.root / model.config.documents.templates / "docx"

    def history_file(self) -> Path:
        return self.root / "historik" / "utfall.csv"


def find_root(start: Path) -> Path | None:
    """``start`` or the nearest folder above it with a ``styrmodell/`` folder; None if none,
    or if ``start`` is no folder (a misspelt project name is not the project around it)."""
    if not start.is_dir():
        return None
    for folder in (start, *start.parents):
        if (folder / "styrmodell").is_dir():
            return folder
    return None


def default_period(project: Project | Path | str, on: dt.date | str | None = None) -> str:
    """The id of the period every command uses without ``-p``: the one being reported on
    ``on`` (``--datum``; default ``REPORTKIT_DATUM`` or today). See :meth:`Project.current`
    and :func:`~reportkit.styrmodell.periods.current_period` for the rule."""
    return as_project(project).current(on)[1].id


def as_project(project: Project | Path | str) -> Project:
    """``project`` itself, or the project opened at that folder (library calls take either)."""
    return project if isinstance(project, Project) else Project.open(project)


def _cache_dir() -> Path:
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reportkit" / "styrmodell"


def _load_cached(path: Path) -> tuple[Styrmodell | None, list]:
    """:func:`load_styrmodell`, remembered between commands: a kommun of 1,500 units costs
    about 4 s to parse and validate, 0,15 s to load again. The key is the file's bytes, its
    name and the code that reads it (version; size and time of each styrmodell module and of
    ``yamlfile.py``), so an edited file or another reportkit parses anew. The cache lives in
    the user's own cache folder, never in the project (a shared project folder must not be
    able to hand anyone a pickle to load).
    ``REPORTKIT_STYRMODELL_CACHE=0`` turns it off."""
    import hashlib
    import os
    import pickle

    from reportkit.version import __version__

    if os.environ.get("REPORTKIT_STYRMODELL_CACHE", "1") == "0":
        return load_styrmodell(path)
    try:
        data = path.read_bytes()
    except OSError:
        return load_styrmodell(path)  # reports the file as unreadable
    digest = hashlib.sha256(data)
    digest.update("/".join(path.parts[-2:]).encode())  # the name problems and the model use
    digest.update(__version__.encode())
    code = Path(__file__).parent
    for module in [code.parent / "yamlfile.py", *sorted(code.glob("*.py"))]:
        st = module.stat()
        digest.update(f"{module.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    cached = _cache_dir() / f"{digest.hexdigest()[:32]}.pickle"
    try:
        with cached.open("rb") as fh:
            return pickle.load(fh)  # noqa: S301 (our own file in the user's cache)
    except Exception:  # noqa: BLE001 - missing, old or broken: parse again
        pass
    model, problems = load_styrmodell(path)
    if model is not None:
        try:
            from reportkit.files import atomic_path

            cached.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(cached) as tmp:
                tmp.write_bytes(pickle.dumps((model, problems), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache that cannot be written is no error
    return model, problems
