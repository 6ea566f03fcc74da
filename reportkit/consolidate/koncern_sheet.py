"""The sammanställning's koncern sheets (the kommun's file only): "Koncern" with the
sammanställda räkenskaper (Kommunen, Koncernen, tkr) and the reconciliation kommun →
koncern, and "Koncernens steg" with every step of the consolidation and its export row, for
the revisor who checks a koncern figure by hand (docs/koncern.md)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from reportkit.consolidate import koncern as kc
from reportkit.sources.koncern import POST

_STEP_WORDS = MappingProxyType({"kommunen": "Kommunen", "andel": "Ägd andel",
                                "eliminering": "Eliminering",
                                "differens": "Elimineringsdifferens"})


def koncern_sheets(out: Any) -> None:
    """Both sheets, on the sheet writer of :mod:`reportkit.consolidate.economy_sheets`;
    nothing without a koncern."""
    k: kc.Koncern | None = getattr(out.d, "koncern", None)
    if k is None:
        return
    _statements(out, k)
    _steps(out, k)


def _statements(out: Any, k: kc.Koncern) -> None:
    ws = out.sheet("koncern", "Sammanställda räkenskaper, tkr",
                   [("Post", 50), ("Kommunen", 16), ("Koncernen", 16), ("", 16)])
    r = 2
    for title, layout in (("Resultaträkning", kc.RR_LAYOUT), ("Balansräkning", kc.BR_LAYOUT),
                          ("Kassaflödesanalys", kc.KF_LAYOUT)):
        if layout is kc.KF_LAYOUT and not k.has_cash_flow:
            continue
        ws.write_string(r, 0, title, out.bold)
        r += 1
        for label, kommun, koncern, kind in kc.statement_rows(k, layout):
            bold = kind == "sum"
            ws.write_string(r, 0, label, out.bold if bold else out.wrap)
            out.number(ws, r, 1, kommun, out.tkr_bold if bold else out.tkr)
            out.number(ws, r, 2, koncern, out.tkr_bold if bold else out.tkr)
            r += 1
        r += 1
    ws.write_string(r, 0, "Avstämning från kommunen till koncernen", out.bold)
    for c, key in enumerate(kc.RECONCILED, start=1):
        ws.write_string(r, c, kc.RECONCILED[key][0], out.head)
    r += 1
    columns = [{i.key: i for i in kc.reconcile(k, key)} for key in kc.RECONCILED]
    keys: list[str] = []
    for items in columns:
        keys.extend(x for x in items if x not in keys and x != "koncernen")
    for key in [*keys, "koncernen"]:
        total = key in ("kommunen", "koncernen")
        label = key.capitalize() if total else next(
            items[key].label for items in columns if key in items)
        ws.write_string(r, 0, label, out.bold if total else out.wrap)
        for c, items in enumerate(columns, start=1):
            out.number(ws, r, c, items[key].amount if key in items else None,
                       out.tkr_bold if total else out.tkr)
        r += 1


def _steps(out: Any, k: kc.Koncern) -> None:
    ws = out.sheet("koncern_steg", "Koncernens steg: varje belopp med sin rad i exporten",
                   [("Post", 34), ("Steg", 18), ("Part", 30), ("Motpart", 30),
                    ("Belopp i exporten", 14), ("Andel", 8), ("I koncernen", 14),
                    ("Fil", 30), ("Rad", 6), ("Kolumn", 10)])
    for r, s in enumerate(k.steps, start=2):
        ws.write_string(r, 0, POST[s.post].label, out.wrap)
        ws.write_string(r, 1, _STEP_WORDS.get(s.kind, s.kind))
        ws.write_string(r, 2, k.name(s.party), out.wrap)
        ws.write_string(r, 3, k.name(s.counterpart) if s.counterpart else "", out.wrap)
        out.number(ws, r, 4, s.own)
        ws.write_number(r, 5, s.share, out.pct)
        out.number(ws, r, 6, s.amount)
        if s.source is not None:
            ws.write_string(r, 7, s.source.file)
            ws.write_number(r, 8, s.source.row)
            ws.write_string(r, 9, s.source.column)
