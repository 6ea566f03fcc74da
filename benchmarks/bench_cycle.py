"""Time the whole cycle on Storstad with PDFs, as one whole process, beside the reading floor.

    python benchmarks/bench_cycle.py                  # 3 rounds; Storstad made if missing
    python benchmarks/bench_cycle.py --runs 1 --project /tmp/storstad --keep /tmp/cykel-docx
    python benchmarks/bench_cycle.py --no-one-call     # only the cycle with three render calls
    python benchmarks/bench_cycle.py --only-delar      # only the delår's cycle (delårsrapport)

The issue's "whole cycle: workbooks in → consolidated → three PDFs", target within 45 s.

Set-up, not timed: the Storstad project (benchmarks/storstad.py), reportkit's bytecode
compiled, a fresh copy of the project per round (no store, no outputs).

Each round, in turn (a ratio is taken within a round):

- ``golv (calamine, 2 proc)``: one process that reads every sheet of every workbook of
  ``inkommet/2026-helår/`` (and ``inkommet/2026-delår/`` when Storstad has it) with
  python-calamine in 2 worker processes (bench_consolidate.py's floor);
- ``cykel (3 render, pdf)``: one process (a small Python driver) that runs, one after the
  other on the fresh copy, ``reportkit consolidate`` and ``reportkit render --pdf`` of
  årsredovisning (2026-helår), delårsrapport (2026-delår) and verksamhetsplan (2026-plan), as
  a user would type them (each period consolidated before its document: render refuses a
  period that was never consolidated; a step that fails stops the benchmark). The whole
  process is timed; the driver also records each step's wall time, CPU (user + sys of the
  step and its children) and peak memory, and splits each render into its .docx part
  (start until the .docx is written, by its mtime) and its PDF part (from then until the
  command ends);
- ``cykel (1 render, pdf)`` (unless ``--no-one-call``): the same on another fresh copy, the
  three periods consolidated first and the three documents in one ``reportkit render
  verksamhetsplan delarsrapport arsredovisning PROJEKT --pdf`` (each for its own period, one
  LibreOffice for the three PDFs).

- ``cykel delår (pdf)`` (when Storstad has ``inkommet/2026-delår/``): the peak of the year,
  the statutory delårsrapport in September, on its own fresh copy: ``reportkit consolidate
  --period 2026-delår`` of the delår's workbooks (with prognos) and ``reportkit render
  delarsrapport --period 2026-delår --pdf`` (with its koncern part), beside ``golv delår
  (calamine, 2 proc)``, the floor reading the delår's workbooks; ``--only-delar`` runs only
  this one.

After the first round (not timed) the three PDFs are checked with ``reportkit pdfcheck``
(PDF/UA-1 and PDF/A-2b). Prints the table, the steps, and writes JSON (default
benchmarks/results/cycle-pdf.json). ``--keep DIR`` copies the last round's documents (.docx
and .pdf) to DIR, for example for ``bench_pdf.py --docx DIR``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _bench  # noqa: E402

PERIOD = "2026-helår"
DOCUMENTS = (("arsredovisning", "2026-helår"), ("delarsrapport", "2026-delår"),
             ("verksamhetsplan", "2026-plan"))

# The timed process: runs the steps in turn and writes their figures as JSON.
# argv: the JSON file to write, then one JSON list per step (its argv, the last item the
# project folder).
DRIVER = """\
import json, os, subprocess, sys, time
out = sys.argv[1]
steps = []
for spec in sys.argv[2:]:
    args = json.loads(spec)
    started_wall = time.time()
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    steps.append({"args": args[1:], "started": started_wall,
                  "wall": time.perf_counter() - started,
                  "cpu": usage.ru_utime + usage.ru_stime, "user": usage.ru_utime,
                  "sys": usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024,
                  "exit": os.waitstatus_to_exitcode(status)})
with open(out, "w", encoding="utf-8") as f:
    json.dump(steps, f)
