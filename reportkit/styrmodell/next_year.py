"""``reportkit nytt-ar``: next year's styrmodell made from this year's.

The file is edited, not rewritten: ruamel.yaml's round-trip tree (through
:mod:`reportkit.yamlfile`) keeps every comment, the key order, quotes and layout. What changes:

- ``år`` and every period move one year: ids (``2026-delår`` → ``2027-delår``), the year in
  their names, ``från``, ``till`` and each ``sista_dag`` (29 February becomes 28 February);
  so does each of the årshjul's ``sammanträden`` (its ``datum`` and the year in its ``ärende``);
- ids, names, goals, indicators and the organisation stay as they are, so history and trends
  join across the years;
- an indicator's ``målvärde`` for the new year comes from the multi-year targets where the
  file has one (``{2026: 88, 2027: 89.8}``); an indicator that had a målvärde this year and has
  none for the next is marked by a comment line ``# ATT FYLLA I: …`` above its målvärde;
- when the new year begins a mandatperiod (the year after a general election: 2027, 2031 …),
  each KF-mål is marked ``# ATT BESLUTA: …`` (the new fullmäktige decides its goals) and a
  ``mandatperiod`` målvärde, which belonged to the ending mandatperiod, is removed and named
  in the mark;
- ``givna_uppdrag``: an uppdrag that is finished – declared genomfört or avbrutet by the body
  that gave it, in a decision of the year's helår in the store (``closed``, read by the
  command) – is dropped and named in the summary; every other uppdrag is kept as it stands,
  återrapportering date included: a date already passed stays, so the uppdrag shows as
  försenat until the nämnd reports it and the body that gave it sets a new date;
- ``intern_kontroll``: each internkontrollplan keeps its kontrollmoment (and the
  kommungemensamma stay), but its ``antagen`` and ``paragraf`` are emptied (the keys and
  their comments stay, to be filled in) and the plan is marked ``# ATT BESLUTA: …``: the
  nämnd adopts a new plan for the new year.

The marks are whole comment lines put above the key's line after the round trip (the key's
line is found by its key path, as every problem finds it), so the comments already in the
file stay as they were.

:func:`next_year` returns what the coordinator must still decide, as Swedish lines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportkit.errors import ReportkitError, problem
from reportkit.files import atomic_path
from reportkit.styrmodell.model import load_styrmodell
from reportkit.styrmodell.project import Project
from reportkit.styrmodell.targets import mandate_of
from reportkit.yamlfile import load_yaml, round_trip_dump, round_trip_load

FILL_IN = "ATT FYLLA I"
DECIDE = "ATT BESLUTA"


def mandate_period(year: int) -> tuple[int, int]:
    """The mandatperiod ``year`` falls in by the election calendar: ``2027`` → ``(2027, 2030)``
    (:func:`~reportkit.styrmodell.targets.mandate_of`)."""
    mandate = mandate_of(year)
    return mandate.first, mandate.last


@dataclass
class NextYear:
    """What ``nytt-ar`` wrote and what is left to the coordinator."""

    source: Path
    target: Path
    year: int
    new_mandate: bool = False
    marks: list[tuple[str, str]] = field(default_factory=list)
    """(key path, text) of each mark: ``("mål[0]", "ATT BESLUTA: …")``."""
    to_decide: list[str] = field(default_factory=list)
    """Swedish lines: each thing to fill in or decide, with its id and why."""
    changed: list[str] = field(default_factory=list)
    """Swedish lines: what was moved (periods) and carried."""

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source.name, "target": self.target.name, "year": self.year,
                "new_mandate": self.new_mandate, "to_decide": self.to_decide,
                "moved": self.changed, "marks": [{"key": k, "text": t} for k, t in self.marks]}


def next_year(root: Path | str, year: int | None = None, *, overwrite: bool = False,
              closed: Mapping[str, str] | None = None) -> NextYear:
    """Write ``styrmodell/<year + 1>.yaml`` from ``styrmodell/<year>.yaml`` (default: the
    latest year in the project) and return what was done and what is left to decide.

    The source must load without fel. An existing next-year file is never replaced unless
    ``overwrite``; the new file is written atomically and checked (loaded as every command
    loads it) before it takes the name, so a failure leaves nothing behind.
    """
    project = Project.open(root)
    years = project.years()
    if not years:
        raise ReportkitError(problem("project-missing", path=str(project.root)))
    year = years[-1] if year is None else year
    project.styrmodell(year)  # raises with the source's problems if it does not load
    source = project.root / "styrmodell" / f"{year}.yaml"
    target = source.with_name(f"{year + 1}.yaml")
    if target.exists() and not overwrite:
        raise ReportkitError(problem(
            "next-year-exists", file=f"styrmodell/{target.name}", year=year + 1))
    try:
        doc = round_trip_load(source.read_text(encoding="utf-8-sig"))
    except Exception as exc:  # ruamel's own errors; the file loaded, so this is rare
        raise ReportkitError(problem("next-year-invalid", file=f"styrmodell/{target.name}",
                                     reason=f"{source.name} kunde inte läsas för "
                                            f"redigering ({type(exc).__name__})")) from None
    result = NextYear(source, target, year + 1)
    _move_year(doc, year, result)
    _targets(doc, year, result)
    _assignments(doc, year, closed or {}, result)
    _control_plans(doc, year, result)
    text = _mark(_header(round_trip_dump(doc), year), result.marks)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
        _check_written(tmp, target)
    return result


def _check_written(tmp: Path, target: Path) -> None:
    model, problems = load_styrmodell(tmp)
    if model is None:  # a source that loaded makes a file that loads; never write one that won't
        raise ReportkitError([problem("next-year-invalid", file=f"styrmodell/{target.name}",
                                      reason=p.message) for p in problems if p.is_error][:5])


def _header(text: str, year: int) -> str:
    """The year in the file's opening comment (``# Styrmodell för …, budgetår 2026.``).

    The round trip keeps comments as they are; this one line names the budget year."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            break
        lines[i] = re.sub(rf"\bbudgetår {year}\b", f"budgetår {year + 1}", line)
    return "\n".join(lines)


