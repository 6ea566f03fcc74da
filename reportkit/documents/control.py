"""Intern kontroll and uppdrag in the documents: the template values and the riskmatris.

:func:`control_data` reads the period's follow-up (the draft's or a decided version's
submissions; the plan alone for a verksamhetsplan) into :class:`ControlData`, which rides on
``ReportData.control``. :func:`control_values` gives the whole document's ``ik`` (summary across
nämnder: results per nämnd, risks per level, avvikelser with their åtgärder) and ``up`` (uppdrag
per origin and status, the list); :func:`committee_control` a chapter's own. Every word is the
styrmodell's (``intern_kontroll``, ``givna_uppdrag``); a status is text and symbol, never colour
alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from reportkit.consolidate.control import (
    NOT_REPORTED,
    AssignmentItem,
    ControlFollowUp,
    ControlItem,
    follow_up,
    planned,
)
from reportkit.styrmodell.control import (
    OVERDUE,
    RESULT_SYMBOLS,
    RESULTS,
    STATUSES,
    Assignments,
    InternalControl,
    plan_of,
)

if TYPE_CHECKING:
    from reportkit.styrmodell.config import Period
    from reportkit.styrmodell.model import Styrmodell
    from reportkit.styrmodell.project import Project

NOT_REPORTED_WORD = "Ej rapporterat"
PROPOSED = "förslag"
"""After a genomfört the giver has not yet declared (a draft, or another body's decision)."""
ORIGIN_WORDS = MappingProxyType({"KF": "Kommunfullmäktige", "KS": "Kommunstyrelsen",
                                 "nämnd": "Nämnd"})


@dataclass
class ControlData:
    follow: ControlFollowUp
    ik: InternalControl | None
    ua: Assignments | None
    names: dict[str, str] = field(default_factory=dict)
    plan: bool = False
    """The verksamhetsplan's: the plans alone, nothing reported."""
    declared_by: str | None = None
    """The scope of the decision rendered (``kommun`` or a nämnd's id; ``None``: a draft). A
    unit's genomfört is a proposal until the body that gave the uppdrag decides the version:
    KF's decision (``kommun``) declares every uppdrag, a nämnd's its own."""

    def declared(self, a: AssignmentItem) -> bool:
        if self.declared_by is None:
            return False
        return self.declared_by == "kommun" or (a.origin == "nämnd"
                                                and a.given_by == self.declared_by)


def control_data(project: Project, model: Styrmodell, period: Period,
                 submitted: dict[str, Any] | None, declared_by: str | None = None
                 ) -> ControlData | None:
    """The period's intern kontroll and uppdrag (``None``: the styrmodell has neither)."""
    from reportkit.storage import store

    ik, ua = model.config.internal_control, model.config.assignments
    if ik is None and ua is None:
        return None
    names = {c.id: c.name for c in model.committees()}
    if period.type == "plan" or not submitted:
        return ControlData(planned(model, period.end), ik, ua, names, period.type == "plan")
    conn = store.connect(project.store_path)
    try:
        found = follow_up(conn, model, period.end, submitted)
    finally:
        conn.close()
    return ControlData(found, ik, ua, names, declared_by=declared_by)


def _result_word(d: ControlData, code: str) -> str:
    if code == NOT_REPORTED or d.ik is None:
        return NOT_REPORTED_WORD
    return f"{RESULT_SYMBOLS[code]} {d.ik.results.labels()[code]}"


def _status_word(d: ControlData, a: AssignmentItem) -> str:
    if d.ua is None:
        return ""
    words = d.ua.status.words()
    text = NOT_REPORTED_WORD if a.status == NOT_REPORTED else \
        f"{words[a.status].symbol} {words[a.status].label}"
    if a.status == "genomfort" and not d.declared(a):
        text += f" ({PROPOSED})"
    if a.overdue:
        text += f", {words[OVERDUE].symbol} {words[OVERDUE].label.lower()}"
    return text


def _risk_word(c: ControlItem) -> str:
    return f"{c.likelihood} × {c.consequence} = {c.value} {c.level.symbol} {c.level.label}"


def _date(text: str) -> str:
    return text or "–"


def _moment(d: ControlData, c: ControlItem) -> dict[str, Any]:
    return {"id": c.id, "namnd": d.names.get(c.committee, c.committee),
            "moment": c.process + (" (kommungemensamt)" if c.common else ""),
            "risk": _risk_word(c), "riskbeskrivning": c.risk, "metod": c.method,
            "ansvarig": c.responsible, "frekvens": c.frequency,
            "resultat": _result_word(d, c.result), "avvikelse": c.deviation,
            "atgard": c.action, "atgard_ansvarig": c.action_responsible,
            "atgard_klar": _date(c.action_date), "datum": _date(c.date)}


def _uppdrag(d: ControlData, a: AssignmentItem) -> dict[str, Any]:
    kinds = d.ua.kinds.words() if d.ua is not None else {}
    given = d.names.get(a.given_by, a.given_by) if a.origin == "nämnd" else \
        ORIGIN_WORDS[a.origin]
    return {"id": a.id, "beskrivning": a.description, "namnd": d.names.get(a.committee, ""),
            "givet_av": f"{given} ({kinds.get(a.kind, a.kind).lower()})",
            "referens": a.reference, "aterrapportering": a.due.isoformat(),
            "status": _status_word(d, a), "datum": _date(a.date), "kommentar": a.comment}


def _headers(d: ControlData) -> dict[str, str]:
    words = d.ik.results.labels() if d.ik is not None else {}
    out = {code: f"{RESULT_SYMBOLS[code]} {words.get(code, '')}" for code in RESULTS}
    if d.ua is not None:
        for code, w in d.ua.status.words().items():
            out[code] = f"{w.symbol} {w.label}"
    out[NOT_REPORTED] = NOT_REPORTED_WORD
    return out


def _count_row(name: str, f: ControlFollowUp) -> dict[str, Any]:
    counts = f.result_counts()
    return {"namn": name, **{code: str(counts[code]) for code in (*RESULTS, NOT_REPORTED)},
            "antal": str(len(f.controls)), "atgarder": str(len(f.open_actions()))}


def _status_row(name: str, f: ControlFollowUp) -> dict[str, Any]:
    counts = f.status_counts()
    return {"namn": name, **{code: str(counts[code]) for code in
                             (*STATUSES, NOT_REPORTED, OVERDUE)},
            "antal": str(len(f.assignments))}


def _levels(d: ControlData, f: ControlFollowUp) -> list[dict[str, str]]:
    if d.ik is None:
        return []
    levels = d.ik.scale.levels
    top = d.ik.scale.size ** 2
    out = []
    for i, lv in enumerate(reversed(levels)):
        end = top if i == 0 else levels[len(levels) - i].start - 1
        n = sum(1 for c in f.controls if c.level.id == lv.id)
        out.append({"niva": f"{lv.symbol} {lv.label}", "intervall": f"{lv.start}–{end}",
                    "antal": str(n)})
    return out


def control_values(data: Any) -> dict[str, Any]:
    """``ik`` and ``up`` of a whole document (empty, ``finns`` false, without a plan)."""
    d: ControlData | None = getattr(data, "control", None)
    ik: dict[str, Any] = {"finns": False, "rubrik": "Intern kontroll", "plan": False}
    up: dict[str, Any] = {"finns": False, "rubrik": "Uppdrag från fullmäktige och nämnd"}
    if d is None:
        return {"ik": ik, "up": up}
    f = d.follow
    if d.ik is not None:
        by = [(name, f.of(cid)) for cid, name in d.names.items() if f.of(cid).controls]
        ik.update(finns=bool(f.controls), rubrik=d.ik.heading, plan=d.plan,
                  rubriker=_headers(d), antal=str(len(f.controls)),
                  namnder=str(len(by)),
                  tabell=[_count_row(name, sub) for name, sub in by],
                  summa=_count_row("Summa", f), risker=_levels(d, f),
                  avvikelser=[_moment(d, c) for c in f.controls if c.result == "med_avvikelse"],
                  moment=[_moment(d, c) for c in f.controls],
                  hoga=[_moment(d, c) for c in f.controls
                        if c.level.id == d.ik.scale.levels[-1].id])
    if d.ua is not None:
        origins = [(ORIGIN_WORDS[o], ControlFollowUp(f.on, [], [a for a in f.assignments
                                                              if a.origin == o]))
                   for o in ("KF", "KS", "nämnd")]
        up.update(finns=bool(f.assignments), rubrik=d.ua.heading, rubriker=_headers(d),
                  tabell=[_status_row(name, sub) for name, sub in origins if sub.assignments],
                  summa=_status_row("Summa", f),
                  lista=[_uppdrag(d, a) for a in f.assignments], antal=str(len(f.assignments)),
                  forsenade=[_uppdrag(d, a) for a in f.assignments if a.overdue])
    return {"ik": ik, "up": up}


def committee_control(data: Any, committee: str) -> dict[str, Any]:
    """A chapter's own ``ik`` and ``up`` (``namnd.ik``, ``namnd.up``)."""
    d: ControlData | None = getattr(data, "control", None)
    if d is None:
        return {"ik": {"finns": False}, "up": {"finns": False}}
    f = d.follow.of(committee)
    plan = plan_of(d.ik, committee) if d.ik is not None else None
    adopted = ""
    if plan is not None and plan.adopted is not None:
        adopted = f"antagen {plan.adopted.isoformat()} {plan.paragraph}".strip()
    return {
        "ik": {"finns": bool(f.controls), "antagen": adopted, "plan": d.plan,
               "moment": [_moment(d, c) for c in f.controls], "rubriker": _headers(d),
               "summa": _count_row("Summa", f), "risker": _levels(d, f)},
        "up": {"finns": bool(f.assignments), "lista": [_uppdrag(d, a) for a in f.assignments],
               "summa": _status_row("Summa", f)},
    }


def risk_chart(data: Any, year: int) -> tuple[Any, dict[str, Any]] | None:
    """The riskmatris of every kontrollmoment in the document (``None``: none)."""
    from reportkit.documents import charts

    d: ControlData | None = getattr(data, "control", None)
    if d is None or d.ik is None or not d.follow.controls:
        return None
    scale = d.ik.scale
    counts = d.follow.risk_counts()
    cells = []
    for s in range(1, scale.size + 1):
        for k in range(1, scale.size + 1):
            lv = scale.level(s, k)
            cells.append((s, k, lv.color, lv.symbol, counts.get((s, k), 0)))
    levels = [(lv.label, lv.color, lv.symbol,
               sum(1 for c in d.follow.controls if c.level.id == lv.id))
              for lv in scale.levels]
    word = "i internkontrollplanerna" if d.plan else "som följts upp"
    return (charts.risk_matrix, {
        "title": f"Riskmatris: kontrollmoment {word} {year}",
        "likelihood": list(scale.likelihood), "consequence": list(scale.consequence),
        "cells": cells, "levels": levels, "name": "riskmatris"})