"""

CYCLE = "cykel (3 render, pdf)"
ONE_CALL = "cykel (1 render, pdf)"
FLOOR = "golv (calamine, 2 proc)"
DELAR_CYCLE = "cykel delår (pdf)"
DELAR_FLOOR = "golv delår (calamine, 2 proc)"
DELAR = "2026-delår"


def step_commands(rk: list[str], project: Path, one_call: bool = False, delar: bool = False
                  ) -> list[tuple[str, list[str]]]:
    """The cycle's commands as a user types them: each document's period consolidated
    (render refuses a period that never was), then rendered with ``--pdf``; with
    ``one_call`` the three consolidations first and one render command for the three; with
    ``delar`` only the delår's consolidation and its delårsrapport."""
    def consolidate(period: str) -> tuple[str, list[str]]:
        return (f"consolidate {period}", [*rk, "consolidate", str(project), "--period", period])

    if delar:  # the statutory delårsrapport in September, with its koncern part
        return [consolidate(DELAR), ("render delarsrapport", [
            *rk, "render", "delarsrapport", str(project), "--period", DELAR, "--pdf"])]
    if one_call:
        return [*(consolidate(period) for _, period in DOCUMENTS),
                ("render (3 dokument)", [*rk, "render", *(d for d, _ in DOCUMENTS),
                                         str(project), "--pdf"])]
    steps: list[tuple[str, list[str]]] = []
    for doc, period in DOCUMENTS:
        steps += [consolidate(period),
                  (f"render {doc}", [*rk, "render", doc, str(project), "--period", period,
                                     "--pdf"])]
    return steps


def failed_steps(steps: list[dict]) -> list[str]:
    """The steps that did not do their work: a render with any exit code but 0, a
    consolidate that could not run (2; 1 only says some unit's file has fel)."""
    return [f"{s['step']} (slutkod {s['exit']})" for s in steps
            if s["exit"] != 0 and not (s["step"].startswith("consolidate") and s["exit"] == 1)]


def split_render(step: dict, project: Path, doc: str, period: str) -> None:
    """Add the .docx and PDF parts of a render step, from the files' modification times."""
    folder = project / "rapporter" / period
    docx = sorted(folder.glob(f"{doc}*.docx"))
    pdf = sorted(folder.glob(f"{doc}*.pdf"))
    step["pdf_written"] = bool(pdf)
    if docx:
        docx_at = docx[0].stat().st_mtime - step["started"]
        step["docx_part"] = docx_at
        step["pdf_part"] = step["wall"] - docx_at
        step["docx_bytes"] = docx[0].stat().st_size
    if pdf:
        step["pdf_bytes"] = pdf[0].stat().st_size


