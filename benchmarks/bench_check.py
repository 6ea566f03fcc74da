"""Time ``reportkit check`` as whole processes, side by side with its floors, in the same run.

    python benchmarks/bench_check.py                       # 10 counted runs after 1 warm-up
    python benchmarks/bench_check.py --runs 20 --json benchmarks/results/check-x.json

Set-up (not timed, in a child process so this one stays small): the period's styrkort for
every Exempelkommun unit (88 for 2026-delår) are generated and filled by
``reportkit.demo.simulate.fill_workbooks`` (with its usual share of mistakes) into a temporary
folder, and reportkit's bytecode is compiled (``compileall``, as ``pip install`` does), so a
run never pays for compiling a module whose ``.pyc`` is missing (with
``PYTHONDONTWRITEBYTECODE`` set, nothing else would write them).

Timed, each a whole process started from here, all six in turn in every round (so a ratio is
taken within a round and holds when the machine's speed drifts):

- ``python``: ``python -c pass``, the interpreter alone;
- ``import``: ``python -c "import reportkit.intake.check"``, what the check path must import;
- ``calamine 1`` / ``calamine all``: a process that imports only python_calamine and reads
  every sheet of the file(s), the floor for reading;
- ``check 1`` / ``check all``: the ``reportkit`` command, ``reportkit check FILE…``, as a unit
  runs it (one typical enhet workbook; all files of the period in one call).

``--in-process`` measures instead what consolidate's workers spend per file: CPU seconds
(``time.process_time``) of ``check_file`` in one process over a fixed random sample (seed 16,
300 files) of Storstad's ``inkommet/2026-helår`` (``--project``, default
``benchmarks/.storstad``), after 20 uncounted files, best of ``--runs`` passes (default 3):

    python benchmarks/bench_check.py --in-process

Wall time from a monotonic clock around start and reaping; user+sys CPU and peak memory from
``os.wait4``. Prints median and min–max per command and the ratios check/floor (median of the
per-round ratios), and writes everything as JSON. The issue's target: ``check 1`` within
0.15 s. On a shared machine quote medians and ratios; a wide min–max means noise.
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
PERIOD = "2026-delår"
ONE = "solrosens-forskola.xlsx"  # a typical enhet workbook
TARGET_ONE_FILE_S = 0.15

CALAMINE_READ = """\
import sys
from python_calamine import CalamineWorkbook
cells = 0
for path in sys.argv[1:]:
    wb = CalamineWorkbook.from_path(path)
    for name in wb.sheet_names:
        cells += sum(len(row) for row in wb.get_sheet_by_name(name).to_python(
            skip_empty_area=False))
print(cells)
"""

RATIOS = (("check 1", "calamine 1"), ("check 1", "import"), ("check all", "calamine all"),
          ("import", "python"))


def run_once(args: list[str]) -> dict[str, float]:
    """Run ``args`` to its end: wall, user, sys, cpu (s), peak memory (MiB), exit code."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    return {"wall": wall, "user": usage.ru_utime, "sys": usage.ru_stime,
            "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024,
            "exit": os.waitstatus_to_exitcode(status)}


def prepare(work: Path) -> None:
    """Generate and fill every unit's workbook of :data:`PERIOD` into ``work/inkommet``."""
    from reportkit.demo.simulate import fill_workbooks
    from reportkit.outputs.outbox import generate_workbooks

    generated = generate_workbooks(REPO / "fixtures" / "exempelkommun", PERIOD,
                                   out_dir=work / "utskick")
    fill_workbooks(generated, work / "inkommet")


def filled_workbooks(work: Path) -> list[Path]:
    """:func:`prepare` in a child process, and reportkit's bytecode compiled; the files."""
    subprocess.run([sys.executable, __file__, "--prepare", str(work)], check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "reportkit")],
                   check=True)
    return sorted((work / "inkommet").glob("*.xlsx"))


def reportkit_command() -> str:
    """The ``reportkit`` console script of this Python (what a unit types)."""
    beside = Path(sys.executable).parent / "reportkit"
    found = str(beside) if beside.exists() else shutil.which("reportkit")
    if not found:
        raise SystemExit("reportkit saknas: installera paketet (pip install -e .)")
    return found


def import_profile(command: list[str]) -> list[dict[str, object]]:
    """Top-level imports of ``command`` by cumulative time (``python -X importtime``)."""
    done = subprocess.run([sys.executable, "-X", "importtime", *command], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)
    top = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|", 2)
        if cumulative.strip().isdigit() and not name.startswith("  "):  # depth 0 only
            top.append({"module": name.strip(), "cumulative_ms": int(cumulative) / 1000})
    return sorted(top, key=lambda m: -float(m["cumulative_ms"]))[:15]  # type: ignore[arg-type]


