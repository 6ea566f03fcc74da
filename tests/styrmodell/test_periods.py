"""Periods as the kommun has them (issue 24): period types, the statutory delårsrapport's
varning, and the one rule for the period being reported now (``--datum``, REPORTKIT_DATUM)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from periods_variant import EXEMPEL_YAML, write_variant

from reportkit.errors import ReportkitError
from reportkit.styrmodell.model import load_styrmodell
from reportkit.styrmodell.periods import is_interim, on_date, today
from reportkit.styrmodell.project import Project, default_period


def _warnings(path: Path) -> list[tuple[str, str | None]]:
    model, problems = load_styrmodell(path)
    assert model is not None, [p.line() for p in problems]
    return [(p.code, p.location.key) for p in problems if not p.is_error]


def test_kvartal_and_two_delår_validate_with_one_statutory(tmp_path: Path) -> None:
    path = write_variant(tmp_path, statutory=1)
    assert _warnings(path) == []
    model, _ = load_styrmodell(path)
    assert model is not None
    types = {p.id: p.type for p in model.config.periods}
    assert types["2026-K1"] == "kvartal" and types["2026-D1"] == "delår"
    assert [p.id for p in model.config.periods if p.statutory] == ["2026-delår"]
    assert is_interim("kvartal") and is_interim("halvår") and not is_interim("helår")


@pytest.mark.parametrize("statutory, count", [(0, 0), (2, 2)])
def test_none_or_several_statutory_delår_is_a_varning(tmp_path: Path, statutory: int,
                                                       count: int) -> None:
    path = write_variant(tmp_path, statutory=statutory)
    model, problems = load_styrmodell(path)
    assert model is not None  # a varning, not a fel
    [found] = [p for p in problems if p.code == "config-statutory-interim"]
    assert found.severity == "varning"
    assert found.values["count"] == count
    assert found.values["periods"] == "2026-D1, 2026-delår"
    assert found.location.key is not None and found.location.key.startswith("perioder[")


def test_a_statutory_delår_of_three_months_is_a_varning(tmp_path: Path) -> None:
    path = write_variant(tmp_path, statutory=1)
    text = path.read_text(encoding="utf-8").replace("    lagstadgad: true\n", "", 1)
    text = text.replace('    typ: delår\n    namn: "Delårsrapport januari–mars 2026"\n',
                        '    typ: delår\n    lagstadgad: true\n'
                        '    namn: "Delårsrapport januari–mars 2026"\n', 1)
    path.write_text(text, encoding="utf-8")
    [(code, key)] = _warnings(path)
    assert code == "config-statutory-length" and key is not None and "lagstadgad" in key


def test_exempelkommun_with_one_unflagged_delår_has_no_varning(tmp_path: Path) -> None:
    assert _warnings(EXEMPEL_YAML) == []


@pytest.mark.parametrize("day, expected", [
    ("2025-10-20", "2026-plan"),    # the plan's sista dag (2025-11-30) is ahead
    ("2026-02-10", "2026-K1"),      # running: the kvartal ends first
    ("2026-04-02", "2026-D1"),      # K1 and D1 both ended 03-31: the later one in the list
    ("2026-05-20", "2026-D1"),      # the kommun's sista dag 04-20 + 30 days
    ("2026-05-21", "2026-K2"),      # then the running K2
    ("2026-07-10", "2026-K2"),      # K2 ended, being handed in
    ("2026-09-01", "2026-delår"),   # the statutory delår ended 08-31
    ("2026-11-10", "2026-helår"),
    ("2027-02-01", "2026-helår"),
    ("2030-01-01", "2026-helår"),   # after everything: the last one
])
def test_datum_picks_the_period_being_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                day: str, expected: str) -> None:
    write_variant(tmp_path)
    project = Project.open(tmp_path)
    assert default_period(project, day) == expected
    monkeypatch.setenv("REPORTKIT_DATUM", day)
    assert project.period(None)[1].id == expected
    monkeypatch.setenv("REPORTKIT_DATUM", "2020-01-01")
    with on_date(day):  # --datum wins over REPORTKIT_DATUM
        assert project.period(None)[1].id == expected


def test_today_reads_the_environment_and_refuses_a_bad_date(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTKIT_DATUM", "2026-09-15")
    assert today() == dt.date(2026, 9, 15)
    monkeypatch.setenv("REPORTKIT_DATUM", "15 september")
    with pytest.raises(ReportkitError) as err:
        today()
    assert err.value.problems[0].code == "datum-invalid"
    assert "REPORTKIT_DATUM" in err.value.problems[0].message
