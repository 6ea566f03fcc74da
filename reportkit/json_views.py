"""The ``--json`` documents of the commands whose result is not one report object.

``check`` and ``consolidate`` have their reports' own ``to_dict``; ``validate``, ``workbooks``,
``status``, ``explain``, ``render``, ``pdfcheck``, ``beslut``, ``historik``, ``utskick`` and
``årshjul`` get theirs here. Each document names its command and version as its first key, like
check's (``"reportkit_status": 1``): the version is raised when a key is removed or changes
meaning, not when one is added. The keys are the English glossary words (as in the store and
check's JSON), the texts Swedish; a problem is :meth:`reportkit.errors.Problem.to_dict`, and
``errors``/``warnings`` count the problems. The schemas are in ``docs/json/``
(``tests/test_cli_json.py`` validates every output).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportkit.errors import Problem

if TYPE_CHECKING:
    from reportkit.consolidate.status import UnitStatus
    from reportkit.documents.build import RenderOutcome
    from reportkit.outputs.arshjul import Ahead, YearEvent
    from reportkit.outputs.kolada import KoladaOverview, KoladaReport
    from reportkit.outputs.mailing import Mailing
    from reportkit.storage.decisions import Decision, PartState
    from reportkit.styrmodell.model import Styrmodell

VERSION = 1
"""The version of every document below (``reportkit_<command>``)."""


def _problems(problems: Iterable[Problem]) -> dict[str, Any]:
    found = list(problems)
    errors = sum(1 for p in found if p.is_error)
    return {"problems": [p.to_dict() for p in found], "errors": errors,
            "warnings": len(found) - errors}


def versioned(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """A result's own ``to_dict`` under its version key (``nytt-år`` → ``reportkit_nytt_ar``,
    ``diff`` → ``reportkit_diff``)."""
    return {f"reportkit_{name}": VERSION, **data}


def refused(command: str | None, problems: list[Problem]) -> dict[str, Any]:
    """Any command's ``--json`` when it could not run (exit code 2: no project, an unknown
    period, a broken styrmodell …): the command's name and the problems that stopped it."""
    return {"reportkit_refused": VERSION, "command": command or "", **_problems(problems)}


def validate(models: list[Styrmodell], problems: list[Problem],
             tree: Callable[[Styrmodell], list[str]] | None) -> dict[str, Any]:
    """``reportkit validate --json``: per styrmodell year its counts, periods and (unless
    ``--utan-träd``) the goal tree as lines; the problems of all files."""
    from reportkit.styrmodell.project_setup import model_counts

    return {"reportkit_validate": VERSION, "models": [{
        "year": model.year, "units": len(model.units), "goals": len(model.goals),
        "indicators": len(model.indicators), "counts": model_counts(model),
        "periods": [p.id for p in model.config.periods],
        "tree": tree(model) if tree is not None else []} for model in models],
        **_problems(problems)}


def status(statuses: list[UnitStatus], path: Path, decisions: list[str],
           ahead: Ahead | None = None) -> dict[str, Any]:
    """``reportkit status --json``: one entry per unit (its fields as in the list), the count
    per state (every state, 0 included), the list file written, the decisions' lines and the
    årshjul's next events (``upcoming``, from ``today``)."""
    from reportkit.consolidate.status import STATES

    found = [s.state for s in statuses]
    out = {"reportkit_status": VERSION, "units": [dataclasses.asdict(s) for s in statuses],
           "counts": {state: found.count(state) for state in STATES}, "list": str(path),
           "decisions": decisions}
    if ahead is not None:
        out["today"] = ahead.day.isoformat()
        out["upcoming"] = [{**_event(u.event), "days": u.days} for u in ahead.events]
    return out


def _event(event: YearEvent) -> dict[str, Any]:
    return {"date": event.date.isoformat(), "kind": event.kind, "title": event.title,
            "description": event.description, "uid": event.uid}


def arshjul(path: Path, events: list[YearEvent]) -> dict[str, Any]:
    """``reportkit årshjul --json``: the calendar file written and its events by date."""
    return {"reportkit_arshjul": VERSION, "file": str(path), "count": len(events),
            "events": [_event(e) for e in events]}


def utskick(mailing: Mailing, sent: int | None, server: str) -> dict[str, Any]:
    """``reportkit utskick --json``: the drafts (or reminders) written, one per unit with its
    recipient and subject, whether they were sent (``sent``: how many; null without
    ``--skicka``) and the problems (a unit without an e-mail address or styrkort)."""
    return {"reportkit_utskick": VERSION, "period": mailing.period,
            "reminder": mailing.reminder, "folder": str(mailing.folder),
            "drafts": [{"file": str(path), "to": str(msg.get("To", "")),
                        "subject": str(msg.get("Subject", "")),
                        "attachments": [part.get_filename() or ""
                                        for part in msg.iter_attachments()]}
                       for path, msg in zip(mailing.paths, mailing.messages, strict=True)],
            "sent": sent, "server": server if sent is not None else None,
            **_problems(mailing.problems)}


