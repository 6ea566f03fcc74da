"""Kolada's REST API v3 (RKA, ``api.kolada.se/v3``): the one module that talks HTTP.

The facts it relies on (docs/kolada.md, /work/shared/DOMAIN.md "Kolada, more precisely"):

- data by path, ``/data/kpi/{ids}/municipality/{codes}/year/{years}`` (comma lists); about
  20 ids per dimension per request is safe, more gives **422** (:data:`BATCH`; a 422 anyway
  halves the batch and asks again);
- an answer is ``{"values": [...], "count": n, "next_url": url | null}``; pages of up to
  5 000 values are followed through ``next_url`` until it is null;
- a data value is ``{"kpi", "period", "municipality", "values": [{"gender": "T"|"K"|"M",
  "value": number | null, "count", "status"}]}``; ``status`` "Missing" with a null value;
- a misspelt query parameter gives an empty list, no error: an empty answer is reported;
- no documented rate limit: :class:`Client` keeps to about 5 requests a second and retries
  429 and 5xx (and a dropped connection) with growing waits (``Retry-After`` when given);
- ``municipality_groups`` holds RKA's "Liknande kommuner <aspekt>, <kommun>, <år>" with their
  ``members``; ``municipality`` lists kommuner (type K) and regioner (L); ``0000`` is riket.

No store and no files here: the caller keeps the answers (:class:`Page`, with URL, time and
hash). The transport is a function so the demo can replay recorded answers without a network.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from reportkit.errors import Problem, problem
from reportkit.version import __version__

BASE_URL = "https://api.kolada.se/v3"
BATCH = 20
"""Ids per dimension in one data request (more gives 422)."""
RIKET = "0000"
RATE = 5.0
"""Requests per second at most."""


@dataclass(frozen=True)
class Answer:
    """What a transport got: the HTTP status, the body, the server's ``Date`` (ISO, UTC, ""
    when it gave none) and ``Retry-After`` in seconds."""

    status: int
    body: bytes
    date: str = ""
    retry_after: float | None = None


Transport = Callable[[str, float], Answer]
"""``(url, timeout) → Answer``; raises ``OSError`` when there is no answer at all."""


@dataclass(frozen=True)
class Page:
    url: str
    status: int
    body: bytes
    sha256: str
    fetched_at: str
    data: dict[str, Any]


class KoladaFailure(Exception):
    """A request that failed for good, as a catalogue problem."""

    def __init__(self, found: Problem, status: int = 0) -> None:
        self.problem, self.status = found, status
        super().__init__(found.line())


def _iso(http_date: str | None) -> str:
    """An HTTP ``Date`` as ISO in UTC ("" when missing or unreadable)."""
    import datetime as dt

    if not http_date:
        return ""
    try:
        parsed = email.utils.parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return ""
    if parsed.tzinfo is None:
        return ""
    return parsed.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def urllib_transport(url: str, timeout: float) -> Answer:
    """The network, through the standard library."""
    request = urllib.request.Request(url, headers={
        "Accept": "application/json", "User-Agent": f"reportkit/{__version__}"})
    import http.client

    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310
            return Answer(resp.status, resp.read(), _iso(resp.headers.get("Date")))
    except http.client.HTTPException as exc:  # a broken answer: as no answer (retried)
        raise OSError(f"ofullständigt svar ({type(exc).__name__})") from exc
    except urllib.error.HTTPError as exc:
        retry = exc.headers.get("Retry-After") if exc.headers else None
        return Answer(exc.code, exc.read() or b"", _iso(exc.headers.get("Date")
                                                        if exc.headers else None),
                      float(retry) if retry and retry.strip().isdigit() else None)


_ADVICE = MappingProxyType({
    400: "Frågan var felaktig; kontrollera Kolada-id:n i styrmodellen.",
    404: "Adressen finns inte; kontrollera id:t eller API-adressen (--api).",
    410: "Den versionen av Koladas API är avstängd; reportkit använder v3 (--api).",
    422: "Frågan hade för många id (högst omkring 20 per slag); kör igen med färre.",
})


class Client:
    """Kolada v3 over a transport: throttled, retried, paged and batched."""

    def __init__(self, base_url: str = BASE_URL, *, transport: Transport | None = None,
                 rate: float = RATE, retries: int = 4, timeout: float = 30.0,
                 backoff: float = 0.5, batch: int = BATCH,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.transport = transport or urllib_transport
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.retries, self.timeout, self.backoff, self.batch = retries, timeout, backoff, batch
        self.sleep, self.clock, self.progress = sleep, clock, progress
        self.requests = 0
        self.planned = 0
        self._last: float | None = None

    def url(self, path: str, **params: str) -> str:
        query = urllib.parse.urlencode(params) if params else ""
        return f"{self.base_url}{path}" + (f"?{query}" if query else "")

    def _wait_turn(self) -> None:
        if self._last is not None:
            wait = self.interval - (self.clock() - self._last)
            if wait > 0:
                self.sleep(wait)
        self._last = self.clock()

    def get(self, url: str) -> Page:
        """One answer, retried on 429, 5xx and a dropped connection."""
        answer = self._answer(url)
        self.requests += 1
        if self.progress is not None:
            self.planned = max(self.planned, self.requests)
            self.progress(self.requests, self.planned)
        try:
            data = json.loads(answer.body.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("inget JSON-objekt")
        except (UnicodeDecodeError, ValueError) as exc:
            raise KoladaFailure(problem("kolada-bad-answer", url=url, reason=str(exc))
                                ) from None
        return Page(url, answer.status, answer.body, hashlib.sha256(answer.body).hexdigest(),
                    answer.date or _now(), data)

    def _answer(self, url: str) -> Answer:
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            self._wait_turn()
            try:
                answer = self.transport(url, self.timeout)
            except OSError as exc:
                if last:
                    raise KoladaFailure(problem("kolada-no-network", url=url, reason=str(
                        getattr(exc, "reason", exc)))) from None
                self.sleep(self.backoff * 2 ** attempt)
                continue
            if answer.status == 200:
                return answer
            if (answer.status != 429 and answer.status < 500) or last:
                advice = _ADVICE.get(answer.status, "Försök igen senare; kvarstår felet, "
                                     "kontrollera adressen och id:n.")
                raise KoladaFailure(problem("kolada-http-error", url=url,
                                            status=str(answer.status), advice=advice),
                                    answer.status)
            self.sleep(min(answer.retry_after, 30.0) if answer.retry_after is not None
                       else self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def pages(self, url: str) -> list[Page]:
        """``url`` and every page after it through ``next_url``."""
        out = [self.get(url)]
        seen = {url}
        while isinstance(nxt := out[-1].data.get("next_url"), str) and nxt and nxt not in seen:
            seen.add(nxt)
            self.planned += 1
            out.append(self.get(nxt))
        return out

    def data(self, kpis: Sequence[str], municipalities: Sequence[str],
             years: Sequence[int]) -> list[Page]:
        """The values of ``kpis`` × ``municipalities`` × ``years``, at most :attr:`batch` ids
        per dimension a request."""
        batches = [(k, m, y) for k in chunks(kpis, self.batch)
                   for m in chunks(municipalities, self.batch)
                   for y in chunks([str(y) for y in years], self.batch)]
        self.planned += len(batches)
        out: list[Page] = []
        for k, m, y in batches:
            out.extend(self._batch(k, m, y))
        return out

    def _batch(self, k: list[str], m: list[str], y: list[str]) -> list[Page]:
        url = self.url(f"/data/kpi/{','.join(k)}/municipality/{','.join(m)}/year/"
                       f"{','.join(y)}")
        try:
            return self.pages(url)
        except KoladaFailure as exc:
            longest = max((k, m, y), key=len)
            if exc.status != 422 or len(longest) < 2:
                raise
        half = len(longest) // 2
        self.planned += 1
        parts = [(longest[:half]), (longest[half:])]
        return [p for part in parts for p in self._batch(
            part if longest is k else k, part if longest is m else m,
            part if longest is y else y)]


def chunks(items: Sequence[str], size: int) -> list[list[str]]:
    items = list(dict.fromkeys(items))
    return [items[i:i + size] for i in range(0, len(items), max(size, 1))]


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


ParsedValue = tuple[str, str, int, str, float | None, str]
"""(kpi, kommun, year, kön, value, status)."""


def parse_data(data: dict[str, Any]) -> list[ParsedValue]:
    """A data answer's values; ``ValueError`` when it is not in v3's shape."""
    out = []
    values = data.get("values")
    if not isinstance(values, list):
        raise ValueError("nyckeln values saknas")
    for item in values:
        try:
            kpi, muni, year = str(item["kpi"]), str(item["municipality"]), int(item["period"])
            for v in item["values"]:
                raw = v.get("value")
                value = float(raw) if isinstance(raw, int | float) and not isinstance(
                    raw, bool) else None
                out.append((kpi, muni, year, str(v.get("gender") or "T"), value,
                            str(v.get("status") or "")))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"ett värde har inte v3:s form ({exc})") from None
    return out


def parse_titles(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, title) of a ``kpi`` or ``municipality`` answer."""
    values = data.get("values")
    if not isinstance(values, list):
        raise ValueError("nyckeln values saknas")
    return [(str(v["id"]), str(v.get("title") or "")) for v in values if isinstance(v, dict)
            and "id" in v]


