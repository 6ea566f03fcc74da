"""``reportkit årshjul``: the year's deadlines and sammanträden as a calendar (.ics, RFC 5545).

One all-day event per level's sista dag in each period and per sammanträde of a nämnd, KS or
KF (the styrmodell's ``sammanträden:``). UIDs are stable (from the year, period and level, or
the body and date) and DTSTAMP is fixed to the first day of the year, so the same styrmodell
gives the same bytes and a calendar that imports the file again updates its events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from reportkit import texts
from reportkit.files import write_bytes_atomic
from reportkit.styrmodell.model import Styrmodell
from reportkit.styrmodell.project import Project, as_project


@dataclass(frozen=True)
class YearEvent:
    """One row of the årshjul: a day, what happens, and who (a level or a body)."""

    date: dt.date
    kind: str
    """``sista dag`` or ``sammanträde``."""
    title: str
    description: str
    uid: str


def year_events(model: Styrmodell) -> list[YearEvent]:
    """The units' deadlines and the sammanträden, by date (then title)."""
    out = []
    for period in model.config.periods:
        for level, day in period.deadlines.items():
            values = {"level": model.level_name(level), "period": period.name}
            out.append(YearEvent(day, "sista dag", texts.CAL_DEADLINE.format(**values),
                                 texts.CAL_DEADLINE_TEXT.format(**values),
                                 _uid(model, "sista-dag", period.id, level)))
    for meeting in model.config.meetings:
        unit = model.units.get(meeting.body)
        body = unit.name if unit is not None else meeting.body
        title = texts.CAL_MEETING.format(body=body, matter=f": {meeting.matter}"
                                         if meeting.matter else "")
        out.append(YearEvent(meeting.date, "sammanträde", title, meeting.matter,
                             _uid(model, "sammantrade", meeting.body, meeting.date.isoformat(),
                                  meeting.matter)))
    return sorted(out, key=lambda e: (e.date, e.kind, e.title))


def _uid(model: Styrmodell, *parts: str) -> str:
    digest = hashlib.sha256("|".join([str(model.year), *parts]).encode()).hexdigest()
    return f"{digest[:32]}@{model.config.kommun.id}.reportkit"


def calendar_bytes(model: Styrmodell) -> tuple[bytes, int]:
    """The .ics file's bytes and how many events it has."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//reportkit//årshjul//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", texts.CAL_NAME.format(year=model.year,
                                                  kommun=model.config.kommun.name))
    stamp = dt.datetime(model.year, 1, 1, tzinfo=dt.UTC)
    events = year_events(model)
    for item in events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.date)
        event.add("dtend", item.date + dt.timedelta(days=1))
        event.add("summary", item.title)
        if item.description:
            event.add("description", item.description)
        event.add("categories", [item.kind])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical(), len(events)


def write_calendar(project: Project | Path | str, year: int | None = None,
                   out: Path | None = None) -> tuple[Path, int, list[YearEvent]]:
    """``rapporter/arshjul-<år>.ics`` (or ``out``) from the year's styrmodell (standard: the
    latest): the path, the number of events and the events (for the table)."""
    project = as_project(project)
    model = project.styrmodell(year)
    data, count = calendar_bytes(model)
    path = out or project.root / "rapporter" / f"arshjul-{model.year}.ics"
    write_bytes_atomic(path, data)
    return path, count, year_events(model)


UPCOMING = 5
"""How many of the årshjul's next events ``status`` shows."""


@dataclass(frozen=True)
class Upcoming:
    """One of the årshjul's next events, with the days left from "today"."""

    event: YearEvent
    days: int
    """0 today, 1 tomorrow …"""


@dataclass(frozen=True)
class Ahead:
    """What ``status`` shows of the årshjul: "today" and the next events from it."""

    day: dt.date
    events: list[Upcoming]


def upcoming(project: Project | Path | str, on: dt.date | str | None = None,
             count: int = UPCOMING) -> Ahead:
    """The årshjul's next ``count`` events from "today" (``on``, ``--datum``,
    ``REPORTKIT_DATUM``) on, today's included: the sista dagar and sammanträden of every
    styrmodell from last year's on (a plan's sista dag falls in the year before it), each once.
    A styrmodell with a fel is left out (``validate`` names it)."""
    from reportkit.errors import ReportkitError
    from reportkit.styrmodell.periods import today

    project = as_project(project)
    day = today(on)
    found: dict[str, YearEvent] = {}
    for year in project.years():
        if year < day.year - 1:
            continue
        try:
            model = project.styrmodell(year)
        except ReportkitError:
            continue
        for event in year_events(model):
            if event.date >= day:
                found.setdefault(event.uid, event)
    events = sorted(found.values(), key=lambda e: (e.date, e.kind, e.title))[:count]
    return Ahead(day, [Upcoming(e, (e.date - day).days) for e in events])