def _mark(text: str, marks: list[tuple[str, str]]) -> str:
    """Each mark as a comment line above its key's line, indented as the key is."""
    lines_of = load_yaml(text, file="nytt år").lines
    lines = text.split("\n")
    for path, note in sorted(marks, key=lambda m: -lines_of[m[0]]):
        n = lines_of[path] - 1
        indent = len(lines[n]) - len(lines[n].lstrip())
        lines.insert(n, f"{' ' * indent}# {note}")
    return "\n".join(lines)


def _plus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _move_year(doc: Any, year: int, result: NextYear) -> None:
    doc["år"] = year + 1
    for period in doc.get("perioder") or []:
        old = str(period["id"])
        period["id"] = re.sub(rf"^{year}-", f"{year + 1}-", old)
        if isinstance(period.get("namn"), str):
            period["namn"] = _same_style(period["namn"],
                                         re.sub(rf"\b{year}\b", str(year + 1), period["namn"]))
        for key in ("från", "till"):
            if isinstance(period.get(key), dt.date):
                period[key] = _plus_year(period[key])
        deadlines = period.get("sista_dag") or {}
        for level in list(deadlines):
            if isinstance(deadlines[level], dt.date):
                deadlines[level] = _plus_year(deadlines[level])
        result.changed.append(f"{old} → {period['id']}")
    for meeting in doc.get("sammanträden") or []:  # the årshjul moves on with the periods
        if isinstance(meeting.get("datum"), dt.date):
            meeting["datum"] = _plus_year(meeting["datum"])
        if isinstance(meeting.get("ärende"), str):
            meeting["ärende"] = _same_style(meeting["ärende"], re.sub(
                rf"\b{year}\b", str(year + 1), meeting["ärende"]))
    start, end = mandate_period(year + 1)
    result.new_mandate = start == year + 1
    kommun = doc.get("kommun")
    if result.new_mandate and hasattr(kommun, "keys") and "mandatperiod" in kommun:
        # kommun.mandatperiod, when the file says it, moves on with the year (validate
        # refuses a year outside it)
        kommun["mandatperiod"] = _same_style(kommun["mandatperiod"], f"{start}–{end}")
        result.changed.append(f"mandatperiod {start}–{end}")
    if result.new_mandate:
        result.to_decide.append(
            f"Ny mandatperiod {start}–{end}: fullmäktige beslutar KF-målen; de är markerade "
            f"med # {DECIDE} i filen.")


def _same_style(old: Any, new: str) -> Any:
    """The new text in the old scalar's quoting (a quoted name stays quoted)."""
    return type(old)(new) if type(old) is not str else new