def main() -> int:
    parser = _bench.storstad_parser(__doc__, "cycle-pdf.json")
    parser.add_argument("--keep", type=Path, help="copy the last round's documents here")
    parser.add_argument("--no-one-call", action="store_true",
                        help="leave out the cycle with one render command for the three")
    parser.add_argument("--only-delar", "--bara-delår", action="store_true",
                        help="only the delår's cycle (consolidate 2026-delår and render "
                             "delarsrapport --pdf)")
    opts = parser.parse_args()
    source = _bench.storstad(opts.project)
    # the floor reads every workbook the cycle consolidates (helår, and delår when present)
    inboxes = [str(source / "inkommet" / period) for _, period in DOCUMENTS
               if (source / "inkommet" / period).is_dir()]
    _bench.compile_bytecode()
    rk = _bench.reportkit_command()
    rounds = _bench.Rounds()
    steps_per_round: dict[str, list[list[dict]]] = {}
    checked: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="bench-cycle-") as tmp:
        work = Path(tmp)
        log = work / "cycle.log"
        delar_inbox = source / "inkommet" / DELAR
        if opts.only_delar and not any(delar_inbox.glob("*.xlsx")):
            raise SystemExit(f"{delar_inbox}: inga styrkort (skapa Storstad med delåret)")
        cycles = [] if opts.only_delar else [CYCLE] if opts.no_one_call else [CYCLE, ONE_CALL]
        if any(delar_inbox.glob("*.xlsx")):
            cycles.append(DELAR_CYCLE)
        for i in range(opts.runs):
            if cycles != [DELAR_CYCLE]:
                rounds.add(FLOOR, _bench.run_once([sys.executable, "-c",
                                                   _bench.CALAMINE_FLOOR, *inboxes]))
            if DELAR_CYCLE in cycles:
                rounds.add(DELAR_FLOOR, _bench.run_once([sys.executable, "-c",
                                                         _bench.CALAMINE_FLOOR,
                                                         str(delar_inbox)]))
            projects: dict[str, Path] = {}
            for cycle in cycles:
                project = projects[cycle] = _bench.fresh_copy(
                    source, work / f"cykel-{len(projects)}")
                named = step_commands(rk, project, one_call=cycle == ONE_CALL,
                                      delar=cycle == DELAR_CYCLE)
                figures = work / "steps.json"
                rounds.add(cycle, _bench.run_once(
                    [sys.executable, "-c", DRIVER, str(figures),
                     *(json.dumps(args) for _, args in named)], log))
                steps = json.loads(figures.read_text(encoding="utf-8"))
                for (name, _), step in zip(named, steps, strict=True):
                    step["step"] = name
                if failed_steps(steps):
                    raise SystemExit(f"{cycle}: misslyckades: {', '.join(failed_steps(steps))}"
                                     f" (se {log})")
                if cycle == CYCLE:
                    renders = [s for s in steps if s["step"].startswith("render")]
                    for step, (doc, period) in zip(renders, DOCUMENTS, strict=True):
                        split_render(step, project, doc, period)
                steps_per_round.setdefault(cycle, []).append(steps)
                floor = DELAR_FLOOR if cycle == DELAR_CYCLE else FLOOR
                print(f"  runda {i + 1}: golv {rounds.runs[floor][-1]['wall']:.2f} s, {cycle} "
                      f"{rounds.runs[cycle][-1]['wall']:.2f} s (" + ", ".join(
                          f"{s['step']} {s['wall']:.1f} s" for s in steps) + ")", flush=True)
            if i == 0:  # the PDFs pass, and one render call makes the same bytes
                made = {cycle: [p for doc, period in DOCUMENTS for p in sorted(
                    (folder / "rapporter" / period).glob(f"{doc}*.pdf"))]
                    for cycle, folder in projects.items() if cycle != DELAR_CYCLE}
                made = made or {DELAR_CYCLE: sorted(
                    (projects[DELAR_CYCLE] / "rapporter" / DELAR).glob("delarsrapport*.pdf"))}
                pdfs = [p for paths in made.values() for p in paths]
                done = subprocess.run([*rk, "pdfcheck", *map(str, pdfs)], capture_output=True,
                                      text=True)
                same = len({tuple(p.read_bytes() for p in paths) for paths in made.values()})
                checked = {"pdfs": [str(p.relative_to(work)) for p in pdfs],
                           "exit": done.returncode,
                           "output": done.stdout.strip().splitlines()[-10:],
                           "same_bytes_in_every_cycle": same == 1}
                print(f"  pdfcheck av {len(pdfs)} PDF: slutkod {done.returncode}; samma "
                      f"byte i båda cyklerna: {'ja' if same == 1 else 'NEJ'}", flush=True)
            if opts.keep and i == opts.runs - 1:  # the three documents' cycle's
                opts.keep.mkdir(parents=True, exist_ok=True)
                kept = projects[cycles[0]]
                for doc, period in DOCUMENTS:
                    for p in (kept / "rapporter" / period).glob(f"{doc}*.*"):
                        shutil.copy2(p, opts.keep / p.name)

    print(f"\n{opts.runs} rundor, Storstad {source}")
    floors = {name: DELAR_FLOOR if name == DELAR_CYCLE else FLOOR
              for name in (CYCLE, ONE_CALL, DELAR_CYCLE) if name in rounds.runs}
    cycles = list(floors)
    print(rounds.table(floors))
    step_summary: dict[str, dict] = {}
    for cycle in cycles:
        print(f"\n{cycle:26} {'median s':>9} {'min–max s':>17} {'cpu s':>8} {'MiB':>6} "
              f"{'docx s':>7} {'pdf s':>7}")
        per_round = steps_per_round[cycle]
        summary = step_summary[cycle] = {}
        for k, name in enumerate(s["step"] for s in per_round[0]):
            runs = [r[k] for r in per_round]
            summary[name] = {figure: _bench.stats([r[figure] for r in runs])
                             for figure in ("wall", "cpu", "peak_mib", "docx_part",
                                            "pdf_part") if figure in runs[0]}
            w = summary[name]["wall"]
            parts = "".join(f" {summary[name][p]['median']:7.2f}"
                            if p in summary[name] else f" {'':7}"
                            for p in ("docx_part", "pdf_part"))
            print(f"  {name:24} {w['median']:9.2f} {w['min']:8.2f}–{w['max']:<8.2f} "
                  f"{summary[name]['cpu']['median']:8.2f} "
                  f"{summary[name]['peak_mib']['median']:6.0f}{parts}")
    _bench.write_json(opts.json, {
        "what": "the whole cycle on a fresh Storstad copy (consolidate, then render --pdf of "
                "årsredovisning, delårsrapport, verksamhetsplan) as one process vs the reading "
                "floor; in turn each round",
        "period": PERIOD, "documents": [list(d) for d in DOCUMENTS], "rounds": opts.runs,
        **rounds.results(floors),
        "steps": step_summary, "pdfcheck_first_round": checked,
        "steps_per_round": steps_per_round})
    return 0


if __name__ == "__main__":
    sys.exit(main())
