"""``reportkit årshjul``: every level's sista dag and every sammanträde as an all-day event in
an RFC 5545 calendar, read back with icalendar; stable UIDs and bytes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import icalendar
from click.testing import CliRunner

from reportkit import write_calendar
from reportkit.cli import main

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"


def _project(tmp_path: Path, kommun: str) -> Path:
    root = tmp_path / kommun
    (root / "styrmodell").mkdir(parents=True)
    shutil.copy(FIXTURES / kommun / "styrmodell" / "2026.yaml", root / "styrmodell" / "2026.yaml")
    return root


def _events(path: Path) -> dict[str, tuple[dt.date, str]]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): (e.decoded("dtstart"), str(e["summary"]))
            for e in cal.walk("VEVENT")}


def test_every_deadline_and_meeting_is_an_event_with_its_date(tmp_path: Path) -> None:
    root = _project(tmp_path, "exempelkommun")
    path, count, _ = write_calendar(root)
    assert path == root / "rapporter" / "arshjul-2026.ics"
    events = _events(path)
    assert len(events) == count == 4 + 3 + 4 + 4 + 6  # sista dagar per period + sammanträden
    found = set(events.values())
    assert (dt.date(2026, 10, 14), "Kommunstyrelsen: Delårsrapport 2026") in found
    assert (dt.date(2026, 10, 26), "Kommunfullmäktige: Delårsrapport 2026") in found
    assert (dt.date(2026, 9, 8),
            "Sista dag: Enhet – Delårsrapport januari–augusti 2026") in found
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    stamps = {e.decoded("dtstamp") for e in cal.walk("VEVENT")}
    assert stamps == {dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}  # no wall clock


def test_same_styrmodell_same_bytes_and_uids_stable_when_a_meeting_is_added(
        tmp_path: Path) -> None:
    root = _project(tmp_path, "exempelkommun")
    first = write_calendar(root)[0].read_bytes()
    assert write_calendar(root)[0].read_bytes() == first
    before = _events(root / "rapporter" / "arshjul-2026.ics")
    yaml_path = root / "styrmodell" / "2026.yaml"
    text = yaml_path.read_text(encoding="utf-8").replace(
        "sammanträden:", "sammanträden:\n  - {organ: VON, datum: 2026-09-28}", 1)
    yaml_path.write_text(text, encoding="utf-8")
    after = _events(write_calendar(root)[0])  # a fresh Project reads the edited file
    assert set(before) < set(after) and len(after) == len(before) + 1
    assert all(after[uid] == before[uid] for uid in before)


def test_fyrkanta_uses_its_own_level_and_body_names(tmp_path: Path) -> None:
    root = _project(tmp_path, "fyrkanta")
    result = CliRunner().invoke(main, ["årshjul", str(root), "--ut", str(tmp_path / "a.ics")])
    assert result.exit_code == 0, result.output
    summaries = {s for _, s in _events(tmp_path / "a.ics").values()}
    assert "Regionfullmäktige: Delårsbokslut 2026" in summaries
    assert "Samhällsnämnden: Delårsbokslut 2026" in summaries
    assert any(s.startswith("Sista dag: Arbetsplats – ") for s in summaries)
    assert not any("Enhet" in s for s in summaries)
    assert "2026-10-21  Regionfullmäktige: Delårsbokslut 2026" in result.output


def test_nytt_ar_moves_the_meetings_on_with_the_periods(tmp_path: Path) -> None:
    from reportkit import next_year

    root = _project(tmp_path, "exempelkommun")
    next_year(root)
    found = set(_events(write_calendar(root, 2027)[0]).values())
    assert (dt.date(2027, 10, 14), "Kommunstyrelsen: Delårsrapport 2027") in found
    assert (dt.date(2028, 3, 10), "Kommunstyrelsen: Årsredovisning 2027") in found
    assert (dt.date(2027, 9, 8), "Sista dag: Enhet – Delårsrapport januari–augusti 2027") in found


def test_the_next_events_from_a_day_in_the_kommuns_own_words(tmp_path: Path) -> None:
    from reportkit import upcoming

    root = _project(tmp_path, "fyrkanta")
    ahead = upcoming(root, "2026-10-01")
    assert ahead.day == dt.date(2026, 10, 1) and len(ahead.events) == 5
    assert all(u.event.date >= ahead.day and u.days == (u.event.date - ahead.day).days
               for u in ahead.events)
    titles = [u.event.title for u in upcoming(root, "2026-10-21").events]
    assert titles[0] == "Regionfullmäktige: Delårsbokslut 2026"  # today's is included
    assert not any("Enhet" in t or "Kommun" in t for t in titles)
    assert upcoming(root, "2031-01-01").events == []  # after the last styrmodell's year
