"""The consolidation scenario: Exempelkommun's helår with hand-chosen values in ten workbooks.

Ten units return workbooks (the kommun, BUN and VON, the Förskola and Särskilt boende
verksamheter, three of the eight förskolor and two of the five boenden); the other 78 are
missing. Every value is written below, so the förslag and underlag at each level can be worked
out by hand (``test_rollup_exempel.py`` does so in its comments):

- BUN-M2 is a goal with two parents (KF1 and KF3);
- FORSKOLA-V1-I2, SABO-V1-I2 and KF3-I2 are lower-is-better and aggregate over units;
- Solrosens förskola judges its goal Delvis against an Uppfyllt förslag, with a motivation;
  VON judges VON-M2 Ej uppfyllt against a Delvis förslag;
- Lärkans förskola leaves two utfall empty (a missing measurement);
- Ekbackens förskola types formula-looking text into its analysis, åtgärder and activity.

``scenario_files`` (session) generates and fills the ten workbooks once; ``make_project``
copies them into a fresh project (fixtures in conftest.py). Both are cheap (about 1 s together).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

PERIOD = "2026-helår"
REPO = Path(__file__).resolve().parents[2]
EXEMPELKOMMUN = REPO / "fixtures" / "exempelkommun"

FORMULA_TEXTS = ('=HYPERLINK("http://x","y")', "+cmd", "@SUM(A1)", "-1+2")
MOTIVATION_SOLROS = "Personalomsättningen var hög under hösten och två mätningar gjordes om."
MOTIVATION_VON = "Väntetiden ökade under hösten när ett boende stängdes för renovering."

# unit → what it types: utfall per indicator (None = left empty), bedömning per goal
# (label, motivation), analysis and åtgärder per goal, activities
SCENARIO: dict[str, dict[str, Any]] = {
    "kommun": {"actual": {
        "KF1-I1": 88, "KF1-I2": 81, "KF2-I1": 90, "KF2-I2": 60, "KF3-I1": 85, "KF3-I2": 69,
        "KF4-I1": 6.5, "KF4-I2": None, "KF5-I1": None, "KF5-I2": 140, "KF6-I1": 3.5,
        "KF6-I2": None, "KF7-I1": 2, "KF8-I1": 60, "KF8-I2": 6}},
    "BUN": {"actual": {"BUN-M1-I1": 80, "BUN-M1-I2": 80, "BUN-M2-I1": 95, "BUN-M2-I2": 76,
                       "BUN-M3-I1": 6, "BUN-M3-I2": 10},
            "analysis": {"BUN-M2": "Tryggheten i förskolan har minskat något."}},
    "VON": {"actual": {"VON-M1-I1": 99, "VON-M1-I2": 85, "VON-M2-I1": 66, "VON-M3-I1": 8},
            "assess": {"VON-M2": ("Ej uppfyllt", MOTIVATION_VON)}},
    "forskola": {"analysis": {"FORSKOLA-V1": "Förskolorna följer upp tryggheten varje termin."}},
    "sabo": {},
    "solrosens-forskola": {
        "actual": {"solrosens-forskola-E1-I1": 90, "solrosens-forskola-E1-I2": 84,
                   "FORSKOLA-V1-I1": 92, "FORSKOLA-V1-I2": 5.0, "FORSKOLA-V1-I3": 50},
        "assess": {"solrosens-forskola-E1": ("Delvis uppfyllt", MOTIVATION_SOLROS)}},
    "ekbackens-forskola": {
        "actual": {"ekbackens-forskola-E1-I1": 81, "ekbackens-forskola-E1-I2": 72,
                   "FORSKOLA-V1-I1": 86, "FORSKOLA-V1-I2": 6.0, "FORSKOLA-V1-I3": 40},
        "analysis": {"ekbackens-forskola-E1": FORMULA_TEXTS[0]},
        "actions": {"ekbackens-forskola-E1": FORMULA_TEXTS[1]},
        "activities": [("ekbackens-forskola-E1", FORMULA_TEXTS[2], "Rektor",
                        dt.date(2026, 2, 1), dt.date(2026, 11, 30), "Klar", FORMULA_TEXTS[3])]},
    "larkans-forskola": {
        "actual": {"larkans-forskola-E1-I1": 63, "larkans-forskola-E1-I2": None,
                   "FORSKOLA-V1-I1": 90, "FORSKOLA-V1-I2": None, "FORSKOLA-V1-I3": 48}},
    "solgardens-boende": {
        "actual": {"solgardens-boende-E1-I1": 95, "solgardens-boende-E1-I2": 10,
                   "SABO-V1-I1": 95, "SABO-V1-I2": 15, "SABO-V1-I3": 90}},
    "ekhagens-boende": {
        "actual": {"ekhagens-boende-E1-I1": 100, "ekhagens-boende-E1-I2": 8,
                   "SABO-V1-I1": 90, "SABO-V1-I2": 9, "SABO-V1-I3": 81}},
}
# Lärkans förskola's corrected workbook: the two missing utfall filled in
CORRECTED = {"larkans-forskola": {
    "actual": {"larkans-forskola-E1-I1": 63, "larkans-forskola-E1-I2": 80,
               "FORSKOLA-V1-I1": 90, "FORSKOLA-V1-I2": 5.2, "FORSKOLA-V1-I3": 48}}}


def read_meta(wb: Any) -> dict[str, Any]:
    """The ``_meta`` sheet of an openpyxl workbook, JSON values decoded."""
    from reportkit.workbook import layout

    ws = wb[layout.META_SHEET]
    meta = {}
    for row in range(1, len(layout.META_KEYS) + 1):
        key, value = ws.cell(row, 1).value, ws.cell(row, 2).value
        meta[key] = json.loads(value) if key in ("scale", "rows", "locked", "model") else value
    return meta


def fill_exact(blank: Path, dest: Path, spec: dict[str, Any]) -> Path:
    """Write ``spec`` into a copy of a generated workbook, as a unit typing into Excel would.

    Text starting with ``=`` is stored as text (a unit typing ``'=...``), never as a formula.
    """
    import openpyxl

    from reportkit.workbook import layout

    wb = openpyxl.load_workbook(blank)
    meta = read_meta(wb)
    pt = meta["period_type"]

    # the sheet's own columns: Målvärde columns and Kvinnor and Män as its _meta says
    shape = (tuple(meta["model"].get("targets", ())), tuple(meta["model"].get("genders", ())))

    def put(sheet: str, key: str, n: int, value: Any) -> None:
        cell = wb[sheet][layout.cell_of(sheet, pt, key, n, *shape)]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"

    indicators = meta["rows"][layout.INDICATORS_SHEET]
    for ind_id, value in spec.get("actual", {}).items():
        put(layout.INDICATORS_SHEET, "actual", indicators.index(ind_id), value)
    goals = meta["rows"][layout.GOALS_SHEET]
    for goal_id, (label, motivation) in spec.get("assess", {}).items():
        put(layout.GOALS_SHEET, "assessment", goals.index(goal_id), label)
        put(layout.GOALS_SHEET, "motivation", goals.index(goal_id), motivation)
    for key in ("analysis", "actions"):
        for goal_id, text in spec.get(key, {}).items():
            put(layout.GOALS_SHEET, key, goals.index(goal_id), text)
    for n, row in enumerate(spec.get("activities", [])):
        for key, value in zip(("goal", "description", "responsible", "start", "end", "status",
                               "comment"), row, strict=True):
            put(layout.ACTIVITIES_SHEET, key, n, value)
    wb.save(dest)
    return dest


def store_dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of a store, sorted: equal dumps = equal content."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables}
    finally:
        conn.close()


def cell(sheet: str, key: str, n: int) -> str:
    """The address of field ``key`` on the ``n``-th row (0-based) of a helår workbook's sheet."""
    from reportkit.workbook import layout

    return layout.cell_of(sheet, "helår", key, n)
