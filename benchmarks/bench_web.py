"""Time ``reportkit webb`` on Storstad as a whole process, beside plain string templates.

    python benchmarks/bench_web.py                     # 3 rounds; Storstad made if missing
    python benchmarks/bench_web.py --runs 5 --project /tmp/storstad --utkast --no-pdf

Set-up, not timed: the Storstad project (benchmarks/storstad.py), reportkit's bytecode
compiled, a consolidated copy of it, the årsredovisning rendered with its PDF (unless
``--no-pdf``: the site copies the period's PDFs into ``dokument/`` and links them), a decision
(``reportkit beslut``: the published site shows a decided version; with ``--utkast`` the draft
instead), one ``reportkit webb`` whose site is taken apart into the floor's data (below),
and the floor run once and compared with that site file by file.

Each round, in turn:

- ``golv (strängmallar)``: one Python process, none of reportkit, Jinja or MarkupSafe
  imported, that writes the same files with the same bytes: it loads one JSON file (each
  page as a ``str.format`` template of its constant parts, the markup, with its substituted
  values, the text and attribute values, which it escapes as the autoescape does; the figures
  as data it dumps as ``siffror.json`` is written; the PDFs by their paths), joins each page
  and writes every file atomically as reportkit does (temp file beside it, fsync, rename)
  into an empty folder: the floor of writing the site;
- ``webb``: ``reportkit webb`` of the consolidated copy (``--utkast`` with ``--utkast``)
  after its site folder (``rapporter/2026-helår/webb/``) was removed: the store read, the
  roll-up (as consolidate remembered it), the pages' values and SVG charts, the templates
  rendered in the sandbox's forked worker, every file written;
- ``python + import jinja2``: ``python -c "import jinja2"``, the interpreter and the
  templating library's import alone.

After the first round both folders are compared (the SHA-256 of every file); a difference
stops the benchmark. Prints median and min–max per command, the ratio to its floor and the
peak memory, and writes JSON (default benchmarks/results/web.json).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _bench  # noqa: E402
from bench_consolidate import PERIOD  # noqa: E402

DECISION = "KF 2027-04-20 § 45"
FLOOR_NAME = "golv (strängmallar)"
WEB_NAME = "webb"
IMPORT_NAME = "python + import jinja2"

# The floor: argv: the data (JSON, see site_data) and the folder to write the site into.
FLOOR = """\
import json, os, sys, tempfile

def esc(s):
    return (s.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))

def write(path, data, mode):
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                               dir=folder)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
        os.fchmod(fh.fileno(), mode)
    os.replace(tmp, path)

def main(data_path, out):
    umask = os.umask(0)
    os.umask(umask)
    with open(data_path, encoding="utf-8") as fh:
        site = json.load(fh)
    for f in site["files"]:
        if f["kind"] == "page":
            raw = set(f["raw"])
            values = [v if i in raw else esc(v) for i, v in enumerate(f["values"])]
            data = f["template"].format(*values).encode("utf-8")
        elif f["kind"] == "json":
            data = (json.dumps(f["data"], ensure_ascii=False, indent=1, sort_keys=True)
                    + "\\n").encode("utf-8")
        else:
            with open(f["source"], "rb") as fh:
                data = fh.read()
        write(os.path.join(out, f["path"]), data, 0o666 & ~umask)
    print(len(site["files"]))

main(sys.argv[1], sys.argv[2])
"""

_TAG = re.compile(r"(<[^>]*>)")
_ATTRIBUTE = re.compile(r'(?<==")([^"]*)(?=")')


def _escape(text: str) -> str:
    """MarkupSafe's escape, as the floor does it."""
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


def page_parts(text: str) -> dict[str, Any]:
    """A page as a ``str.format`` template of its markup (tags without their attribute
    values) and its values (the text between tags, the attribute values), each stored as
    before escaping when escaping it gives the page's bytes back, else as it is (``raw``)."""
    template: list[str] = []
    values: list[str] = []
    raw: list[int] = []

    def value(seg: str) -> None:
        if not seg.strip():  # the layout's line breaks and indentation
            constant(seg)
            return
        plain = html.unescape(seg)
        if _escape(plain) == seg:
            values.append(plain)
        else:
            raw.append(len(values))
            values.append(seg)
        template.append("{}")

    def constant(seg: str) -> None:
        template.append(seg.replace("{", "{{").replace("}", "}}"))

    for i, part in enumerate(_TAG.split(text)):
        if i % 2 == 0:
            if part:
                value(part)
            continue
        for j, piece in enumerate(_ATTRIBUTE.split(part)):
            (value if j % 2 else constant)(piece)
    return {"kind": "page", "template": "".join(template), "values": values, "raw": raw}


