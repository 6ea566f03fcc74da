"""The next step after a command: what the coordinator does now, as commands to type.

Each function returns Swedish lines (texts.py) that ``console.py`` prints after the command's
own output: after ``consolidate`` who to chase and which document to make, after ``status``
who to remind (with e-post), after ``render`` where the files are and how to record the
decision, after ``beslut`` how to make the decided version. ``arg`` is the project as typed
(``" min-kommun"``, or ``""`` when the command ran inside the project).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reportkit import texts

if TYPE_CHECKING:
    from reportkit.consolidate.run import ConsolidationReport
    from reportkit.consolidate.status import UnitStatus
    from reportkit.storage.decisions import Decision

REMIND_SHOWN = 5
"""At most this many units are named in the reminder line; the list has them all."""


def project_arg(project: Path | str, quote: str) -> str:
    """The project as it is typed after a command (``quote``: the shell-quoted path), or
    nothing when it is the current folder."""
    return "" if Path(project) == Path(".") else " " + quote


def _document(project: Path | str, period_id: str, period_type: str = ""
              ) -> tuple[str, str]:
    """The document a period gives and its title (``delarsrapport``, ``Delårsrapport``);
    ``("<dokument>", "")`` when the period cannot be read. ``period_type`` when known: the
    styrmodell is not read again (a large kommun's takes a tenth of a second)."""
    from reportkit.documents.build import TITLES, document_for
    from reportkit.errors import ReportkitError
    from reportkit.styrmodell.project import Project

    if not period_type:
        try:
            _, period = Project.open(project).period(period_id)
        except ReportkitError:
            return texts.NEXT_ANY_DOCUMENT, ""
        period_type = period.type
    document = document_for(period_type)
    return document, TITLES.get(document, document)


def after_consolidate(project: Path | str, arg: str, report: ConsolidationReport
                      ) -> list[str]:
    """Chase the missing and the files with fel (``status``), then make the document."""
    period = report.period
    missing = report.submissions.get("saknas", 0)
    errors = report.submissions.get("inkommen med fel", 0)
    document, title = _document(project, period, report.period_type)
    lines = [texts.NEXT_HEADING]
    if missing or errors:
        lines.append(texts.NEXT_STATUS.format(arg=arg, period=period, missing=missing,
                                              errors=errors))
    lines.append(texts.NEXT_RENDER.format(arg=arg, period=period, document=document,
                                          title=title or document))
    lines.append(texts.NEXT_EXPLAIN.format(arg=arg, period=period))
    return lines


def after_status(project: Path | str, arg: str, statuses: Sequence[UnitStatus], path: Path
                 ) -> list[str]:
    """Who to remind (name and e-post), or, when all are in without fel, the document."""
    period = path.parent.name  # rapporter/<period>/inlamning-<period>.xlsx
    # a unit never sent a workbook is sent one, not reminded
    late = [s for s in statuses if s.state not in ("inkommen", "ej utskickad")]
    unsent = [s for s in statuses if s.state == "ej utskickad"]
    send = [texts.NEXT_NOT_SENT.format(count=len(unsent), arg=arg, period=period)] \
        if unsent else []
    if not late:
        if send:
            return send
        document, title = _document(project, period)
        return [texts.NEXT_HEADING, texts.NEXT_RENDER.format(
            arg=arg, period=period, document=document, title=title or document)]
    names = [texts.NEXT_REMIND_UNIT.format(name=s.name, email=s.email or "–", state=s.state)
             for s in late[:REMIND_SHOWN]]
    more = "; " + texts.LOOKUP_MORE.format(n=len(late) - REMIND_SHOWN) \
        if len(late) > REMIND_SHOWN else ""
    return [texts.NEXT_REMIND.format(count=len(late), units="; ".join(names), more=more,
                                     path=path)] + send


def after_render(arg: str, paths: Sequence[Path], decided: bool) -> list[str]:
    """Where the documents are and, for a draft, how the decision is recorded."""
    docs = [p for p in paths if p.parent.name != "kapitel"]
    if not docs:
        return []
    folders = sorted({str(p.parent) for p in docs})
    if decided:
        return [texts.NEXT_AFTER_DECIDED_RENDER.format(folders=", ".join(folders))]
    periods = {p.parent.name for p in docs}  # rapporter/<period>/<document>.docx
    period = periods.pop() if len(periods) == 1 else texts.NEXT_ANY_PERIOD
    return [texts.NEXT_AFTER_RENDER.format(folders=", ".join(folders), arg=arg,
                                           period=period)]


def after_decision(project: Path | str, arg: str, decision: Decision) -> list[str]:
    """Make the decided version's document."""
    document, _ = _document(project, decision.period)
    return [texts.NEXT_AFTER_DECISION.format(arg=arg, period=decision.period,
                                             document=document, id=decision.id)]


def after_undo(arg: str, decision: Decision) -> list[str]:
    return [texts.NEXT_AFTER_UNDO.format(arg=arg, period=decision.period)]


def after_explain(arg: str, item: str, period: str | None, xlsx: Path | None) -> list[str]:
    """The Excel underlag for the revisorer, unless it was just written; ``item`` as the
    user typed it (``KF3``, ``drift:BUN``, a goal's name)."""
    if xlsx is not None:
        return [texts.NEXT_AFTER_EXPLAIN_XLSX.format(path=xlsx)]
    option = f" -p {period}" if period else ""
    file = re.sub(r"[^\w.-]+", "-", item).strip("-") or "forklaring"
    return [texts.NEXT_AFTER_EXPLAIN.format(arg=arg, item=shlex.quote(item), period=option,
                                            file=shlex.quote(file + ".xlsx"))]
