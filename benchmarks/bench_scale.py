"""How the Storstad figures grow with the kommun's size: measured at several sizes, then fitted.

    python benchmarks/bench_scale.py                          # 100, 500, 1 500, 3 000 enheter
    python benchmarks/bench_scale.py --sizes 100,500 --runs 1

Set-up, not timed: for each size a Storstad with that many enheter (``benchmarks/storstad.py
--enheter N --utan-delår`` into ``benchmarks/.storstad-skala/<N>``, kept between runs;
generated when missing), reportkit's bytecode compiled, and one enhet workbook filled again
with another seed (bench_consolidate.py's ``corrected``).

Each round, per size and in turn (whole processes, as bench_consolidate.py and
bench_render.py time them):

- ``golv``: python-calamine reads every sheet of every helår workbook, 2 processes;
- ``consolidate kall`` / ``oförändrat`` / ``en fil ändrad``: as bench_consolidate.py;
- ``render kall``: ``reportkit render arsredovisning`` (.docx) of the consolidated copy,
  without ``rapporter/`` documents or ``.cache/``.

Prints per size the medians, the ratio to the floor and the peak memory; then per figure a
least-squares line ``a + b·N`` (seconds, and seconds per 1 000 enheter), its R², the slope
on a log–log scale between the two largest sizes (1.0: linear) and the line's figure at
5 000 enheter. Writes JSON (default benchmarks/results/scale.json).
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _bench  # noqa: E402
from bench_consolidate import CHANGED, PERIOD, corrected  # noqa: E402

FLOOR = "golv (calamine, 2 proc)"
FIGURES = ("consolidate kall", "consolidate oförändrat", "consolidate en fil ändrad",
           "render kall")
PREDICT_AT = 5000


def project_of(folder: Path, size: int) -> Path:
    """Storstad with ``size`` enheter in ``folder/<size>``, generated when missing."""
    root = folder / str(size)
    if not any((root / "inkommet" / PERIOD).glob("*.xlsx")):
        print(f"Skapar Storstad med {size} enheter i {root} …", flush=True)
        subprocess.run([sys.executable, str(_bench.REPO / "benchmarks" / "storstad.py"),
                        "--out", str(root), "--enheter", str(size), "--utan-delår"],
                       check=True, stdout=subprocess.DEVNULL)
    return root


def one_round(rk: list[str], source: Path, work: Path, alt: Path,
              rounds: _bench.Rounds) -> None:
    """The floor and the four figures on a fresh copy of ``source``."""
    inbox = source / "inkommet" / PERIOD
    log = work / "scale.log"
    project = _bench.fresh_copy(source, work / "projekt")
    consolidate = [*rk, "consolidate", str(project), "--period", PERIOD]
    rounds.add(FLOOR, _bench.run_once([sys.executable, "-c", _bench.CALAMINE_FLOOR,
                                       str(inbox)]))
    rounds.add("consolidate kall", _bench.run_once(consolidate, log))
    rounds.add("consolidate oförändrat", _bench.run_once(consolidate, log))
    shutil.copyfile(alt, project / "inkommet" / PERIOD / CHANGED)
    rounds.add("consolidate en fil ändrad", _bench.run_once(consolidate, log))
    for stale in (project / "rapporter" / PERIOD).glob("arsredovisning*"):
        stale.unlink()
    shutil.rmtree(project / ".cache", ignore_errors=True)
    rounds.add("render kall", _bench.run_once(
        [*rk, "render", "arsredovisning", str(project), "--period", PERIOD], log))


def fit(sizes: list[int], values: list[float]) -> dict[str, float]:
    """The least-squares line through (size, value), its R², the log–log slope between the
    two largest sizes and the line's value at :data:`PREDICT_AT`."""
    mx, my = statistics.fmean(sizes), statistics.fmean(values)
    sxx = sum((x - mx) ** 2 for x in sizes)
    b = sum((x - mx) * (y - my) for x, y in zip(sizes, values, strict=True)) / sxx if sxx \
        else 0.0
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in values)
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(sizes, values, strict=True))
    (x1, y1), (x2, y2) = sorted(zip(sizes, values, strict=True))[-2:]
    slope = math.log(y2 / y1) / math.log(x2 / x1) if y1 > 0 and y2 > 0 and x2 != x1 \
        else float("nan")
    return {"a_s": a, "b_s_per_1000": b * 1000, "r2": 1 - ss_res / ss_tot if ss_tot else 1.0,
            "loglog_slope": slope, f"at_{PREDICT_AT}_s": a + b * PREDICT_AT}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,500,1500,3000",
                        help="enheter, comma-separated (default 100,500,1500,3000)")
    parser.add_argument("--runs", type=int, default=1, help="rounds per size (default 1)")
    parser.add_argument("--folder", type=Path,
                        default=_bench.REPO / "benchmarks" / ".storstad-skala",
                        help="where the Storstad projects are kept (default "
                             "benchmarks/.storstad-skala)")
    parser.add_argument("--json", type=Path, default=_bench.RESULTS / "scale.json",
                        help="where to write the results")
    opts = parser.parse_args()
    sizes = sorted(int(s) for s in opts.sizes.split(","))
    sources = {size: project_of(opts.folder, size) for size in sizes}
    _bench.compile_bytecode()
    rk = _bench.reportkit_command()
    per_size: dict[int, _bench.Rounds] = {}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        for size, source in sources.items():
            alt = corrected(source, work, seed=99 + size)
            rounds = per_size[size] = _bench.Rounds()
            for _ in range(opts.runs):
                one_round(rk, source, work, alt, rounds)
            print(f"  {size} enheter: " + ", ".join(
                f"{name} {statistics.median(r['wall'] for r in rs):.2f} s"
                for name, rs in rounds.runs.items()), flush=True)
    print(f"\n{'enheter':>8} {'filer':>6} " + " ".join(f"{n:>26}" for n in (FLOOR, *FIGURES)))
    medians = {size: r.summary() for size, r in per_size.items()}
    for size in sizes:
        files = len(list((sources[size] / "inkommet" / PERIOD).glob("*.xlsx")))
        cells = []
        for name in (FLOOR, *FIGURES):
            s = medians[size][name]
            ratio = f" {per_size[size].ratio(name, FLOOR)['median']:5.1f}×" if name != FLOOR \
                else ""
            cells.append(f"{s['wall']['median']:8.2f} s {s['peak_mib']['median']:4.0f} MiB"
                         f"{ratio:7}")
        print(f"{size:8} {files:6} " + " ".join(f"{c:>26}" for c in cells))
    fits = {name: fit(sizes, [medians[s][name]["wall"]["median"] for s in sizes])
            for name in (FLOOR, *FIGURES)}
    memory = {name: fit(sizes, [medians[s][name]["peak_mib"]["median"] for s in sizes])
              for name in (FLOOR, *FIGURES)}
    print(f"\n{'anpassning (s = a + b·N)':28} {'a s':>7} {'b s/1000':>9} {'R²':>6} "
          f"{'log–log':>8} {f'vid {PREDICT_AT}':>9} {'MiB/1000':>9}")
    for name, f in fits.items():
        print(f"{name:28} {f['a_s']:7.2f} {f['b_s_per_1000']:9.2f} {f['r2']:6.3f} "
              f"{f['loglog_slope']:8.2f} {f[f'at_{PREDICT_AT}_s']:8.1f}s "
              f"{memory[name]['b_s_per_1000']:9.1f}")
    _bench.write_json(opts.json, {
        "what": "Storstad at several sizes (helår only): the floor, consolidate cold / "
                "unchanged / one changed, render årsredovisning cold; least-squares fits",
        "sizes": sizes, "rounds": opts.runs,
        "per_size": {str(s): r.results({n: FLOOR for n in FIGURES}) for s, r in
                     per_size.items()},
        "fit_wall": fits, "fit_peak_mib": memory})
    return 0


if __name__ == "__main__":
    sys.exit(main())
