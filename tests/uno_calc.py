"""Type into a workbook in LibreOffice Calc over UNO, as a person at the keyboard would.

Run by the system Python (Debian's ``python3-uno``), never imported by the tests: they start
it as ``/usr/bin/python3 tests/uno_calc.py`` with one JSON object on stdin::

    {"soffice": "/usr/bin/soffice", "profile": "/abs/tmp/profile", "locale": "sv-SE",
     "src": "/abs/a.xlsx", "dst": "/abs/typed.xlsx",
     "type": [["Indikatorer", "I4", "85 %"], ...], "read": [["Mål", "F4"], ...]}

and read one JSON object from stdout: ``{"Blad!A1": {"value": 0.85, "shown": "85,0 %",
"format": "..."}}`` for every typed and read cell, after a recalculation; the typed workbook
is stored as xlsx at ``dst``.

Typing is the ``.uno:EnterString`` dispatch on the selected cell: Calc's own input line, which
reads "85 %" as 0,85 and "0,6" with the locale's decimal sign, exactly as typed text is read
(``XCell.setFormula`` would read numbers in en-US whatever the locale). The locale is the
profile's ``ooSetupSystemLocale`` (docs: /work/shared/TECH.md §2), so the test does not depend
on the machine's.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import uno  # type: ignore[import-not-found]


def _worker():
    """reportkit's own UNO worker (``documents/uno_worker.py``): soffice is started, connected
    to and stopped the way the PDF step does it."""
    path = Path(__file__).resolve().parent.parent / "reportkit" / "documents" / "uno_worker.py"
    spec = importlib.util.spec_from_file_location("uno_worker", path)
    worker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(worker)
    worker.uno = uno
    return worker


worker = _worker()
_prop = worker._prop


def _profile(path: str, locale: str) -> str:
    user = Path(path) / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" '
        f'oor:op="fuse"><value>{locale}</value></prop></item>\n'
        '</oor:items>\n', encoding="utf-8")
    return Path(path).resolve().as_uri()


def _cell(doc, sheet: str, addr: str):
    return doc.Sheets.getByName(sheet).getCellRangeByName(addr)


def _state(doc, sheet: str, addr: str) -> dict:
    cell = _cell(doc, sheet, addr)
    formats = doc.getNumberFormats()
    return {"value": cell.getValue(), "shown": cell.getString(),
            "format": formats.getByKey(cell.NumberFormat).FormatString}


def _type(ctx, doc, job: dict) -> dict:
    smgr = ctx.ServiceManager
    dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    controller = doc.getCurrentController()
    frame = controller.getFrame()
    # No toolbars or child windows: after a dispatch, the view would create the input line
    # from its .ui file, which LibreOffice's "nogui" packages (Debian's libreoffice-*-nogui)
    # do not ship, and soffice aborts in a timer (gdb: VclBuilder under
    # SfxChildWindow::CreateChildWindow). With the layout manager hidden and locked,
    # 10 runs of 10 passed; without, most crashed.
    layout = frame.LayoutManager
    layout.setVisible(False)
    layout.lock()
    for sheet, addr, text in job["type"]:
        # a protected sheet takes typing in its unlocked cells, as in the GUI
        controller.setActiveSheet(doc.Sheets.getByName(sheet))
        controller.select(_cell(doc, sheet, addr))
        dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0,
                                   (_prop("StringName", text),))
    doc.calculateAll()
    cells = [(s, a) for s, a, _ in job["type"]] + [tuple(c) for c in job.get("read", [])]
    return {f"{s}!{a}": _state(doc, s, a) for s, a in cells}


def main() -> int:
    job = json.loads(sys.stdin.read())
    pipe = f"reportkit-typing-{os.getpid()}"
    proc = worker._start_soffice({"soffice": job["soffice"], "pipe": pipe,
                                  "profile_url": _profile(job["profile"], job["locale"])})
    desktop = None
    try:
        ctx = worker._connect(pipe, proc)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        # a copy: a lock file (.~lock.X#) left beside the source would refuse the next load
        src = Path(job["profile"]) / Path(job["src"]).name
        shutil.copyfile(job["src"], src)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(src)), "_blank", 0,
                                           (_prop("Hidden", True),))
        if doc is None:
            raise RuntimeError(f"LibreOffice could not open {job['src']}")
        try:
            result = _type(ctx, doc, job)
            doc.storeToURL(uno.systemPathToFileUrl(job["dst"]),
                           (_prop("FilterName", "Calc MS Excel 2007 XML"),))
        finally:
            doc.close(True)
        sys.stdout.write(json.dumps(result, ensure_ascii=False))
        return 0
    finally:
        worker._stop(desktop, proc)


if __name__ == "__main__":
    sys.exit(main())