def explain(id: str, period: str | None, lines: list[str], xlsx: Path | None
            ) -> dict[str, Any]:
    """``reportkit explain --json``: the explanation's lines as printed, and the Excel file
    written with ``--xlsx`` (or null)."""
    return {"reportkit_explain": VERSION, "id": id, "period": period, "lines": lines,
            "xlsx": str(xlsx) if xlsx is not None else None}


def render(outcome: RenderOutcome) -> dict[str, Any]:
    """``reportkit render --json``: the files written, the decision a decided version came
    from, the problems (varningar and fel) per document and all together."""
    return {"reportkit_render": VERSION, "files": [str(p) for p in outcome.paths],
            "decision": outcome.decision,
            "documents": [{"label": label, **_problems(found)}
                          for label, found in outcome.groups],
            **_problems(outcome.problems)}


def workbooks(paths: list[Path]) -> dict[str, Any]:
    """``reportkit workbooks --json``: the styrkort written, sorted."""
    return {"reportkit_workbooks": VERSION, "files": sorted(str(p) for p in paths)}


def pdfcheck(files: list[str], problems: list[Problem]) -> dict[str, Any]:
    """``reportkit pdfcheck --json``: the files checked and what fails PDF/UA-1 or
    PDF/A-2b."""
    return {"reportkit_pdfcheck": VERSION, "files": files, **_problems(problems)}


def historik(path: Path, rows: int) -> dict[str, Any]:
    """``reportkit historik --json``: the CSV file written and its number of rows."""
    return {"reportkit_historik": VERSION, "file": str(path), "rows": rows}


def _decision(d: Decision) -> dict[str, Any]:
    return {**dataclasses.asdict(d), "label": d.label, "live": d.live}


def beslut(action: str, period: str, decisions: list[Decision], parts: list[PartState]
           ) -> dict[str, Any]:
    """``reportkit beslut --json``: ``action`` is ``list`` (the period's decisions and each
    nämnd's part), ``recorded`` or ``undone`` (the one decision)."""
    return {"reportkit_beslut": VERSION, "action": action, "period": period,
            "decisions": [_decision(d) for d in decisions],
            "parts": [{"committee": p.committee, "state": p.state,
                       "decision": p.decision.id if p.decision else None,
                       "changed_after": list(p.changed_after)} for p in parts]}


def _revision(r: Any) -> dict[str, Any]:
    return {"kpi": r.kpi, "municipality": r.municipality, "year": r.year, "gender": r.gender,
            "before": r.before, "after": r.after, "before_status": r.before_status,
            "after_status": r.after_status, "before_fetched": r.before_fetched,
            "after_fetched": r.after_fetched}


def kolada_fetch(report: KoladaReport) -> dict[str, Any]:
    """``reportkit kolada hämta --json``: the group, the KPIs, the answers kept and the
    revisions."""
    return {"reportkit_kolada": VERSION, "action": "fetch", "started_at": report.started_at,
            "api": report.base_url, "municipality": report.kommun[0],
            "group": {"kind": report.group_kind, "title": report.group_title,
                      "members": [list(m) for m in report.members]},
            "years": report.years, "kpis": dict(report.kpis), "requests": report.requests,
            "values": report.values, "files": report.files,
            "revisions": [_revision(r) for r in report.revisions],
            **_problems(report.problems)}


def kolada_overview(view: KoladaOverview) -> dict[str, Any]:
    """``reportkit kolada visa --json``: what is kept, offline."""
    fetch = view.fetch
    return {"reportkit_kolada": VERSION, "action": "show",
            "started_at": fetch.started_at if fetch else None,
            "api": fetch.base_url if fetch else None,
            "municipality": fetch.municipality if fetch else None,
            "group": {"kind": fetch.group_kind, "title": fetch.group_title,
                      "members": [list(m) for m in fetch.members]} if fetch else None,
            "kpis": {k: t for k, (t, removed) in view.kpis.items() if not removed},
            "values": [{"kpi": v.kpi, "municipality": v.municipality, "year": v.year,
                        "gender": v.gender, "value": v.value, "status": v.status,
                        "fetched_at": v.fetched_at, "url": v.url, "file": v.file,
                        "sha256": v.sha256} for v in view.values],
            "revisions": [_revision(r) for r in view.revisions],
            **_problems([])}