def _indicators(doc: Any) -> Iterator[tuple[Any, str]]:
    """Every indicator mapping in the file, with its key path."""
    def goals(node: Any, path: str) -> Iterator[tuple[Any, str]]:
        for gi, goal in enumerate(node.get("mål") or []):
            for ii, ind in enumerate(goal.get("indikatorer") or []):
                yield ind, f"{path}mål[{gi}].indikatorer[{ii}]"

    def org(node: Any, path: str) -> Iterator[tuple[Any, str]]:
        yield from goals(node, path)
        for key in ("verksamheter", "enheter", "dotterbolag"):
            for i, child in enumerate(node.get(key) or []):
                yield from org(child, f"{path}{key}[{i}].")

    yield from goals(doc, "")
    for ci, committee in enumerate(doc.get("nämnder") or []):
        yield from org(committee, f"nämnder[{ci}].")


def _targets(doc: Any, year: int, result: NextYear) -> None:
    new = year + 1
    if result.new_mandate:
        for gi, _goal in enumerate(doc.get("mål") or []):
            result.marks.append((f"mål[{gi}]", f"{DECIDE}: fullmäktige beslutar målet för "
                                                f"mandatperioden {new}–{new + 3}"))
    missing: list[str] = []
    for ind, path in _indicators(doc):
        targets = ind.get("målvärde")
        if not hasattr(targets, "keys"):
            continue
        keys = {str(k): k for k in targets}
        note = []
        if result.new_mandate and "mandatperiod" in keys:
            note.append(f"målvärdet för mandatperioden ({targets[keys['mandatperiod']]}) "
                        f"gällde {year - 3}–{year}")
            del targets[keys["mandatperiod"]]
        if str(new) not in keys and str(year) in keys:
            note.insert(0, f"målvärde för {new} saknas ({year}: {targets[keys[str(year)]]})")
            missing.append(f"{ind['id']} {ind.get('namn', '')}".strip())
        if note:
            result.marks.append((f"{path}.målvärde", f"{FILL_IN}: " + "; ".join(note)))
    if missing:
        result.to_decide.append(
            f"{len(missing)} indikatorer saknar målvärde för {new} (markerade med "
            f"# {FILL_IN}): " + ", ".join(missing[:10])
            + (f" och {len(missing) - 10} till" if len(missing) > 10 else "") + ".")


def _assignments(doc: Any, year: int, closed: Mapping[str, str], result: NextYear) -> None:
    """Drop the finished uppdrag, keep the open ones with their dates (see the module)."""
    ua = doc.get("givna_uppdrag")
    items = ua.get("lista") if hasattr(ua, "keys") else None
    if not items:
        return
    dropped = [f"{item['id']} ({closed[str(item['id'])]})" for item in items
               if str(item.get("id")) in closed]
    for i in reversed(range(len(items))):
        if str(items[i].get("id")) in closed:
            del items[i]
    if dropped:
        result.changed.append(f"{len(dropped)} avslutade uppdrag följer inte med: "
                              + ", ".join(dropped))
    start = dt.date(year + 1, 1, 1)
    late = [str(item["id"]) for item in items
            if isinstance(item.get("återrapportering"), dt.date)
            and item["återrapportering"] < start]
    if late:
        result.to_decide.append(
            f"{len(late)} uppdrag som följer med hade återrapportering före {start} och visas "
            f"som försenade tills ett nytt datum beslutas: " + ", ".join(late) + ".")


def _control_plans(doc: Any, year: int, result: NextYear) -> None:
    """Each plan's adoption (``antagen``, ``paragraf``) removed and marked to decide."""
    ik = doc.get("intern_kontroll")
    plans = ik.get("planer") if hasattr(ik, "keys") else None
    if not plans:
        return
    names = []
    for pi, plan in enumerate(plans):
        old = [str(plan[k]) for k in ("antagen", "paragraf") if plan.get(k)]
        if "antagen" in plan:  # emptied, not removed: the key, its place and comment stay
            plan["antagen"] = None
        if "paragraf" in plan:
            plan["paragraf"] = ""
        if old:  # a plan left unadopted keeps the mark it got last year; none is added
            result.marks.append((f"intern_kontroll.planer[{pi}]", (
                f"{DECIDE}: nämnden antar internkontrollplanen för {year + 1}; skriv "
                f"antagen och paragraf (för {year}: {' '.join(old)})")))
        names.append(str(plan.get("nämnd")))
    result.to_decide.append(
        f"{len(names)} internkontrollplaner ska antas för {year + 1} (kontrollmomenten följer "
        f"med; markerade med # {DECIDE}): " + ", ".join(names) + ".")
