"""Write styrkort workbooks: one per unit and period, prefilled, locked where the unit must not
type, with dropdowns, validation, Swedish input messages and a live förslag column.

Written with xlsxwriter (fast, and it stores a cached value for every formula so python-calamine
reads a defined value). The look comes from ``templates/xlsx/styrkort-stilar.xlsx``: the cells of
its ``Stilar`` sheet are the styles, so a kommun restyles its workbooks in Excel (see
``templates/xlsx/README.md``). Every address comes from :mod:`reportkit.workbook.layout`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reportkit import texts
from reportkit.compat import xlsxwriter as xlsxwriter_door
from reportkit.files import atomic_path, normalize_zip
from reportkit.styrmodell.assess import DEFAULT_SCALE, SAKNAR_MALVARDE, text_color_on
from reportkit.styrmodell.kinds import reports_to_council
from reportkit.styrmodell.targets import (
    Target,
    TargetRange,
    TargetTrend,
    reading_target,
    target_text,
    target_to_json,
)
from reportkit.workbook import checksheet, layout
from reportkit.workbook.content import DEFAULT_NOT_MEASURED, IndicatorRow, WorkbookContent
from reportkit.workbook.parse import share_limit, stored_percent

FIXED_CREATED = dt.datetime(2000, 1, 1)

# Row heights: xlsxwriter cannot measure text and neither Excel nor LibreOffice grows a row
# to fit wrapped text when it opens a file, so heights are set from an estimate. A column of
# width w holds about CHARS_PER_WIDTH * w characters of the 10 pt body text (measured in a
# LibreOffice PDF: 60 characters fill a 44-wide column; the factor leaves a margin).
CHARS_PER_WIDTH = 1.2
LINE_HEIGHT = 13.0  # points per line of 10 pt text
HEADER_LINES = 2
GOAL_LINES = {"plan": 3, "follow_up": 6}  # room to type a comment / an analysis

STYLE_NAMES = {
    "Titel": "title", "Förklaring": "note", "Rubrikrad": "header", "Låst": "locked",
    "Att fylla i": "input", "Beräknad": "formula",
}

DEFAULT_STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14, "font_name": "Calibri", "font_color": "#1F3864"},
    "note": {"italic": True, "font_size": 9, "font_name": "Calibri", "font_color": "#404040",
             "text_wrap": False},
    "header": {"bold": True, "font_name": "Calibri", "font_size": 10, "font_color": "#FFFFFF",
               "bg_color": "#1F4E79", "pattern": 1, "border": 1, "border_color": "#BFBFBF",
               "text_wrap": True, "valign": "vcenter"},
    "locked": {"font_name": "Calibri", "font_size": 10, "border": 1, "border_color": "#BFBFBF",
               "text_wrap": True, "valign": "top"},
    "input": {"font_name": "Calibri", "font_size": 10, "border": 1, "border_color": "#BF9000",
              "bg_color": "#FFF2CC", "pattern": 1, "text_wrap": True, "valign": "top"},
    "formula": {"font_name": "Calibri", "font_size": 10, "italic": True, "border": 1,
                "border_color": "#BFBFBF", "bg_color": "#F2F2F2", "pattern": 1,
                "valign": "top"},
}


def style_template_path(templates: Path) -> Path:
    return templates / "xlsx" / "styrkort-stilar.xlsx"


def load_styles(path: Path | None) -> dict[str, dict[str, Any]]:
    """Read the kommun's styles from the template's ``Stilar`` sheet; defaults where absent."""
    styles = {k: dict(v) for k, v in DEFAULT_STYLES.items()}
    if path is None or not path.exists():
        return styles
    import openpyxl

    wb = openpyxl.load_workbook(path)
    if "Stilar" not in wb.sheetnames:
        return styles
    ws = wb["Stilar"]
    for row in range(1, 30):
        label = ws.cell(row, 1).value
        key = STYLE_NAMES.get(str(label).strip()) if label else None
        if key:
            styles[key] = _xlsxwriter_style(ws.cell(row, 2), styles[key])
    return styles


def _color(value: Any) -> str | None:
    rgb = getattr(value, "rgb", None)
    if isinstance(rgb, str) and len(rgb) >= 6 and getattr(value, "type", "rgb") == "rgb":
        return "#" + rgb[-6:]
    return None


def _xlsxwriter_style(cell: Any, base: dict[str, Any]) -> dict[str, Any]:
    style = dict(base)
    font = cell.font
    if font is not None:
        style["font_name"] = font.name or style.get("font_name")
        if font.sz:
            style["font_size"] = float(font.sz)
        style["bold"] = bool(font.b)
        style["italic"] = bool(font.i)
        if _color(font.color):
            style["font_color"] = _color(font.color)
    fill = cell.fill
    if fill is not None and fill.fill_type == "solid" and _color(fill.fgColor):
        style["bg_color"] = _color(fill.fgColor)
        style["pattern"] = 1
    return style


def number_format(unit: str, decimals: int) -> str:
    """OOXML format code for an indicator value. Spaces inside the quoted literal (TECH.md §7)."""
    code = "#,##0" + ("." + "0" * decimals if decimals else "")
    if unit == "%":
        return code + '" %"'
    if unit in ("kr", "tkr", "mnkr"):
        return f'{code}" {unit}"'
    return code


def input_number_format(unit: str, decimals: int, target: Any) -> str:
    """OOXML format code for an utfall or prognos cell: a percent cell shows what was typed.

    A spreadsheet stores "85 %" typed in a cell as 0,85 and "85" as 85; the reader reads both as
    85 % by the share-or-percent rule (parse.share_or_percent, docs/bedomning.md §7). So the
    cell shows a number from 0 up to the rule's line (parse.share_limit: 1, or a tenth of a
    small målvärde) as a share, 0,85 as "85,0 %", and a larger one as written, 85 as "85,0 %",
    whichever way it was typed: a literal ``" %"`` alone showed 0,85 as "0,9 %" (issue 25).
    A negative number is never a share and is shown as written; its minus is written out
    because LibreOffice writes none in a conditional format's later sections.

    Excel, as documented by Microsoft (not verified here, there is no Excel):
    - sections separated by ``;``, ``%`` multiplying by 100 and conditions in square brackets:
      "Review guidelines for customizing a number format",
      https://support.microsoft.com/excel/review-guidelines-for-customizing-a-number-format;
    - only the first two sections hold a condition, the third is the "else" section for every
      number neither condition takes: Microsoft KB Q67469, "Excel: Using Conditions in Number
      Formats";
    - automatic percent entry may store a typed 85 as 0,85 in a percent-formatted cell
      (KB 215203; Application.AutoPercentEntry,
      https://learn.microsoft.com/office/vba/api/excel.application.autopercententry): such a
      cell shows, and the reader reads, 85 % either way.
    Whether Excel writes a second minus before the explicit one of the third section is not
    documented there. Typing is verified in LibreOffice Calc over UNO
    (tests/workbook/test_percent_typing.py).
    """
    if unit != "%":
        return number_format(unit, decimals)
    places = "." + "0" * decimals if decimals else ""
    limit = f"{share_limit(target):.10g}"
    return (f'[>{limit}]#,##0{places}" %";[>=0]0{places}" "%;'
            f'-#,##0{places}" %"')


def generate_workbook(content: WorkbookContent, path: Path,
                      styles: dict[str, dict[str, Any]] | None = None) -> Path:
    """Write one workbook to ``path`` atomically, byte-identical for the same content."""
    import xlsxwriter

    styles = styles or DEFAULT_STYLES
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_numbers": False,
                                            "strings_to_urls": False})
        sheet_class = xlsxwriter_door.formula_sheet_class()
        if sheet_class is not None:  # the Kontroll sheet's formulas (reportkit/compat)
            wb.worksheet_class = sheet_class
        wb.set_properties({"title": f"Styrkort {content.unit_name} {content.period_name}",
                           "author": content.kommun, "company": content.kommun,
                           "created": FIXED_CREATED})
        writer = _Writer(wb, content, styles)
        writer.write()
        wb.close()
        normalize_zip(tmp)
    return path


class _Writer:
    def __init__(self, wb: Any, content: WorkbookContent, styles: dict[str, dict[str, Any]]):
        self.wb = wb
        self.c = content
        self.styles = styles
        self.fmt_cache: dict[tuple, Any] = {}
        self.locked: dict[str, Any] = {}
        self.rows: dict[str, list[str]] = {}
        self.pt = content.period_type
        # heights and widths are estimated for 10 pt text; a restyled template scales them
        self.zoom = float(styles["locked"].get("font_size") or 10) / 10
        self.labels = [s["forecast_label" if content.forecast_labels else "label"]
                       for s in content.scale]
        self.not_measured = content.not_measured

    def fmt(self, style: str, **extra: Any) -> Any:
        key = (style, tuple(sorted(extra.items())))
        if key not in self.fmt_cache:
            props = dict(self.styles[style])
            props.update(extra)
            props["locked"] = style != "input"
            self.fmt_cache[key] = self.wb.add_format(props)
        return self.fmt_cache[key]

    def write(self) -> None:
        self.write_instructions()
        if self.c.prefill.below or self.c.prefill.state:
            self.write_below()
        goals_ws = self.wb.add_worksheet(layout.GOALS_SHEET)
        ind_ws = self.wb.add_worksheet(layout.INDICATORS_SHEET)
        self.write_indicators(ind_ws)
        self.write_goals(goals_ws)
        if self.c.has_activities:
            self.write_activities()
        self.write_texts()
        self.write_check()
        self.write_lists()
        self.write_meta()

    def table_header(self, ws: Any, sheet: str, title: str, note: str,
                     widths: dict[str, float] | None = None) -> tuple:
        """Title, note, header row, column widths, frozen panes, print setup, protection.

        ``widths`` widens columns whose content the generator knows (status labels)."""
        cols = layout.columns_for(sheet, self.pt, self.c.area_word, self.c.target_headers,
                                  self.c.gender_headers)
        widths = widths or {}
        self.widths = [max(col.width, widths.get(col.key, 0)) for col in cols]
        ws.write(layout.TITLE_ROW - 1, 0, title, self.fmt("title"))
        ws.write(layout.NOTE_ROW - 1, 0, note, self.fmt("note"))
        for i, col in enumerate(cols):
            ws.write(layout.HEADER_ROW - 1, i, col.header, self.fmt("header"))
            ws.set_column(i, i, self.widths[i])
        header_lines = max([HEADER_LINES] + [_lines(col.header, self.widths[i] / self.zoom,
                                                    bold=True) for i, col in enumerate(cols)])
        ws.set_row(layout.HEADER_ROW - 1, _height(header_lines) * self.zoom)
        keys = [col.key for col in cols]
        frozen = keys.index("name") + 1 if "name" in keys else 2
        ws.freeze_panes(layout.FIRST_ROW - 1, frozen)
        ws.repeat_rows(layout.HEADER_ROW - 1)
        ws.set_landscape()
        _print_setup(ws)
        ws.protect("", {"select_locked_cells": False, "select_unlocked_cells": True,
                        "format_columns": True, "format_rows": True})
        ws.set_header(f"&L{_esc(self.c.kommun)}&C{_esc(self.c.unit_name)}"
                      f"&R{_esc(self.c.period_name)}", {"margin": 0.3})
        ws.set_footer("&CSida &P av &N", {"margin": 0.3})
        return cols

    def fit_row(self, ws: Any, row: int, cells: dict[int, Any], min_lines: int = 1) -> None:
        """Set the height of table row ``row`` (1-based) so ``cells`` (column → text) show."""
        lines = max([min_lines] + [_lines(str(v), self.widths[i] / self.zoom)
                                   for i, v in cells.items() if v not in (None, "")])
        ws.set_row(row - 1, _height(lines) * self.zoom)

    def status_width(self) -> float:
        """A width that shows the longest status text the formulas can write on one line."""
        longest = max(len(t) for t in [*self.labels, self.not_measured, "Mäts vid helår"])
        return math.ceil(longest / 1.3) + 1  # bold italic: about 1.3 characters a width

    def lock(self, ws: Any, sheet: str, row: int, col: int, value: Any, style: str = "locked",
             **extra: Any) -> None:
        addr = layout.address(col, row)
        if value is None or value == "":
            ws.write_blank(row - 1, col, None, self.fmt(style, **extra))
            self.locked[f"{sheet}!{addr}"] = None
        else:
            ws.write(row - 1, col, value, self.fmt(style, **extra))
            self.locked[f"{sheet}!{addr}"] = value

    def input(self, ws: Any, row: int, col: int, value: Any, **extra: Any) -> None:
        """A yellow input cell, blank or holding what the unit wrote before (a re-prefill)."""
        if value is None or value == "":
            ws.write_blank(row - 1, col, None, self.fmt("input", **extra))
        elif isinstance(value, str):
            ws.write_string(row - 1, col, value, self.fmt("input", **extra))
        elif isinstance(value, dt.date):
            ws.write_datetime(row - 1, col, dt.datetime.combine(value, dt.time()),
                              self.fmt("input", **extra))
        else:
            ws.write_number(row - 1, col, int(value) if float(value).is_integer() else value,
                            self.fmt("input", **extra))

    def label_of(self, status: str) -> str:
        for step, label in zip(self.c.scale, self.labels, strict=True):
            if step["status"] == status:
                return label
        return self.not_measured

    def write_below(self) -> None:
        """The read-only Underlag: what has come in from below, per own goal (layout.py)."""
        sheet = layout.BELOW_SHEET
        ws = self.wb.add_worksheet(sheet)
        c = self.c
        cols = layout.below_columns(self.pt)
        self.widths = [col.width for col in cols]
        last_col = len(cols) - 1
        ws.write(layout.TITLE_ROW - 1, 0, f"Underlag – det som har kommit in till "
                 f"{c.unit_name}", self.fmt("title"))
        ws.write(layout.NOTE_ROW - 1, 0, texts.below_note(c.prefill.state), self.fmt("note"))
        for i, col in enumerate(cols):
            ws.write(layout.HEADER_ROW - 1, i, col.header, self.fmt("header"))
            ws.set_column(i, i, col.width)
        ws.set_row(layout.HEADER_ROW - 1, _height(HEADER_LINES) * self.zoom)
        ws.freeze_panes(layout.FIRST_ROW - 1, 0)
        ws.repeat_rows(layout.HEADER_ROW - 1)
        ws.set_landscape()
        _print_setup(ws)
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True,
                        "format_columns": True, "format_rows": True})
        ws.set_header(f"&L{_esc(c.kommun)}&C{_esc(c.unit_name)}&R{_esc(c.period_name)}",
                      {"margin": 0.3})
        ws.set_footer("&CSida &P av &N", {"margin": 0.3})
        heading = self.fmt("locked", bold=True, bg_color="#DEEAF6", pattern=1)
        total = sum(self.widths)
        colors = {s["status"]: s["color"] for s in c.scale}
        r = layout.FIRST_ROW
        if not c.prefill.below:
            ws.write(r - 1, 0, texts.BELOW_EMPTY, self.fmt("locked", border=0))
        for block in c.prefill.below:
            ws.merge_range(r - 1, 0, r - 1, last_col, block.heading, heading)
            ws.set_row(r - 1, _height(_lines(block.heading, total / self.zoom)) * self.zoom)
            r += 1
            for row in block.rows:
                values = {col.key: getattr(row, col.key if col.key != "goal" else "id")
                          for col in cols}
                for i, col in enumerate(cols):
                    extra = {}
                    if col.key == ("assessment" if row.assessment else "proposal") \
                            and row.status in colors:
                        extra = {"bold": True,
                                 "font_color": "#" + text_color_on(colors[row.status]),
                                 "bg_color": "#" + colors[row.status], "pattern": 1}
                    ws.write(r - 1, i, values[col.key] or None, self.fmt("locked", **extra))
                self.fit_row(ws, r, {i: values[col.key] for i, col in enumerate(cols)})
                r += 1

    def write_instructions(self) -> None:
        ws = self.wb.add_worksheet(layout.INSTRUCTIONS_SHEET)
        c = self.c
        text_width = 86
        ws.set_column(0, 0, 18)
        ws.set_column(1, 1, text_width)
        ws.write(0, 0, f"Styrkort – {c.unit_name}", self.fmt("title"))
        ws.write(1, 0, f"{c.kommun} · {c.period_name}", self.fmt("note"))
        row = 3
        rule = ""
        if self.pt != "plan":
            rule = texts.proposal_rule(self.labels, [s["threshold"] for s in c.scale])
        rows = texts.instructions(self.pt, c.unit_name, c.period_name, c.deadline,
                                  c.level_name, file_name=c.file_name, proposal_rule=rule,
                                  forecast=c.forecast_labels,
                                  to_council_only=(c.level == "kommun"
                                                   or reports_to_council(c.unit_kind)),
                                  activities=c.has_activities,
                                  below=bool(c.prefill.below or c.prefill.state),
                                  earlier=c.prefill.source, steps=self.steps(),
                                  coordinator=c.coordinator)
        if c.vision:
            rows.insert(2, ("Vision", c.vision))
        if c.gender_headers and self.pt != "plan":  # after the Indikatorer step
            at = next((n + 1 for n, (h, _t) in enumerate(rows)
                       if layout.INDICATORS_SHEET in h), len(rows))
            rows.insert(at, ("Per kön", texts.gender_help(*c.gender_headers)))
        for heading, text in rows:
            ws.write(row, 0, heading, self.fmt("locked", bold=True, border=0))
            ws.write(row, 1, text, self.fmt("locked", border=0))
            # plain text in one wide column: about 1.35 characters a width, not 1.2
            lines = _lines(text, text_width * 1.1 / self.zoom) if text else 0.5
            ws.set_row(row, _height(lines) * self.zoom)
            row += 1
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
        ws.set_portrait()
        _print_setup(ws)
        ws.activate()

    def steps(self) -> list[tuple[str, str]]:
        """The sheets after Instruktioner in tab order, with their kind (texts.instructions)."""
        c = self.c
        kinds = {layout.BELOW_SHEET: "below", layout.GOALS_SHEET: "goals",
                 layout.INDICATORS_SHEET: "indicators", layout.ACTIVITIES_SHEET: "activities",
                 layout.TEXTS_SHEET: "texts", layout.CHECK_SHEET: "check"}
        names = layout.sheet_names(self.pt, c.level, bool(c.prefill.below or c.prefill.state))
        return [(name, kinds[name]) for name in names if name in kinds]

    def write_indicators(self, ws: Any) -> None:
        sheet = layout.INDICATORS_SHEET
        c = self.c
        note = texts.SHEET_NOTES["indicators_plan" if self.pt == "plan" else "indicators"]
        if not c.indicators:
            note = texts.SHEET_NOTES["indicators_none"]
        widths = {} if self.pt == "plan" else {"status": self.status_width()}
        cols = self.table_header(ws, sheet, f"Indikatorer – {c.unit_name}", note, widths)
        idx = {col.key: i for i, col in enumerate(cols)}
        ids = []
        for n, ind in enumerate(c.indicators):
            r = layout.FIRST_ROW + n
            ids.append(ind.id)
            numfmt = number_format(ind.unit, ind.decimals)
            typed = input_number_format(ind.unit, ind.decimals, reading_target(ind.target))
            self.lock(ws, sheet, r, idx["id"], ind.id)
            goal_text = c.goal_choice(ind.goal) + (f"\n{ind.reason}" if ind.reason else "")
            self.lock(ws, sheet, r, idx["goal"], goal_text)
            self.lock(ws, sheet, r, idx["name"], ind.name)
            self.lock(ws, sheet, r, idx["unit"], ind.unit)
            self.lock(ws, sheet, r, idx["direction"], texts.DIRECTION[ind.direction])
            for n_target, target in enumerate(ind.targets or (ind.target,)):
                self.lock(ws, sheet, r, idx[layout.target_key(n_target)],
                          _shown_target(ind, target), num_format=numfmt)
            self.lock(ws, sheet, r, idx["previous"], _shown(ind, ind.previous),
                      num_format=numfmt)
            self.fit_row(ws, r, {idx[k]: getattr(ind, k) for k in ("id", "name", "unit")}
                         | {idx["goal"]: goal_text})
            own = c.prefill.indicators.get(ind.id, {})
            if self.pt == "plan":
                self.input(ws, r, idx["comment"], own.get("comment"))
                continue
            forecast = idx.get("forecast")
            fixed = c.prefill.locked.get(ind.id)
            if fixed is not None and (ind.due or fixed["cell"] == "forecast"):
                self.write_locked_value(ws, ind, r, idx, fixed, numfmt)
            elif not ind.due:
                ws.write(r - 1, idx["actual"], None, self.fmt("formula"))
                if forecast is not None:
                    self.input(ws, r, forecast, _typed(ind, own.get("forecast")),
                               num_format=typed)
                ws.write(r - 1, idx["degree"], "", self.fmt("formula"))
                ws.write(r - 1, idx["status"], "Mäts vid helår", self.fmt("formula"))
                self.locked[f"{sheet}!{layout.address(idx['actual'], r)}"] = None
            else:
                self.input(ws, r, idx["actual"], _typed(ind, own.get("actual")),
                           num_format=typed)
                if forecast is not None:
                    self.input(ws, r, forecast, _typed(ind, own.get("forecast")),
                               num_format=typed)
                self.write_forslag(ws, ind, r, idx)
            self.write_genders(ws, ind, r, idx, typed if fixed is None else None)
            self.input(ws, r, idx["comment"], own.get("comment"))
        self.rows[sheet] = ids
        if c.indicators and self.pt != "plan":
            last = layout.FIRST_ROW + len(c.indicators) - 1
            # Utfall, its kön columns and Prognos helår stand side by side
            first, end = (layout.col_letter(idx["actual"]), layout.col_letter(max(
                idx[k] for k in ("actual", *layout.GENDER_KEYS.values(), "forecast")
                if k in idx)))
            # one validation per run of rows of the same kind: numbers, or ja/nej from a list
            runs: list[tuple[bool, int, int]] = []
            for n, ind in enumerate(c.indicators):
                yes_no = ind.target_type == "janej"
                r = layout.FIRST_ROW + n
                if runs and runs[-1][0] == yes_no:
                    runs[-1] = (yes_no, runs[-1][1], r)
                else:
                    runs.append((yes_no, r, r))
            for yes_no, top, bottom in runs:
                rng = f"{first}{top}:{end}{bottom}"
                ws.data_validation(rng, _YES_NO_VALIDATION if yes_no else _NUMBER_VALIDATION)
            self.status_colors(ws, f"{layout.col_letter(idx['status'])}{layout.FIRST_ROW}:"
                                   f"{layout.col_letter(idx['status'])}{last}")

    def write_genders(self, ws: Any, ind: IndicatorRow, r: int, idx: dict[str, int],
                      typed: str | None) -> None:
        """The row's cells in the Kvinnor and Män columns: inputs like Utfall (``typed``: its
        number format) for a row split by kön that is due, else locked and empty (a value
        from an export or Kolada shows kvinnor and män in its comment)."""
        own = self.c.prefill.indicators.get(ind.id, {})
        for key in layout.GENDER_KEYS.values():
            col = idx.get(key)
            if col is None:
                continue
            if ind.by_gender and ind.due and typed is not None:
                self.input(ws, r, col, _typed(ind, own.get(key)), num_format=typed)
            else:
                self.lock(ws, layout.INDICATORS_SHEET, r, col, None)

    def write_locked_value(self, ws: Any, ind: IndicatorRow, r: int, idx: dict[str, int],
                           fixed: dict[str, Any], numfmt: str) -> None:
        """A value reportkit fills in from the indicator's källa (an export, Kolada): locked,
        the other of utfall/prognos an input as usual (the unit's prognos; its utfall so far
        beside the ekonom's helårsprognos)."""
        sheet = layout.INDICATORS_SHEET
        own = self.c.prefill.indicators.get(ind.id, {})
        for key in ("actual", "forecast"):
            col = idx.get(key)
            if col is None:
                continue
            if key == fixed["cell"]:
                self.lock(ws, sheet, r, col, _shown(ind, fixed["value"]), num_format=numfmt)
            elif key == "actual" and not ind.due:
                ws.write(r - 1, col, None, self.fmt("formula"))
                self.locked[f"{sheet}!{layout.address(col, r)}"] = None
            else:
                self.input(ws, r, col, _shown(ind, own.get(key)), num_format=numfmt)
        if not ind.due:
            ws.write(r - 1, idx["degree"], "", self.fmt("formula"))
            ws.write(r - 1, idx["status"], "Mäts vid helår", self.fmt("formula"))
            return
        self.write_forslag(ws, ind, r, idx)

    def write_forslag(self, ws: Any, ind: IndicatorRow, r: int, idx: dict[str, int]) -> None:
        """The live Måluppfyllelse and Förslag cells of an indicator row that is due."""
        if isinstance(ind.target, TargetTrend) and ind.previous is None:
            # "ska öka" with no Utfall förra året: nothing to compare with (check's Målvärde
            # saknas), whatever is typed
            ws.write(r - 1, idx["degree"], "", self.fmt("formula"))
            ws.write(r - 1, idx["status"], DEFAULT_SCALE.label(SAKNAR_MALVARDE),
                     self.fmt("formula"))
            return
        ws.write_formula(r - 1, idx["degree"], self.degree_formula(ind, r, idx),
                         self.fmt("formula", num_format="0%"), "")
        ws.write_formula(r - 1, idx["status"], self.status_formula(
            layout.address(idx["degree"], r), layout.address(idx["actual"], r)),
            self.fmt("formula"), "")

    def degree_formula(self, ind: IndicatorRow, r: int, idx: dict[str, int]) -> str:
        a = layout.address(idx["actual"], r)
        t = layout.address(idx[layout.target_key(ind.target_column)], r)
        value = a
        if ind.unit == "%":
            value = checksheet.percent_points(a, reading_target(ind.target))
        if isinstance(ind.target, TargetRange):
            low, high = ind.target.low, ind.target.high
            return f'=IF({a}="","",IF(AND({value}>={low!r},{value}<={high!r}),1,0))'
        if isinstance(ind.target, TargetTrend):
            p = layout.address(idx["previous"], r)
            op = ">" if ind.target.increase else "<"
            return f'=IF(OR({a}="",{p}=""),"",IF({value}{op}{p},1,0))'
        if ind.target_type == "janej":
            # what parse.parse_yes_no reads, as 1 or 0 ("" for anything else); Excel compares
            # texts without regard to case
            yes = f'OR({a}=TRUE,{a}=1,{a}="ja",{a}="sant",{a}="true")'
            no = f'OR({a}=FALSE,{a}=0,{a}="nej",{a}="falskt",{a}="false")'
            v = f'IF({yes},1,IF({no},0,""))'
            return f'=IF({a}="","",IF({v}="","",IF({v}=IF({t}="{texts.YES_NO[0]}",1,0),1,0)))'
        if not isinstance(ind.target, (int, float)) or isinstance(ind.target, bool):
            return f'=IF({a}="","",IF({a}={t},1,0))'
        if ind.direction == "lägre":
            core = f"IF({t}<=0,IF({value}<={t},1,0),MAX(0,2-{value}/{t}))"
        else:
            core = f"IF({t}<=0,IF({value}>={t},1,0),{value}/{t})"
        if ind.target_type in ("minst", "högst"):
            op = ">=" if ind.target_type == "minst" else "<="
            core = f"IF({value}{op}{t},1,{core})"
        return f'=IF({a}="","",{core})'

    def status_formula(self, degree: str, actual: str | None) -> str:
        steps = self.c.scale
        expr = f'"{self.labels[-1]}"'
        for step, label in reversed(list(zip(steps[:-1], self.labels[:-1], strict=True))):
            expr = f'IF({degree}>={step["threshold"]!r},"{label}",{expr})'
        empty = f'"{self.not_measured}"'
        return f'=IF({degree}="",{empty},{expr})'

    def status_colors(self, ws: Any, rng: str) -> None:
        for step, label in zip(self.c.scale, self.labels, strict=True):
            color = "#" + step["color"]
            # white or black text, whichever reaches 4.5:1 on the kommun's colour
            ws.conditional_format(rng, {
                "type": "cell", "criteria": "==", "value": f'"{label}"',
                "format": self.wb.add_format({"bold": True,
                                              "font_color": "#" + text_color_on(step["color"]),
                                              "bg_color": color, "pattern": 1})})

    def write_goals(self, ws: Any) -> None:
        sheet = layout.GOALS_SHEET
        c = self.c
        note = texts.SHEET_NOTES["goals_plan" if self.pt == "plan" else "goals"]
        widths = {} if self.pt == "plan" else {"proposal": self.status_width(),
                                               "assessment": self.status_width() + 2}
        cols = self.table_header(ws, sheet, f"Mål – {c.unit_name} – {c.period_name}", note,
                                 widths)
        idx = {col.key: i for i, col in enumerate(cols)}
        ind_idx = {col.key: i for i, col in enumerate(layout.columns_for(
            layout.INDICATORS_SHEET, self.pt, targets=c.target_headers,
            genders=c.gender_headers))}
        ids = []
        for n, goal in enumerate(c.goals):
            r = layout.FIRST_ROW + n
            ids.append(goal.id)
            self.lock(ws, sheet, r, idx["id"], goal.id)
            self.lock(ws, sheet, r, idx["name"], goal.name)
            self.lock(ws, sheet, r, idx["area"], goal.area)
            self.lock(ws, sheet, r, idx["parents"], goal.parents)
            self.fit_row(ws, r, {idx[k]: getattr(goal, k) for k in ("id", "name", "area",
                                                                    "parents")},
                         GOAL_LINES["plan" if self.pt == "plan" else "follow_up"])
            own = c.prefill.goals.get(goal.id, {})
            if self.pt == "plan":
                self.input(ws, r, idx["plan_comment"], own.get("plan_comment"))
                continue
            proposal = layout.address(idx["proposal"], r)
            formula = self.goal_formula(goal.indicator_rows, goal.combine, ind_idx)
            shown = ""
            if formula:
                ws.write_formula(r - 1, idx["proposal"], formula, self.fmt("formula"), "")
            elif prefilled := c.prefilled_proposal(goal):
                # computed from what has come in (the underlag, indicators measured below)
                shown = self.label_of(prefilled)
                self.lock(ws, sheet, r, idx["proposal"], shown, "formula")
            else:
                ws.write(r - 1, idx["proposal"], "Beräknas vid sammanställningen",
                         self.fmt("formula", text_wrap=True))
            if own.get("assessment"):
                ws.write(r - 1, idx["assessment"], self.label_of(own["assessment"]),
                         self.fmt("input"))
            else:
                ws.write_formula(r - 1, idx["assessment"], f"={proposal}", self.fmt("input"),
                                 shown)
            for key in ("motivation", "analysis", "actions"):
                self.input(ws, r, idx[key], own.get(key))
        self.rows[sheet] = ids
        if c.goals and self.pt != "plan":
            last = layout.FIRST_ROW + len(c.goals) - 1
            col = layout.col_letter(idx["assessment"])
            n_labels = len(self.labels) + 1
            ws.data_validation(f"{col}{layout.FIRST_ROW}:{col}{last}", {
                "validate": "list", "source": f"=Listor!$A$1:$A${n_labels}",
                "input_title": "Bedömning",
                "input_message": "Förvalt är förslaget. Välj en annan bedömning i listan om "
                                 "du bedömer annorlunda, och skriv då en motivering.",
                "error_title": "Välj i listan", "error_type": "stop",
                "error_message": "Välj en bedömning i listan."})
            for key in ("proposal", "assessment"):
                letter = layout.col_letter(idx[key])
                self.status_colors(ws, f"{letter}{layout.FIRST_ROW}:{letter}{last}")

    def goal_formula(self, rows: list[int], combine: str, ind_idx: dict[str, int]) -> str:
        due_rows = [i for i in rows if self.c.indicators[i].due]
        if not due_rows:
            return ""
        letter = layout.col_letter(ind_idx["degree"])
        refs = [f"{layout.INDICATORS_SHEET}!{letter}{layout.FIRST_ROW + i}" for i in due_rows]
        count = "(" + "+".join(f"ISNUMBER({r})" for r in refs) + ")"
        if combine == "svagast":
            value = "MIN(" + ",".join(refs) + ")"
        elif combine == "andel":
            value = "(" + "+".join(f"ISNUMBER({r})*({r}>=1)" for r in refs) + f")/{count}"
        else:
            value = "(" + "+".join(f"IF(ISNUMBER({r}),MIN(1,{r}),0)" for r in refs) + \
                f")/{count}"
        expr = f'"{self.labels[-1]}"'
        for step, label in reversed(list(zip(self.c.scale[:-1], self.labels[:-1],
                                             strict=True))):
            expr = f'IF({value}>={step["threshold"]!r},"{label}",{expr})'
        return f'=IF({count}=0,"{self.not_measured}",{expr})'

    def write_activities(self) -> None:
        sheet = layout.ACTIVITIES_SHEET
        ws = self.wb.add_worksheet(sheet)
        cols = self.table_header(ws, sheet, f"Aktiviteter – {self.c.unit_name}",
                                 texts.SHEET_NOTES["activities"])
        idx = {col.key: i for i, col in enumerate(cols)}
        ids = []
        carried = self.c.prefill.activities
        for n in range(max(layout.ACTIVITY_ROWS, len(carried))):
            r = layout.FIRST_ROW + n
            ids.append(str(n + 1))
            self.lock(ws, sheet, r, idx["row"], n + 1)
            row = carried[n] if n < len(carried) else {}
            for col in cols[1:]:
                extra = {"num_format": "yyyy-mm-dd"} if col.kind == "date" else {}
                value = row.get(col.key)
                if col.kind == "date" and value:
                    value = dt.date.fromisoformat(value)
                elif col.kind == "goal_ref" and value:
                    value = self.c.goal_choice(value)
                self.input(ws, r, idx[col.key], value, **extra)
        self.rows[sheet] = ids
        first, last = layout.FIRST_ROW, layout.FIRST_ROW + len(ids) - 1

        def rng(key: str) -> str:
            letter = layout.col_letter(idx[key])
            return f"{letter}{first}:{letter}{last}"

        n_goals = max(1, len(self.c.goal_ids))
        ws.data_validation(rng("goal"), {
            "validate": "list", "source": f"=Listor!$C$1:$C${n_goals}",
            "input_title": "Mål", "input_message": "Välj målet som aktiviteten hör till i "
                                                   "listan.",
            "error_title": "Okänt mål", "error_type": "stop",
            "error_message": "Välj ett mål i listan."})
        ws.data_validation(rng("status"), {
            "validate": "list", "source": f"=Listor!$B$1:$B${len(layout.ACTIVITY_STATUSES)}",
            "input_title": "Status", "input_message": "Välj status i listan.",
            "error_title": "Okänd status", "error_type": "stop",
            "error_message": "Välj en status i listan."})
        for key in ("start", "end"):
            ws.data_validation(rng(key), {
                "validate": "date", "criteria": "between",
                "minimum": dt.date(self.c.year - 5, 1, 1),
                "maximum": dt.date(self.c.year + 10, 12, 31),
                "input_title": "Datum", "input_message": "Skriv datum som ÅÅÅÅ-MM-DD.",
                "error_title": "Inte ett datum", "error_type": "stop",
                "error_message": "Skriv ett datum som ÅÅÅÅ-MM-DD, t.ex. 2026-03-15."})

    def write_texts(self) -> None:
        sheet = layout.TEXTS_SHEET
        ws = self.wb.add_worksheet(sheet)
        cols = self.table_header(ws, sheet, f"Texter – {self.c.unit_name}",
                                 texts.SHEET_NOTES["texts"])
        idx = {col.key: i for i, col in enumerate(cols)}
        ids = []
        for n, (key, heading, guidance) in enumerate(self.c.texts):
            r = layout.FIRST_ROW + n
            ids.append(key)
            self.lock(ws, sheet, r, idx["key"], n + 1)
            self.lock(ws, sheet, r, idx["heading"], heading, bold=True)
            self.input(ws, r, idx["text"], self.c.prefill.texts.get(key))
            ws.set_row(r - 1, 110)
            ws.data_validation(layout.address(idx["text"], r), {
                "validate": "any", "input_title": heading[:32],
                "input_message": guidance[:255]})
        self.rows[sheet] = ids

    def write_check(self) -> None:
        """The Kontroll sheet: live formulas that list what is missing or looks wrong, with
        sheet and cell (layout.py, checksheet.py), and say when all is well."""
        ws = self.wb.add_worksheet(layout.CHECK_SHEET)
        c = self.c
        found = checksheet.checks(c)
        for i, col in enumerate(layout.CHECK_COLUMNS):
            ws.set_column(i, i, col.width)
            ws.write(layout.CHECK_HEADER_ROW - 1, i, col.header, self.fmt("header"))
        first_helper = layout.CHECK_HELPER_COL
        ws.set_column(first_helper, first_helper + len(layout.CHECK_HELPER_KEYS) - 1, 12,
                      None, {"hidden": True})
        ws.write(layout.TITLE_ROW - 1, 0, texts.CHECK_TITLE.format(unit=c.unit_name),
                 self.fmt("title"))
        ws.write(layout.NOTE_ROW - 1, 0, texts.CHECK_NOTE, self.fmt("note"))
        count = 0
        for n, check in enumerate(found):
            row = layout.CHECK_FIRST_ROW + n - 1
            ws.write_string(row, first_helper, check.sheet)
            if check.where:
                ws.write_formula(row, first_helper + 1, "=" + check.where, None, check.cell)
            else:
                ws.write_string(row, first_helper + 1, check.cell)
            ws.write_formula(row, first_helper + 2, "=" + check.formula, None, check.now)
            before = layout.check_helper("count", n - 1) if n else "0"
            count += bool(check.now)
            ws.write_formula(row, first_helper + 3,
                             f'=IF({layout.check_helper("message", n)}="",{before},'
                             f'{before}+1)', None, count)
        total = layout.check_helper("count", len(found) - 1) if found else "0"
        listed = [ch for ch in found if ch.now]
        shown = min(layout.CHECK_LIST_ROWS, max(len(found), 1))
        cell_fmt = self.fmt("locked", valign="top", border=0)
        for k in range(shown):
            for key in ("sheet", "cell", "problem"):
                source = layout.check_helper_range(
                    {"sheet": "sheet", "cell": "cell", "problem": "message"}[key], len(found))
                counts = layout.check_helper_range("count", len(found))
                formula = f'=IFERROR(INDEX({source},MATCH({k + 1},{counts},0)),"")'
                now = "" if k >= len(listed) else {
                    "sheet": listed[k].sheet, "cell": listed[k].cell,
                    "problem": listed[k].now}[key]
                ws.write_formula(layout.check_list(key, k), formula, cell_fmt, now)
        self.write_check_summary(ws, total, len(listed))
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
        ws.set_landscape()
        _print_setup(ws)
        ws.print_area(0, 0, layout.CHECK_FIRST_ROW + shown - 2, len(layout.CHECK_COLUMNS) - 1)

    def write_check_summary(self, ws: Any, total: str, now: int) -> None:
        """The Kontroll sheet's summary line: all is well, or how many (green or yellow)."""
        c = self.c
        well = texts.CHECK_ALL_WELL.format(send=texts.send_to(c.deadline, c.coordinator)
                                           .replace("Till ", "till ", 1))
        some = texts.CHECK_SOME.split("{n}")
        more = texts.CHECK_MORE.format(rows=layout.CHECK_LIST_ROWS)
        formula = (f'=IF({total}=0,{_q(well)},{_q(some[0])}&{total}&{_q(some[1])}&'
                   f'IF({total}>{layout.CHECK_LIST_ROWS},{_q(more)},""))')
        shown = well if now == 0 else (texts.CHECK_SOME.format(n=now)
                                       + (more if now > layout.CHECK_LIST_ROWS else ""))
        cell = layout.address(0, layout.CHECK_SUMMARY_ROW)
        ws.merge_range(layout.CHECK_SUMMARY_ROW - 1, 0, layout.CHECK_SUMMARY_ROW - 1,
                       len(layout.CHECK_COLUMNS) - 1, "", self.fmt("locked", bold=True))
        ws.write_formula(cell, formula, self.fmt("locked", bold=True), shown)
        ws.set_row(layout.CHECK_SUMMARY_ROW - 1, _height(2) * self.zoom)
        for test, color in ((f"={total}=0", "#C6EFCE"), (f"={total}>0", "#FFEB9C")):
            ws.conditional_format(cell, {"type": "formula", "criteria": test,
                                         "format": self.wb.add_format(
                                             {"bg_color": color, "pattern": 1})})

    def write_lists(self) -> None:
        ws = self.wb.add_worksheet(layout.LISTS_SHEET)
        for i, label in enumerate([*self.labels, self.not_measured]):
            ws.write(i, 0, label)
        for i, label in enumerate(layout.ACTIVITY_STATUSES):
            ws.write(i, 1, label)
        for i, gid in enumerate(self.c.goal_ids):
            ws.write(i, 2, self.c.goal_choice(gid))
        ws.hide()

    def write_meta(self) -> None:
        ws = self.wb.add_worksheet(layout.META_SHEET)
        c = self.c
        values = {
            "template_version": layout.TEMPLATE_VERSION, "kommun": c.kommun,
            "kommun_id": c.kommun_id, "unit_id": c.unit_id, "unit_name": c.unit_name,
            "level": c.level, "period": c.period, "period_name": c.period_name,
            "period_type": c.period_type, "year": c.year, "deadline": c.deadline,
            "fingerprint": c.fingerprint(),
            "scale": json.dumps({"steps": c.scale, "forecast": c.forecast_labels}
                                | ({"not_measured": c.not_measured}
                                   if c.not_measured != DEFAULT_NOT_MEASURED else {}),
                                ensure_ascii=False, sort_keys=True),
            "rows": json.dumps(self.rows, ensure_ascii=False, sort_keys=True),
            "locked": json.dumps(self.locked, ensure_ascii=False, sort_keys=True),
            "model": json.dumps(_model_meta(c), ensure_ascii=False, sort_keys=True),
        }
        for i, key in enumerate(layout.META_KEYS):
            ws.write_string(i, 0, key)
            ws.write_string(i, 1, str(values[key]))
        ws.very_hidden()


_NUMBER_VALIDATION = {
    "validate": "decimal", "criteria": "between", "minimum": -1e12,
    "maximum": 1e12, "input_title": "Utfall",
    "input_message": "Skriv ett tal. Procent: 85 eller 85 %.",
    "error_title": "Inte ett tal", "error_type": "stop",
    "error_message": "Skriv utfallet som ett tal, till exempel 85 eller 1234,5."}
# a warning, not a stop: ja, JA, sant and 1 read as well (parse.parse_yes_no)
_YES_NO_VALIDATION = {
    "validate": "list", "source": list(texts.YES_NO), "input_title": "Ja eller nej",
    "input_message": "Välj Ja eller Nej i listan.",
    "error_title": "Ja eller nej", "error_type": "warning",
    "error_message": "Välj Ja eller Nej i listan."}


def _typed(ind: IndicatorRow, value: Any) -> Any:
    """A value as written into an input cell: :func:`_shown`, and a percentage as the number
    that reads back as itself (parse.stored_percent: 0,6 % against målvärde 85 as 0,006)."""
    if ind.unit == "%" and ind.target_type != "janej" and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        return stored_percent(float(value), reading_target(ind.target))
    return _shown(ind, value)


def _shown(ind: IndicatorRow, value: Any) -> Any:
    """A value as the workbook shows it: a ja/nej indicator's 1/0 as Ja/Nej."""
    if ind.target_type == "janej" and isinstance(value, (int, float)):
        return texts.YES_NO[0] if value else texts.YES_NO[1]
    return value


def _shown_target(ind: IndicatorRow, target: Target | None) -> Any:
    """A målvärde as its cell shows it: a number, Ja/Nej, ``80–90 %``, ``Ska öka``."""
    if isinstance(target, bool):
        return texts.YES_NO[0] if target else texts.YES_NO[1]
    if isinstance(target, TargetRange | TargetTrend):
        return target_text(target, ind.unit)
    return _shown(ind, target)


def _model_meta(c: WorkbookContent) -> dict[str, Any]:
    locked = c.prefill.locked
    return {
        # "locked": the cell reportkit fills from the indicator's källa (only when there is one,
        # so other workbooks stay as they were)
        "indicators": {i.id: {"goal": i.goal, "unit": i.unit, "direction": i.direction,
                              "target_type": i.target_type, "target": target_to_json(i.target),
                              "baseline": i.baseline, "due": i.due, "share": i.share,
                              **({"locked": locked[i.id]["cell"]} if i.id in locked else {}),
                              # what a direction (ska öka) is compared with: last year's
                              **({"previous": i.previous}
                                 if isinstance(i.target, TargetTrend) else {}),
                              # which Målvärde column ``target`` is, when not the first
                              **({"target_column": i.target_column}
                                 if i.target_column else {}),
                              # kvinnor and män typed beside the total (kön: ja)
                              **({"by_gender": True} if i.by_gender else {})}
                       for i in c.indicators},
        # check's plausibility rules (workbook/plausible.py); absent in older workbooks
        "plausibility_factor": c.plausibility_factor,
        "goals": {g.id: {"combine": g.combine, "own": g.own,
                         "indicators": [c.indicators[i].id for i in g.indicator_rows],
                         **({"proposal": c.prefilled_proposal(g)}
                            if c.prefilled_proposal(g) else {})}
                  for g in c.goals},
        # only when it is not the default, so a workbook of today's words stays as it was
        **({"area_word": c.area_word} if c.area_word != layout.AREA_HEADER else {}),
        **({"targets": list(c.target_headers)} if c.target_headers else {}),
        # the Kvinnor and Män columns' headers, only when the sheet has them
        **({"genders": list(c.gender_headers)} if c.gender_headers else {}),
    }


def _q(text: str) -> str:
    """A text constant in a formula."""
    return '"' + text.replace('"', '""') + '"'


def _esc(text: str) -> str:
    return text.replace("&", "&&")


def _lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in a wrapped cell of ``width`` (an estimate)."""
    per_line = max(1, int(width * CHARS_PER_WIDTH * (0.9 if bold else 1.0)))
    return sum(max(1, len(textwrap.wrap(part, per_line, break_on_hyphens=True)))
               for part in str(text).split("\n"))


def _height(lines: float) -> float:
    return round(lines * LINE_HEIGHT + 3, 1)


def _print_setup(ws: Any) -> None:
    """A4, one page wide, narrow margins (more room for the text than Excel's default)."""
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.6)


def generate_all(contents: Iterable[WorkbookContent], out_dir: Path,
                 styles: dict[str, dict[str, Any]] | None = None) -> list[Path]:
    return [generate_workbook(c, out_dir / c.file_name, styles) for c in contents]
