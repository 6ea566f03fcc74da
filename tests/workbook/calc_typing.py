"""Type into a workbook in LibreOffice Calc over UNO and read what its cells show.

Run by the *system* Python (Debian's ``python3-uno``), never imported by the tests' venv:
``python3 calc_typing.py job.json`` prints one JSON line. The job::

    {"soffice": "/usr/bin/soffice", "profile_url": "file:///tmp/p", "pipe": "x",
     "worker": "/…/reportkit/documents/uno_worker.py", "src": "/abs/book.xlsx",
     "steps": [{"type": {"Indikatorer!H4": "1234.5"}, "read": ["Kontroll!A3", …],
                "save": "/abs/after.xlsx"}, …]}

Each step types its cells in order (``XCell.setFormula``: what typing into the cell does,
with the API's en-US reading of numbers and dates; ``""`` clears the cell), lets Calc
recalculate, reads the cells in ``read`` (the text each shows) and, with ``save``, stores the
document as xlsx. One soffice for the whole job: it is started and stopped with the PDF
worker's own functions (``reportkit/documents/uno_worker.py``).
"""

from __future__ import annotations

import importlib.util
import json
import sys


def _prop(name: str, value: object):
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def _cell(doc, ref: str):
    sheet, addr = ref.split("!", 1)
    return doc.Sheets.getByName(sheet).getCellRangeByName(addr)


def main() -> int:
    import uno

    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    spec = importlib.util.spec_from_file_location("uno_worker", job["worker"])
    worker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(worker)
    worker.uno = uno
    proc = worker._start_soffice(job)
    desktop = None
    out = []
    try:
        ctx = worker._connect(job["pipe"], proc)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["src"]), "_blank", 0,
                                           (_prop("Hidden", True),
                                            _prop("MacroExecutionMode", 0)))
        for step in job["steps"]:
            for ref, value in step.get("type", {}).items():
                _cell(doc, ref).setFormula(value)
            doc.calculateAll()
            out.append({ref: _cell(doc, ref).getString() for ref in step.get("read", [])})
            if step.get("save"):
                doc.storeToURL(uno.systemPathToFileUrl(step["save"]),
                               (_prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
    finally:
        worker._stop(desktop, proc)
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
