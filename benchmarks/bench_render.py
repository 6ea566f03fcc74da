"""Time ``reportkit render`` and the whole cycle on Storstad as whole processes, beside floors.

    python benchmarks/bench_render.py                  # 3 rounds; Storstad made if missing
    python benchmarks/bench_render.py --runs 5 --project /tmp/storstad --no-cycle

Set-up, not timed: the Storstad project (benchmarks/storstad.py), reportkit's bytecode
compiled, a consolidated copy of it, and one enhet workbook filled again with another seed.

Each round, in turn:

- ``naiv (matplotlib)``: one process that imports matplotlib and draws as many charts as the
  årsredovisning holds (counted in its .docx), each a figure with constrained layout saved
  as a 150 dpi PNG 16 cm wide: the naive path to the same pictures, without any document;
- ``render kall``: ``reportkit render arsredovisning`` of a consolidated copy whose
  ``rapporter/`` and render caches (``.cache/``: charts and chapters) were removed; the
  roll-up consolidate remembered in the store is used when it did;
- ``render en enhet ändrad``: again, after one enhet's corrected workbook was consolidated
  (the consolidation is not timed): the cached chapters of the nämnder whose data did not
  change are reused;
- with ``--cycle`` (default): ``cykel``: one shell process that runs, on a fresh copy of the
  project (no store, no outputs), ``reportkit consolidate`` and ``reportkit render`` of
  årsredovisning (2026-helår), delårsrapport (2026-delår) and verksamhetsplan (2026-plan),
  .docx only (the PDF step is benchmarks/bench_pdf.py's), beside ``golv (calamine, 2
  proc)``, the reading floor of bench_consolidate.py.

Prints median and min–max per command, the ratio to its floor, and writes JSON (default
benchmarks/results/render.json). The issue's targets: årsredovisning within 4 s cold and within
0.5× the naive path; re-render after one unit changed within 1.5 s; the cycle within 45 s.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _bench  # noqa: E402
from bench_consolidate import CHANGED, PERIOD, corrected  # noqa: E402

NAIVE = """\
import sys, io
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
n = int(sys.argv[1])
size = 0
for i in range(n):
    fig, ax = plt.subplots(figsize=(16 / 2.54, 7 / 2.54), layout="constrained")
    years = [2022, 2023, 2024, 2025, 2026]
    ax.plot(years, [80 + (i * 7 + k * 3) % 11 for k in range(5)], marker="o", label="Utfall")
    ax.axhline(85, linestyle="--", label="Målvärde")
    ax.set_title(f"Indikator {i + 1}")
    ax.set_ylabel("%")
    ax.legend(loc="lower right")
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150)
    plt.close(fig)
    size += len(out.getvalue())
print(n, size)
"""


def charts_in(docx: Path) -> int:
    with zipfile.ZipFile(docx) as z:
        return sum(1 for n in z.namelist() if n.startswith("word/media/"))


def main() -> int:
    parser = _bench.storstad_parser(__doc__, "render.json")
    parser.add_argument("--no-cycle", action="store_true", help="leave out the whole cycle")
    parser.add_argument("--only-cycle", action="store_true",
                        help="the whole cycle and its floor only")
    opts = parser.parse_args()
    source = _bench.storstad(opts.project)
    _bench.compile_bytecode()
    rk = _bench.reportkit_command()
    rounds = _bench.Rounds()
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        work = Path(tmp)
        log = work / "render.log"
        alt = corrected(source, work)
        base = _bench.fresh_copy(source, work / "konsoliderad")
        print("Sammanställer en kopia av Storstad (inte tidtaget) …", flush=True)
        subprocess.run([*rk, "consolidate", str(base), "--period", PERIOD],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        render = [*rk, "render", "arsredovisning", str(base), "--period", PERIOD]
        first = _bench.run_once(render, log)
        docs = sorted((base / "rapporter" / PERIOD).glob("*.docx"))
        if first["exit"] != 0 or not docs:
            print(f"render misslyckades (slutkod {first['exit']}); se {log}:")
            print(log.read_text(encoding="utf-8", errors="replace")[-3000:])
            return 1
        n_charts = charts_in(docs[0])
        print(f"Årsredovisningen: {docs[0].name}, {n_charts} diagram, första render "
              f"{first['wall']:.1f} s", flush=True)
        # "; ": consolidate ends with 1 when a workbook has fel, and the cycle goes on; each
        # period consolidated before its document (render refuses one that never was)
        cycle_script = "; ".join(
            shlex.join([*rk, *command, "$P", "--period", period]).replace("'$P'", '"$P"')
            for doc, period in (("arsredovisning", PERIOD), ("delarsrapport", "2026-delår"),
                                ("verksamhetsplan", "2026-plan"))
            for command in (["consolidate"], ["render", doc]))
        for i in range(opts.runs):
            if not opts.only_cycle:
                rounds.add("naiv (matplotlib)", _bench.run_once(
                    [sys.executable, "-c", NAIVE, str(n_charts)]))
                shutil.rmtree(base / "rapporter", ignore_errors=True)
                shutil.rmtree(base / ".cache", ignore_errors=True)
                rounds.add("render kall", _bench.run_once(render, log))
                # one enhet changed: a corrected workbook the store has not seen is
                # consolidated (untimed), then render
                shutil.copyfile(alt if i == 0 else corrected(source, work, 100 + i),
                                base / "inkommet" / PERIOD / CHANGED)
                subprocess.run([*rk, "consolidate", str(base), "--period", PERIOD],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                rounds.add("render en enhet ändrad", _bench.run_once(render, log))
            if not opts.no_cycle:
                fresh = _bench.fresh_copy(source, work / "cykel")
                rounds.add("golv (calamine, 2 proc)", _bench.run_once(
                    [sys.executable, "-c", _bench.CALAMINE_FLOOR,
                     str(source / "inkommet" / PERIOD)]))
                rounds.add("cykel (3 dokument, docx)", _bench.run_once(
                    ["sh", "-c", f'P="$1"; {cycle_script}', "sh", str(fresh)], log))
            print(f"  runda {i + 1}: " + ", ".join(
                f"{name} {rs[-1]['wall']:.2f} s" for name, rs in rounds.runs.items()),
                flush=True)
    floors = {} if opts.only_cycle else {"render kall": "naiv (matplotlib)",
                                         "render en enhet ändrad": "naiv (matplotlib)"}
    if not opts.no_cycle:
        floors["cykel (3 dokument, docx)"] = "golv (calamine, 2 proc)"
    print(f"\n{opts.runs} rundor; årsredovisningen har {n_charts} diagram")
    print(rounds.table(floors))
    _bench.write_json(opts.json, {
        "what": "reportkit render arsredovisning on Storstad vs naive matplotlib charts; the "
                "whole cycle vs the reading floor; whole processes, in turn each round",
        "period": PERIOD, "charts": n_charts, "changed_file": CHANGED,
        "first_render": first, "rounds": opts.runs, **rounds.results(floors)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