def site_data(site: Path, sources: list[Path]) -> dict[str, Any]:
    """What the floor writes, taken from a site ``reportkit webb`` made: HTML, XML and CSS as
    templates with values, JSON as data, any other file (PDFs, a logo) by the path of a file
    with the same bytes among ``sources``."""
    files: list[dict[str, Any]] = []
    by_bytes = {p.read_bytes(): p for p in sources if p.is_file()}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        entry: dict[str, Any] | None = None
        if path.suffix == ".json":
            text = data.decode("utf-8")
            parsed = json.loads(text)
            if json.dumps(parsed, ensure_ascii=False, indent=1, sort_keys=True) + "\n" == text:
                entry = {"kind": "json", "data": parsed}
        if entry is None and path.suffix == ".css":  # the stylesheet: constant
            entry = {"kind": "page", "template": data.decode("utf-8").replace(
                "{", "{{").replace("}", "}}"), "values": [], "raw": []}
        if entry is None and path.suffix in (".html", ".xml", ".json"):
            entry = page_parts(data.decode("utf-8"))
        if entry is None:
            if data not in by_bytes:
                raise SystemExit(f"{rel}: ingen källfil med samma innehåll att kopiera")
            entry = {"kind": "copy", "source": str(by_bytes[data])}
        files.append({"path": rel, **entry})
    return {"files": files}


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def same_site(webb: Path, floor: Path) -> bool:
    """True when both folders hold the same files with the same bytes; else says which not."""
    a, b = digests(webb), digests(floor)
    if a == b:
        return True
    print(f"FEL: golvet skriver inte samma filer som reportkit webb ({webb} / {floor}):")
    for name in sorted(set(a) | set(b)):
        if a.get(name) != b.get(name):
            print(f"  {name}: webb {a.get(name, 'saknas')[:12]}, golv "
                  f"{b.get(name, 'saknas')[:12]}")
    return False


def reportkit_source() -> dict[str, str]:
    """Where the measured ``reportkit`` comes from and its commit (an installed checkout may
    be another than this benchmark's)."""
    import reportkit

    folder = Path(reportkit.__file__).resolve().parent.parent
    done = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True)
    return {"path": str(folder), "commit": done.stdout.strip()}


def _setup_step(args: list[str], what: str, log: Path) -> bool:
    run = _bench.run_once(args, log)
    if run["exit"] != 0:
        print(f"{what} misslyckades (slutkod {run['exit']}); se {log}:")
        print(log.read_text(encoding="utf-8", errors="replace")[-3000:])
        return False
    print(f"{what}: {run['wall']:.1f} s (inte tidtaget)", flush=True)
    return True


def main() -> int:
    parser = _bench.storstad_parser(__doc__, "web.json")
    parser.add_argument("--utkast", action="store_true",
                        help="the draft's site (webb --utkast) instead of a decided version")
    parser.add_argument("--no-pdf", action="store_true",
                        help="no årsredovisning PDF beside the site (no LibreOffice needed)")
    opts = parser.parse_args()
    source = _bench.storstad(opts.project)
    _bench.compile_bytecode()
    rk = _bench.reportkit_command()
    rounds = _bench.Rounds()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        work = Path(tmp)
        log = work / "web.log"
        base = _bench.fresh_copy(source, work / "konsoliderad")
        reports = base / "rapporter" / PERIOD
        site = reports / "webb"
        print("Sammanställer en kopia av Storstad (inte tidtaget) …", flush=True)
        subprocess.run([*rk, "consolidate", str(base), "--period", PERIOD],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        steps = []
        if not opts.no_pdf:
            steps.append(([*rk, "render", "arsredovisning", str(base), "--period", PERIOD,
                           "--pdf"], "render arsredovisning --pdf"))
        if not opts.utkast:
            steps.append(([*rk, "beslut", str(base), "--period", PERIOD, "--beslut", DECISION],
                          f"beslut {DECISION}"))
        webb = [*rk, "webb", str(base), "--period", PERIOD,
                *(["--utkast"] if opts.utkast else [])]
        steps.append((webb, "första webb"))
        if not all(_setup_step(args, what, log) for args, what in steps):
            return 1
        data = work / "webb.json"
        content = site_data(site, sorted(reports.glob("*")))
        data.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        floor_out = work / "golv"
        floor = [sys.executable, "-c", FLOOR, str(data), str(floor_out)]
        done = subprocess.run(floor, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"golvet misslyckades (slutkod {done.returncode}):\n{done.stderr[-3000:]}")
            return 1
        if not same_site(site, floor_out):
            return 1
        files = digests(site)
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        print(f"Webbplatsen: {len(files)} filer ({sum(n.endswith('.html') for n in files)} "
              f"sidor), {size / 2**20:.1f} MiB; golvet skriver samma byte", flush=True)
        for i in range(opts.runs):
            shutil.rmtree(floor_out, ignore_errors=True)
            rounds.add(FLOOR_NAME, _bench.run_once(floor, log))
            shutil.rmtree(site, ignore_errors=True)
            rounds.add(WEB_NAME, _bench.run_once(webb, log))
            rounds.add(IMPORT_NAME, _bench.run_once([sys.executable, "-c", "import jinja2"]))
            if i == 0 and not same_site(site, floor_out):
                return 1
            print(f"  runda {i + 1}: " + ", ".join(
                f"{name} {rs[-1]['wall']:.2f} s" for name, rs in rounds.runs.items()),
                flush=True)
    floors = {WEB_NAME: FLOOR_NAME}
    print(f"\n{opts.runs} rundor; {len(files)} filer, {size / 2**20:.1f} MiB, "
          f"{'utkastet' if opts.utkast else 'beslutad version'}")
    print(rounds.table(floors))
    _bench.write_json(opts.json, {
        "what": "reportkit webb on Storstad vs writing the same bytes with plain string "
                "templates (str.format) in one process; whole processes, in turn each round",
        "period": PERIOD, "draft": opts.utkast, "pdf": not opts.no_pdf, "files": len(files),
        "bytes": size, "reportkit": reportkit_source(), "rounds": opts.runs,
        **rounds.results(floors)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
