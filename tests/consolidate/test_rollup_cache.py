"""The roll-up consolidate remembers in the store comes back as the same results, and only
while its inputs are those it was computed from."""

from __future__ import annotations

import shutil

import pytest
from scenario import PERIOD

from reportkit.consolidate import rollup
from reportkit.consolidate.run import consolidate
from reportkit.storage import store
from reportkit.storage.decisions import record_decision, undo_decision


def _plain(results: rollup.PeriodResults) -> rollup.PeriodResults:
    """The results with the store's rows as dicts (what the cache gives back)."""
    results.activities = {u: [dict(a) for a in acts] for u, acts in results.activities.items()}
    results.submitted = {u: dict(s) for u, s in results.submitted.items()}
    return results


@pytest.mark.slow
def test_remembered_roll_up_is_the_computed_one_until_a_workbook_changes(
        make_project, scenario_files, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "kommun")
    consolidate(project, PERIOD)
    model, _ = project.period(PERIOD)
    conn = store.connect(project.store_path)
    try:
        computed = rollup.compute(conn, model, PERIOD)
        with store.transaction(conn):
            rollup.remember(conn, model, PERIOD, computed)
        calls: list[object] = []
        real = rollup.compute

        def counting(*args, **kwargs):
            calls.append(kwargs.get("version"))
            return real(*args, **kwargs)

        monkeypatch.setattr(rollup, "compute", counting)
        cached = rollup.compute_cached(conn, model, PERIOD)
        assert calls == []
        assert cached == _plain(computed)
        assert list(cached.goals) == list(computed.goals)
        assert list(cached.submitted) == list(computed.submitted)

    finally:
        conn.close()

    # a decided version is computed from its own submissions once, then remembered: its
    # site and documents are made again and again (2 s on Storstad each time)
    decision = record_decision(project, PERIOD, "KF 2027-04-20 § 45")
    conn = store.connect(project.store_path)
    try:
        calls.clear()
        first = rollup.compute_cached(conn, model, PERIOD, version=decision)
        assert calls == [decision]
        again = rollup.compute_cached(conn, model, PERIOD, version=decision)
        assert calls == [decision]
        assert again == _plain(first)
        assert _plain(again) == _plain(real(conn, model, PERIOD, version=decision))
    finally:
        conn.close()
    # undone, the decision's rows change: its roll-up is not taken from the cache
    undone = undo_decision(project, PERIOD, str(decision.id), "fel paragraf")
    conn = store.connect(project.store_path)
    try:
        calls.clear()
        rollup.compute_cached(conn, model, PERIOD, version=undone)
        assert calls == [undone]
    finally:
        conn.close()

    # Lärkans förskola sends a corrected workbook: the remembered roll-up is not used
    # (loaded without outputs, so consolidate does not remember the new roll-up)
    shutil.copy2(scenario_files["larkans-rattad"],
                 project.inbox(PERIOD) / "larkans-forskola.xlsx")
    consolidate(project, PERIOD, outputs=False)
    conn = store.connect(project.store_path)
    try:
        calls.clear()
        again = rollup.compute_cached(conn, model, PERIOD)
        assert calls == [None]
        assert again != cached
        assert _plain(again) == _plain(real(conn, model, PERIOD))
    finally:
        conn.close()

    # consolidate with its outputs remembers the roll-up it computed: render finds it
    consolidate(project, PERIOD)
    conn = store.connect(project.store_path)
    try:
        calls.clear()
        remembered = rollup.compute_cached(conn, model, PERIOD)
        assert calls == []
        assert remembered == _plain(real(conn, model, PERIOD))
    finally:
        conn.close()


def test_a_store_outside_a_project_is_never_cached(tmp_path) -> None:
    conn = store.connect(":memory:")
    try:
        assert rollup.fingerprint(conn, object(), PERIOD) is None  # type: ignore[arg-type]
    finally:
        conn.close()
