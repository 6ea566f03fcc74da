"""The roll-up and the sammanställning files are made in a child forked before the inbox is
read (isolate.Standby), so a large kommun's checked reports and its roll-up never share one
process; what the report says of them comes back from that child."""

from __future__ import annotations

import os

from scenario import PERIOD


def test_the_rollup_is_computed_outside_the_consolidating_process(make_project, tmp_path,
                                                                   monkeypatch):
    from reportkit.consolidate import rollup
    from reportkit.consolidate.run import consolidate

    computed_in = tmp_path / "pid"
    real = rollup.compute

    def compute(*args, **kwargs):
        computed_in.write_text(str(os.getpid()))
        return real(*args, **kwargs)

    monkeypatch.setattr(rollup, "compute", compute)
    project = make_project(tmp_path / "kommun")
    report = consolidate(project, PERIOD)
    assert int(computed_in.read_text()) != os.getpid()
    # what the child made reaches the report and the files are in place
    assert {p.name for p in report.outputs} >= {f"sammanstallning-{PERIOD}.xlsx",
                                                 f"inlamning-{PERIOD}.xlsx"}
    assert all(p.is_file() for p in report.outputs)
    assert report.submissions and report.goals and report.labels


def test_an_error_in_the_outputs_reaches_the_caller_as_it_was(make_project, tmp_path,
                                                              monkeypatch):
    import pytest

    from reportkit.consolidate import summary
    from reportkit.consolidate.run import consolidate
    from reportkit.errors import ReportkitError, problem

    def refuse(*args, **kwargs):
        raise ReportkitError(problem("project-locked", path="sammanställningen"))

    monkeypatch.setattr(summary, "write_summary_files", refuse)
    project = make_project(tmp_path / "kommun")
    with pytest.raises(ReportkitError) as caught:
        consolidate(project, PERIOD)
    assert [p.code for p in caught.value.problems] == ["project-locked"]
