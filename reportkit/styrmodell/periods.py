"""Period kinds and "today": which period is being reported now.

The period types (``perioder[].typ``) and what each is: the plan, short follow-ups during the
year (månad, kvartal, tertial), interim reports (delår, halvår; one of them per year the
statutory delårsrapport, LKBR 13 kap) and helår. Any number of each in a year.

:func:`current_period` is the one rule every command uses for its default period, and
:func:`today` the one "today" (``REPORTKIT_DATUM`` or the ``--datum`` a command passes).
No pydantic here: ``reportkit check`` imports this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Literal, Protocol, TypeVar

from reportkit.errors import ReportkitError, problem

PeriodType = Literal["plan", "månad", "kvartal", "tertial", "delår", "halvår", "helår"]
PERIOD_TYPES: tuple[PeriodType, ...] = ("plan", "månad", "kvartal", "tertial", "delår", "halvår",
                                        "helår")
"""Every period type; any number of each in a year."""
FOLLOW_UP_TYPES: tuple[PeriodType, ...] = ("månad", "kvartal", "tertial")
"""Short follow-ups during the year: the ``uppfoljning`` document, a prognos for the year."""
INTERIM_REPORT_TYPES: tuple[PeriodType, ...] = ("delår", "halvår")
"""Interim reports: the delårsrapport (one of them per year the statutory one)."""
INTERIM_TYPES: tuple[PeriodType, ...] = FOLLOW_UP_TYPES + INTERIM_REPORT_TYPES
"""Every period during the year: bedömningar are prognoser, the economy has a helårsprognos."""
MEASURED_IN_DEFAULT: tuple[PeriodType, ...] = (*INTERIM_TYPES, "helår")
"""An indicator's ``mäts`` when not set: every follow-up period."""

ENV_DATE = "REPORTKIT_DATUM"
GRACE_DAYS = 30
"""How long after its last sista dag a period is still the one being reported (its documents
are rendered and decided then)."""


def is_interim(period_type: str) -> bool:
    """During the year (månad, kvartal, tertial, delår, halvår): bedömningar are prognoser and
    the economy has a helårsprognos; not the plan, not helår."""
    return period_type in INTERIM_TYPES


def parse_date(text: str, source: str = "--datum") -> dt.date:
    """``2026-09-15`` → a date; anything else is a Swedish fel naming ``source``."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ReportkitError(problem("datum-invalid", value=text, source=source)) from None


_ON: ContextVar[dt.date | None] = ContextVar("reportkit_datum", default=None)


@contextlib.contextmanager
def on_date(day: dt.date | str | None) -> Iterator[None]:
    """Run the block as if today were ``day`` (a command's ``--datum``): :func:`today`, and
    so every default period, answers ``day``. ``None`` changes nothing."""
    if day is None:
        yield
        return
    token = _ON.set(day if isinstance(day, dt.date) else parse_date(day))
    try:
        yield
    finally:
        _ON.reset(token)


def today(on: dt.date | str | None = None) -> dt.date:
    """"Today" for every command: ``on`` when given, else the ``--datum`` of the command
    running (:func:`on_date`), else ``REPORTKIT_DATUM`` (ÅÅÅÅ-MM-DD; for tests and for
    running a past or future day), else the system's date."""
    if isinstance(on, dt.date):
        return on
    if on:
        return parse_date(on)
    chosen = _ON.get()
    if chosen is not None:
        return chosen
    env = os.environ.get(ENV_DATE, "").strip()
    return parse_date(env, ENV_DATE) if env else dt.date.today()


class _PeriodLike(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def start(self) -> dt.date: ...
    @property
    def end(self) -> dt.date: ...
    @property
    def last_deadline(self) -> dt.date: ...


P = TypeVar("P", bound=_PeriodLike)


def current_period(periods: Sequence[P], on: dt.date, grace: int = GRACE_DAYS) -> P | None:
    """The period being reported on ``on``, of ``periods`` (in their order; several years'
    together). The rule, in order:

    1. the latest period (by its end) that has ended before ``on`` and whose last sista dag is
       no more than ``grace`` days (30) before ``on`` — it is being handed in, consolidated
       and rendered now; a plan period counts as ending the day before its year starts (it is
       reported in the autumn before);
    2. else the current one: the follow-up period that holds ``on`` and ends first (in March
       with a tertial Jan–Apr, a delår Jan–Aug and a helår: the tertial);
    3. else, ``on`` before every period: the first one; after every period: the last one.

    ``None`` only when ``periods`` is empty.
    """
    if not periods:
        return None
    indexed = list(enumerate(periods))

    def closes(p: P) -> dt.date:
        return p.start - dt.timedelta(days=1) if p.type == "plan" else p.end

    reported = [(closes(p), i, p) for i, p in indexed
                if closes(p) < on and (p.last_deadline - on).days >= -grace]
    if reported:
        return max(reported, key=lambda t: (t[0], t[1]))[2]
    running = [(p.end, i, p) for i, p in indexed
               if p.type != "plan" and p.start <= on <= p.end]
    if running:
        return min(running, key=lambda t: (t[0], t[1]))[2]
    if all(on < p.start for p in periods):
        return min(indexed, key=lambda t: (closes(t[1]), t[0]))[1]
    return max(indexed, key=lambda t: (closes(t[1]), t[0]))[1]
