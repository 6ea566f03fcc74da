"""Time ``reportkit consolidate`` on Storstad as whole processes, beside the reading floor.

    python benchmarks/bench_consolidate.py                 # 3 rounds; Storstad made if missing
    python benchmarks/bench_consolidate.py --runs 5 --project /tmp/storstad \\
        --json benchmarks/results/consolidate-x.json

Set-up, not timed: the Storstad project (benchmarks/storstad.py, into benchmarks/.storstad
unless ``--project``), reportkit's bytecode compiled, and one enhet workbook filled a second
time with another seed (the "corrected" file).

Each round, in turn (a ratio is taken within a round):

- ``golv (calamine, 2 proc)``: one process that reads every sheet of every workbook of
  ``inkommet/2026-helår/`` with python-calamine in 2 worker processes: the floor;
- ``consolidate kall``: ``reportkit consolidate`` of a fresh copy of the project (no store, no
  outputs): every workbook checked and stored, history and exports loaded, the roll-up and
  the 16 sammanställning files written;
- ``consolidate oförändrat``: the same command again, nothing changed;
- ``consolidate en fil ändrad``: again after one enhet's workbook was replaced by its
  corrected version.

Prints median and min–max per command with the ratio to the floor (median of the per-round
ratios) and writes everything as JSON (default benchmarks/results/consolidate.json). The
issue's targets: cold within 2× the floor (3.5× with the sammanställning files), nothing
changed within 0.5× the floor, one changed file within 2 s. On a shared machine quote
medians and ratios; a wide min–max means noise.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _bench  # noqa: E402

PERIOD = "2026-helår"
CHANGED = "ekbackens-forskola.xlsx"  # an enhet's workbook, replaced by a corrected one


def corrected(project: Path, work: Path, seed: int = 99) -> Path:
    """The enhet workbook of :data:`CHANGED` filled again with another ``seed`` (a file the
    store has not seen: one it has seen is skipped by its SHA-256)."""
    target = work / f"{seed}-{CHANGED}"
    code = ("import sys; from pathlib import Path; "
            "from reportkit.demo.simulate import fill_workbook; "
            "fill_workbook(Path(sys.argv[1]), Path(sys.argv[2]), seed=int(sys.argv[3]), "
            "mistakes=False)")
    subprocess.run([sys.executable, "-c", code, str(project / "utskick" / PERIOD / CHANGED),
                    str(target), str(seed)], check=True)
    return target


def main() -> int:
    parser = _bench.storstad_parser(__doc__, "consolidate.json")
    opts = parser.parse_args()
    source = _bench.storstad(opts.project)
    inbox = source / "inkommet" / PERIOD
    files = sorted(inbox.glob("*.xlsx"))
    _bench.compile_bytecode()
    rk = _bench.reportkit_command()
    rounds = _bench.Rounds()
    with tempfile.TemporaryDirectory(prefix="bench-consolidate-") as tmp:
        work = Path(tmp)
        alt = corrected(source, work)
        log = work / "consolidate.log"
        for i in range(opts.runs):
            project = _bench.fresh_copy(source, work / "projekt")
            consolidate = [*rk, "consolidate", str(project), "--period", PERIOD]
            rounds.add("golv (calamine, 2 proc)",
                       _bench.run_once([sys.executable, "-c", _bench.CALAMINE_FLOOR,
                                        str(inbox)]))
            rounds.add("consolidate kall", _bench.run_once(consolidate, log))
            rounds.add("consolidate oförändrat", _bench.run_once(consolidate, log))
            shutil.copyfile(alt, project / "inkommet" / PERIOD / CHANGED)
            rounds.add("consolidate en fil ändrad", _bench.run_once(consolidate, log))
            print(f"  runda {i + 1}: " + ", ".join(
                f"{name} {rs[-1]['wall']:.2f} s" for name, rs in rounds.runs.items()),
                flush=True)
    floor = "golv (calamine, 2 proc)"
    floors = {name: floor for name in rounds.runs if name != floor}
    print(f"\n{len(rounds.runs[floor])} rundor, {len(files)} styrkort "
          f"({sum(f.stat().st_size for f in files) / 2**20:.1f} MiB) i {inbox}")
    print(rounds.table(floors))
    _bench.write_json(opts.json, {
        "what": "reportkit consolidate on Storstad vs reading every sheet with python-calamine "
                "in 2 processes, whole processes, in turn each round",
        "period": PERIOD, "files": len(files), "bytes": sum(f.stat().st_size for f in files),
        "changed_file": CHANGED, "rounds": len(rounds.runs[floor]),
        **rounds.results(floors)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
