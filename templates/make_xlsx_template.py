"""Write templates/xlsx/styrkort-stilar.xlsx: the cells whose look the styrkort workbooks copy.

Run once from the repository root; afterwards the kommun edits the file in Excel.
"""

from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill

from reportkit.files import normalize_zip
from reportkit.workbook.generate import DEFAULT_STYLES, STYLE_NAMES

out = Path(__file__).parent / "xlsx" / "styrkort-stilar.xlsx"
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Stilar"
ws["A1"] = "Stil"
ws["B1"] = "Exempel (ändra typsnitt, storlek, fetstil och fyllnadsfärg i kolumn B)"
ws.column_dimensions["A"].width = 16
ws.column_dimensions["B"].width = 60
for row, (label, key) in enumerate(STYLE_NAMES.items(), start=2):
    st = DEFAULT_STYLES[key]
    ws.cell(row, 1, label)
    cell = ws.cell(row, 2, f"Exempeltext: {label}")
    cell.font = Font(name=st.get("font_name"), size=st.get("font_size"),
                     bold=st.get("bold", False), italic=st.get("italic", False),
                     color=st.get("font_color", "#000000").lstrip("#"))
    if "bg_color" in st:
        color = st["bg_color"].lstrip("#")
        cell.fill = PatternFill("solid", start_color=color, end_color=color)
wb.properties.creator = "reportkit"
wb.save(out)
normalize_zip(out)
