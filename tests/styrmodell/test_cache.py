"""The parsed styrmodell is remembered between commands, and never outlives an edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportkit.errors import ReportkitError
from reportkit.styrmodell.project import Project

EXEMPEL = Path(__file__).resolve().parents[2] / "fixtures" / "exempelkommun" / "styrmodell"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shutil.copytree(EXEMPEL, tmp_path / "kommun" / "styrmodell")
    return Project.open(tmp_path / "kommun")


def test_second_load_comes_from_the_user_cache_and_equals_the_parse(project, tmp_path):
    first = project.styrmodell(2026)
    cached = list((tmp_path / "cache" / "reportkit" / "styrmodell").glob("*.pickle"))
    assert len(cached) == 1
    again = Project.open(project.root).styrmodell(2026)
    assert again is not first
    assert again.config == first.config and sorted(again.goals) == sorted(first.goals)
    assert not list(project.root.rglob("*.pickle"))   # never inside the project


def test_an_edited_styrmodell_is_parsed_anew(project):
    project.styrmodell(2026)
    path = project.root / "styrmodell" / "2026.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("namn: Exempelkommun", "namn: Nyköping-ish", 1),
                    encoding="utf-8")
    assert Project.open(project.root).styrmodell(2026).config.kommun.name == "Nyköping-ish"
    path.write_text(text.replace("år: 2026", "år: tjugo", 1), encoding="utf-8")
    with pytest.raises(ReportkitError):
        Project.open(project.root).styrmodell(2026)   # a broken file is never served from cache


def test_a_broken_cache_file_is_ignored(project, tmp_path):
    project.styrmodell(2026)
    [cached] = (tmp_path / "cache" / "reportkit" / "styrmodell").glob("*.pickle")
    cached.write_bytes(b"not a pickle")
    assert Project.open(project.root).styrmodell(2026).config.kommun.name == "Exempelkommun"
