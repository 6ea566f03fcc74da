"""What the Storstad benchmarks share: timing a whole process, summaries, the table, the JSON.

Wall time from a monotonic clock around start and reaping; user+sys CPU and peak memory
(largest single process among those waited for) from ``os.wait4``, as in bench_check.py and
bench_pdf.py. Every command of a benchmark runs once per round, in turn, so that a ratio is
taken within a round and holds when the machine's speed drifts.
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
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"

# The floor for reading: every sheet of every workbook in a folder, python-calamine only,
# in 2 worker processes. argv: one or more folders.
CALAMINE_FLOOR = """\
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from python_calamine import CalamineWorkbook

def read(path):
    wb = CalamineWorkbook.from_path(path)
    return sum(sum(len(r) for r in wb.get_sheet_by_name(n).to_python(skip_empty_area=False))
               for n in wb.sheet_names)

if __name__ == "__main__":
    files = sorted(str(p) for d in sys.argv[1:] for p in Path(d).glob("*.xlsx"))
    with ProcessPoolExecutor(2) as pool:
        print(len(files), sum(pool.map(read, files, chunksize=32)))
"""


def run_once(args: list[str], log: Path | None = None,
             env: dict[str, str] | None = None) -> dict[str, float]:
    """Run ``args`` to its end: wall, user, sys, cpu (s), peak memory (MiB), exit code."""
    out = log.open("ab") if log else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    finally:
        if log:
            out.close()  # type: ignore[union-attr]
    return {"wall": wall, "user": usage.ru_utime, "sys": usage.ru_stime,
            "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024,
            "exit": os.waitstatus_to_exitcode(status)}


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def reportkit_command() -> list[str]:
    """``reportkit`` as a user runs it: the console script beside this Python."""
    beside = Path(sys.executable).parent / "reportkit"
    found = str(beside) if beside.exists() else shutil.which("reportkit")
    if not found:
        raise SystemExit("reportkit saknas: installera paketet (pip install -e .)")
    return [found]


def compile_bytecode() -> None:
    """Compile reportkit's bytecode, as pip install does, so no run pays for it."""
    import reportkit

    subprocess.run([sys.executable, "-m", "compileall", "-q",
                    str(Path(reportkit.__file__).parent)], check=True)


class Rounds:
    """Runs of named commands, round by round; ``before`` hooks prepare a run untimed."""

    def __init__(self) -> None:
        self.runs: dict[str, list[dict[str, float]]] = {}

    def add(self, name: str, run: dict[str, float]) -> None:
        self.runs.setdefault(name, []).append(run)

    def ratio(self, a: str, b: str) -> dict[str, float]:
        pairs = zip(self.runs[a], self.runs[b], strict=False)
        return stats([x["wall"] / y["wall"] for x, y in pairs])

    def summary(self) -> dict[str, dict[str, dict[str, float]]]:
        return {name: {figure: stats([r[figure] for r in rs])
                       for figure in ("wall", "cpu", "peak_mib")}
                for name, rs in self.runs.items()}

    def results(self, floors: dict[str, str]) -> dict[str, object]:
        """What each benchmark's JSON holds of its rounds: the summary, each command's wall
        ratio to its floor (``"a / floor"``), the exit codes and every run."""
        return {"summary": self.summary(),
                "ratios_wall": {f"{a} / {b}": self.ratio(a, b) for a, b in floors.items()},
                "exit_codes": {n: sorted({int(r["exit"]) for r in rs})
                               for n, rs in self.runs.items()},
                "runs": self.runs}

    def table(self, floors: dict[str, str]) -> str:
        """Median and min–max wall, CPU, peak memory and the ratio to its floor per command."""
        lines = [f"{'kommando':26} {'median s':>9} {'min–max s':>17} {'cpu s':>8} "
                 f"{'MiB':>6} {'× golv':>7}  golv"]
        summary = self.summary()
        for name in self.runs:
            w = summary[name]["wall"]
            floor = floors.get(name)
            times = f"{self.ratio(name, floor)['median']:7.2f}" if floor else ""
            lines.append(f"{name:26} {w['median']:9.3f} {w['min']:8.3f}–{w['max']:<8.3f} "
                         f"{summary[name]['cpu']['median']:8.2f} "
                         f"{summary[name]['peak_mib']['median']:6.0f} {times:>7}  "
                         f"{floor or ''}")
        return "\n".join(lines)


def storstad_parser(doc: str, json_name: str) -> argparse.ArgumentParser:
    """The options every Storstad benchmark takes: ``--runs``, ``--project``, ``--json``."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="counted rounds (default 3)")
    parser.add_argument("--project", type=Path, help="a Storstad project (default "
                        "benchmarks/.storstad, generated when missing)")
    parser.add_argument("--json", type=Path, default=RESULTS / json_name,
                        help="where to write the results")
    return parser


def machine() -> dict[str, object]:
    return {"cores": os.cpu_count(), "load_average_at_end": os.getloadavg(),
            "python": platform.python_version(), "platform": platform.platform()}


def commit() -> str:
    return subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()


def write_json(path: Path, result: dict[str, object]) -> None:
    result = {"date_utc": f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}", "machine": machine(),
              "commit": commit(), **result}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nSkrev {path}")


def storstad(project: Path | None, log: Callable[[str], None] = print) -> Path:
    """The Storstad project to measure: ``project`` if given, else benchmarks/.storstad,
    generated first when it has no workbooks."""
    root = project or REPO / "benchmarks" / ".storstad"
    if not any((root / "inkommet").glob("*/*.xlsx")):
        log(f"Skapar Storstad i {root} (några minuter) …")
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "storstad.py"), "--out",
                        str(root)], check=True)
    return root


def fresh_copy(source: Path, target: Path) -> Path:
    """``source`` without its store and outputs (a project no consolidation has touched),
    with Storstad's Kolada values fetched again from its recording (they live only in the
    store: ``reportkit kolada hämta`` comes before the first consolidation)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(
        "reportkit.sqlite*", "rapporter", ".reportkit.lock", "utskick"))
    if (target / "kolada" / "inspelat.json").is_file():
        subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                        "sys.path.insert(0, sys.argv[1]); from storstad import replay_kolada; "
                        "replay_kolada(Path(sys.argv[2]))",
                        str(REPO / "benchmarks"), str(target)], check=True)
    return target
