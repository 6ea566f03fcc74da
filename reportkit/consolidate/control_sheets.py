"""The sammanställning's Intern kontroll and Uppdrag sheets (issue #32): one row per
kontrollmoment and per uppdrag of the file's scope, with what was reported and the file and
cell it came from, in the kommun's words (``intern_kontroll``, ``givna_uppdrag``)."""

from __future__ import annotations

from typing import Any

from reportkit.compat import xlsxwriter as xlsxwriter_door
from reportkit.consolidate.control import NOT_REPORTED, ControlFollowUp
from reportkit.styrmodell.control import OVERDUE, RESULT_SYMBOLS
from reportkit.styrmodell.model import Styrmodell

NOT_REPORTED_WORD = "Ej rapporterat"


def write_control_sheets(out: Any, model: Styrmodell, control: ControlFollowUp,
                         committee: str | None) -> None:
    """The two sheets into ``out`` (summary's ``_SummaryFile``), none without items."""
    found = control.of(committee)
    ik, ua = model.config.internal_control, model.config.assignments
    if found.controls and ik is not None:
        words = ik.results.labels()
        ws = out.sheet("Intern kontroll", ik.heading, [
            ("Nämnd", 24), ("Id", 10), ("Kontrollmoment", 30), ("Risk", 30),
            ("Riskvärde", 9), ("Risknivå", 16), ("Resultat", 20), ("Datum", 11),
            ("Avvikelse", 36), ("Åtgärd", 36), ("Ansvarig för åtgärd", 18),
            ("Åtgärd klar senast", 11), ("Fil", 18), ("Cell", 7)])
        for r, c in enumerate(found.controls, start=2):
            result = NOT_REPORTED_WORD if c.result == NOT_REPORTED else \
                f"{RESULT_SYMBOLS[c.result]} {words[c.result]}"
            xlsxwriter_door.put_row(ws, r, [(v, out.wrap) for v in (
                model.units[c.committee].name, c.id, c.process, c.risk, str(c.value),
                f"{c.level.symbol} {c.level.label}", result, c.date, c.deviation, c.action,
                c.action_responsible, c.action_date, c.file, c.cells.get("result", ""))])
        ws.autofilter(1, 0, len(found.controls) + 1, 13)
    if found.assignments and ua is not None:
        status = ua.status.words()
        ws = out.sheet("Uppdrag", ua.heading, [
            ("Nämnd", 24), ("Id", 10), ("Uppdrag", 40), ("Ursprung", 10), ("Typ", 10),
            ("Beslut", 20), ("Återrapportering", 12), ("Status", 16), ("Försenat", 10),
            ("Datum", 11), ("Kommentar", 36), ("Fil", 18), ("Cell", 7)])
        kinds = ua.kinds.words()
        for r, a in enumerate(found.assignments, start=2):
            shown = NOT_REPORTED_WORD if a.status == NOT_REPORTED else \
                f"{status[a.status].symbol} {status[a.status].label}"
            late = f"{status[OVERDUE].symbol} {status[OVERDUE].label}" if a.overdue else ""
            xlsxwriter_door.put_row(ws, r, [(v, out.wrap) for v in (
                model.units[a.committee].name, a.id, a.description, a.origin, kinds[a.kind],
                a.reference, a.due.isoformat(), shown, late, a.date, a.comment, a.file,
                a.cells.get("status", ""))])
        ws.autofilter(1, 0, len(found.assignments) + 1, 12)