def in_process(project: Path, runs: int, sample_size: int = 300) -> int:
    """ms CPU per ``check_file`` over a fixed random sample of Storstad's workbooks."""
    import random

    from reportkit.intake.check import check_file

    folder = project / "inkommet" / "2026-helår"
    files = sorted(folder.glob("*.xlsx"))
    if len(files) < sample_size:
        raise SystemExit(f"{folder}: färre än {sample_size} arbetsböcker "
                         "(skapa Storstad med python benchmarks/storstad.py)")
    sample = random.Random(16).sample(files, sample_size)
    for path in sample[:20]:
        check_file(path, expected_period="2026-helår")
    per_file = []
    for _ in range(runs):
        started = time.process_time()
        for path in sample:
            check_file(path, expected_period="2026-helår")
        per_file.append((time.process_time() - started) / sample_size * 1000)
    print(f"check_file i processen: {sample_size} Storstad-filer, {runs} varv: "
          f"bäst {min(per_file):.2f} ms CPU per fil (alla: "
          + ", ".join(f"{ms:.2f}" for ms in per_file) + f"); belastning {os.getloadavg()[0]:.1f}")
    return 0


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="counted rounds (default 10)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted rounds (default 1)")
    parser.add_argument("--json", type=Path, default=RESULTS / "check.json",
                        help="where to write the results (default benchmarks/results/check.json)")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--in-process", action="store_true",
                        help="ms CPU per check_file over 300 Storstad files, in this process")
    parser.add_argument("--project", type=Path, default=REPO / "benchmarks" / ".storstad",
                        help="the Storstad project for --in-process")
    opts = parser.parse_args()
    if opts.prepare:
        prepare(opts.prepare)
        return 0
    if opts.in_process:
        return in_process(opts.project, runs=opts.runs if opts.runs != 10 else 3)

    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp_name:
        work = Path(tmp_name)
        print(f"Skapar och fyller i styrkorten för {PERIOD} …", flush=True)
        files = filled_workbooks(work)
        one = next(f for f in files if f.name == ONE)
        names = [str(f) for f in files]
        py = sys.executable
        rk = reportkit_command()
        commands = {
            "python": [py, "-c", "pass"],
            "import": [py, "-c", "import reportkit.intake.check"],
            "calamine 1": [py, "-c", CALAMINE_READ, str(one)],
            "check 1": [rk, "check", str(one)],
            "calamine all": [py, "-c", CALAMINE_READ, *names],
            "check all": [rk, "check", *names],
        }
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
        for i in range(opts.warmup + opts.runs):
            this = {name: run_once(cmd) for name, cmd in commands.items()}
            label = "warm-up" if i < opts.warmup else f"runda {i - opts.warmup + 1}"
            print(f"  {label}: check 1 {this['check 1']['wall']:.3f} s, "
                  f"check all {this['check all']['wall']:.3f} s", flush=True)
            if i >= opts.warmup:
                for name, run in this.items():
                    runs[name].append(run)
        imports = import_profile(["-m", "reportkit.cli", "check", str(one)])
        sizes = [f.stat().st_size for f in files]

    rounds = len(runs["python"])
    summary = {name: {figure: stats([r[figure] for r in rs])
                      for figure in ("wall", "cpu", "peak_mib")} for name, rs in runs.items()}
    def ratio(a: str, b: str) -> dict[str, float]:
        return stats([runs[a][i]["wall"] / runs[b][i]["wall"] for i in range(rounds)])

    ratios = {f"{a} / {b}": ratio(a, b) for a, b in RATIOS}
    floor_of = {"check 1": "calamine 1", "check all": "calamine all", "import": "python",
                "calamine 1": "python", "calamine all": "python"}

    print(f"\n{rounds} rundor, alla kommandon i tur i varje runda; {len(files)} filer "
          f"({sum(sizes) / 1024:.0f} KiB), en fil = {ONE}")
    print(f"{'kommando':14} {'median s':>9} {'min–max s':>15} {'cpu s':>7} {'MiB':>6} "
          f"{'× golv':>7}  golv")
    for name in commands:
        w = summary[name]["wall"]
        floor = floor_of.get(name)
        times = f"{ratio(name, floor)['median']:7.2f}" if floor else ""
        print(f"{name:14} {w['median']:9.3f} {w['min']:7.3f}–{w['max']:<7.3f} "
              f"{summary[name]['cpu']['median']:7.3f} {summary[name]['peak_mib']['median']:6.1f} "
              f"{times:>7}  {floor or ''}")
    print("\nkvoter (median av kvoten per runda, min–max):")
    for label, s in ratios.items():
        print(f"  {label:28} {s['median']:6.2f}  ({s['min']:.2f}–{s['max']:.2f})")
    one_s = summary["check 1"]["wall"]["median"]
    verdict = "inom" if one_s <= TARGET_ONE_FILE_S else "över"
    print(f"\ncheck av en fil: {one_s:.3f} s (median), {verdict} målet {TARGET_ONE_FILE_S} s")
    print("största importerna i check (kumulativ ms): " + ", ".join(
        f"{m['module']} {m['cumulative_ms']:.0f}" for m in imports[:6]))

    result = {
        "what": "reportkit check vs bare python-calamine read vs import floor, whole processes",
        "date_utc": f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}",
        "machine": {"cores": os.cpu_count(), "load_average_at_end": os.getloadavg(),
                    "python": platform.python_version(), "platform": platform.platform()},
        "commit": subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True).stdout.strip(),
        "period": PERIOD, "files": len(files), "bytes": sum(sizes), "one_file": ONE,
        "commands": {name: [Path(a).name if a in (py, rk) else a for a in cmd[:3]]
                     + ([f"<{len(cmd) - 3} filer>"] if len(cmd) > 3 else [])
                     for name, cmd in commands.items()},
        "rounds": rounds, "warmup": opts.warmup,
        "summary": summary, "ratios_wall": ratios,
        "exit_codes": {name: sorted({int(r["exit"]) for r in rs}) for name, rs in runs.items()},
        "target_one_file_s": TARGET_ONE_FILE_S,
        "imports_of_check_1": imports,
        "runs": runs,
    }
    opts.json.parent.mkdir(parents=True, exist_ok=True)
    opts.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    print(f"\nSkrev {opts.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
