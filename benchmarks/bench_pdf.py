"""Time reportkit's PDF step against plain LibreOffice, as whole processes.

    python benchmarks/bench_pdf.py                 # renders the demo's three .docx first (~40 s)
    python benchmarks/bench_pdf.py --docx DIR      # every DIR/*.docx
    python benchmarks/bench_pdf.py --runs 7 --warmup 1 --json benchmarks/results/pdf-x.json

Storstad's documents: ``python benchmarks/bench_cycle.py --runs 1 --keep DIR`` leaves them in
DIR; then ``--docx DIR`` (all three in one call) or a folder with the årsredovisning alone.

A = ``python -m reportkit.documents.pdf --out OUT a.docx b.docx c.docx``: the whole PDF step
(one UNO-driven LibreOffice with a new private profile, TOC update, pikepdf, page-validation).
B = ``soffice -env:UserInstallation=… --headless --convert-to pdf --outdir OUT`` of the same
files: plain export, no TOC update, no tagging or PDF/A, no checks, with a profile kept warm
across runs (the warm-up run creates it), which is the best case for B.

A and B run in turn (A B A B …) after the warm-up, each into a new output folder; the ratio
A/B is taken pair by pair, so that it holds when the machine's speed drifts. Wall time comes
from a monotonic clock around start and reaping; user/sys CPU and peak memory (largest
single process) from ``os.wait4`` of the child, which includes the descendants it waited
for. Prints a table (median and min–max) and writes the runs and the summary as JSON.
Quote medians and the ratio of the same run; on a shared machine a wide min–max means noise.
Last, one more conversion in this process prints where A's time goes
(``PdfResult.timeline``: soffice ready, each document converted, post-processed, checked).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"


def run_once(args: list[str], log: Path) -> dict[str, float]:
    """Run ``args`` to its end; wall, user, sys (s) and peak memory (MiB) of the process tree."""
    with log.open("ab") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "user": usage.ru_utime, "sys": usage.ru_stime,
            "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024,
            "exit": proc.returncode}


def demo_docx(work: Path) -> list[Path]:
    """Render the demo (without PDFs) and return its three .docx."""
    out = work / "demo"
    print("Renderar demons dokument (utan PDF) …", flush=True)
    subprocess.run([sys.executable, "-m", "reportkit.cli", "demo", "--no-pdf", "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    return sorted((out / "rapporter").glob("*/*.docx"))


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def soffice_version(soffice: str) -> str:
    try:
        done = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return done.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docx", type=Path, help="folder with the .docx files (default: demo)")
    parser.add_argument("--runs", type=int, default=5, help="counted runs of each (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted runs first (default 1)")
    parser.add_argument("--json", type=Path, help="where to write the results "
                        "(default benchmarks/results/pdf-<UTC time>.json)")
    opts = parser.parse_args()

    soffice = os.environ.get("REPORTKIT_SOFFICE") or shutil.which("soffice")
    if not soffice:
        print("soffice saknas: installera LibreOffice", file=sys.stderr)
        return 2
    load_at_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp_name:
        work = Path(tmp_name)
        sources = sorted(opts.docx.glob("*.docx")) if opts.docx else demo_docx(work)
        if not sources:
            print("inga .docx-filer hittades", file=sys.stderr)
            return 2
        docx = work / "docx"
        docx.mkdir()
        files = [Path(shutil.copy2(src, docx / src.name)) for src in sources]
        profile = (work / "soffice-profile").as_uri()
        log = work / "log.txt"

        def command_a(out: Path) -> list[str]:
            return [sys.executable, "-m", "reportkit.documents.pdf", "--out", str(out),
                    *map(str, files)]

        def command_b(out: Path) -> list[str]:
            return [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(out), *map(str, files)]

        runs: list[dict[str, dict[str, float]]] = []
        total = opts.warmup + opts.runs
        for i in range(total):
            pair = {}
            for name, command in (("A", command_a), ("B", command_b)):
                out = work / f"out-{name}-{i}"
                pair[name] = run_once(command(out), log)
                made = sorted(p.name for p in out.glob("*.pdf"))
                if len(made) != len(files):
                    print(f"{name} run {i} wrote {made} (exit {pair[name]['exit']}); "
                          f"log:\n{log.read_text(errors='replace')[-2000:]}", file=sys.stderr)
                    return 1
                shutil.rmtree(out)
            label = "warm-up" if i < opts.warmup else f"run {i - opts.warmup + 1}"
            print(f"  {label}: A {pair['A']['wall']:.2f} s (exit {pair['A']['exit']:g}), "
                  f"B {pair['B']['wall']:.2f} s", flush=True)
            if i >= opts.warmup:
                runs.append(pair)
        a_exit = {int(r["A"]["exit"]) for r in runs}

        from reportkit.documents.pdf import convert_to_pdf

        phases = convert_to_pdf(files, work / "out-phases")
        timeline = [{"seconds": t, "event": event} for t, event in phases.timeline]

    result: dict[str, object] = {
        "what": "reportkit PDF step (A) vs soffice --headless --convert-to pdf (B), same files",
        "machine": {"cores": os.cpu_count(), "load_average_at_start": load_at_start,
                    "load_average_at_end": os.getloadavg(),
                    "python": platform.python_version(), "libreoffice": soffice_version(soffice)},
        "commit": subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True).stdout.strip(),
        "documents": [{"name": f.name, "bytes": f.stat().st_size} for f in sources],
        "runs_counted": opts.runs, "warmup": opts.warmup, "a_exit_codes": sorted(a_exit),
        "runs": runs,
        "summary": {},
        "timeline_of_one_a_run": timeline,
    }
    table = []
    for figure in ("wall", "cpu", "peak_mib"):
        for name in ("A", "B"):
            stats = summary([r[name][figure] for r in runs])
            result["summary"][f"{name}_{figure}"] = stats  # type: ignore[index]
            table.append((f"{name} {figure}", stats))
        if figure != "peak_mib":
            stats = summary([r["A"][figure] / r["B"][figure] for r in runs])
            result["summary"][f"ratio_{figure}"] = stats  # type: ignore[index]
            table.append((f"A/B {figure}", stats))

    print(f"\n{len(runs)} runs each, A B A B …; {len(sources)} documents; "
          f"A exit codes {sorted(a_exit)} (0 = every PDF passes ua1 and 2b)")
    print(f"{'':12} {'median':>9} {'min':>9} {'max':>9}")
    for label, stats in table:
        print(f"{label:12} {stats['median']:9.3f} {stats['min']:9.3f} {stats['max']:9.3f}")
    print("\nOne A run inside this process (s since start):")
    for item in timeline:
        print(f"  {item['seconds']:6.2f}  {item['event']}")
    path = opts.json or RESULTS / f"pdf-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nSkrev {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