def parse_municipalities(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(id, title, type K/L) of a ``municipality`` answer."""
    values = data.get("values")
    if not isinstance(values, list):
        raise ValueError("nyckeln values saknas")
    return [(str(v["id"]), str(v.get("title") or ""), str(v.get("type") or ""))
            for v in values if isinstance(v, dict) and "id" in v]


def parse_groups(data: dict[str, Any]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(id, title, members (id, title)) of a ``municipality_groups`` answer."""
    values = data.get("values")
    if not isinstance(values, list):
        raise ValueError("nyckeln values saknas")
    return [(str(v.get("id") or ""), str(v.get("title") or ""),
             [(str(m["id"]), str(m.get("title") or "")) for m in v.get("members") or []])
            for v in values if isinstance(v, dict)]


def replay_transport(recording: dict[str, Any], base_url: str = BASE_URL) -> Transport:
    """A transport answering from recorded answers (the demo's, offline): ``recording`` is
    ``{"date": <HTTP Date>, "answers": {<path and query after base_url>: <JSON body>}}``; an
    address not recorded answers 404."""
    answers = {urllib.parse.unquote_plus(k): v for k, v in recording.get("answers", {}).items()}
    date = _iso(recording.get("date"))

    def answer(url: str, _timeout: float) -> Answer:
        key = urllib.parse.unquote_plus(url[len(base_url.rstrip("/")):]
                                   if url.startswith(base_url.rstrip("/")) else url)
        if key not in answers:
            return Answer(404, b'{"values": []}', date)
        body = json.dumps(answers[key], ensure_ascii=False, sort_keys=True).encode("utf-8")
        return Answer(200, body, date)

    return answer
