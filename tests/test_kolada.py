"""``reportkit kolada`` over real HTTP against a local threaded server serving answers in
Kolada v3's shape (issue 31): paging, batching and 422, 429 then success, a null value with
status Missing, a revision between two fetches, a removed KPI, no network."""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reportkit.sources import kolada_api as api

ROOT = Path(__file__).resolve().parent.parent
MEMBERS = [("9901", "Norrby"), ("9902", "Sjövik"), ("9903", "Åsby")]


class KoladaServer:
    """Answers by path (and query), in order: a route's list of answers is used one by one,
    its last answer repeated. A data path with more than 20 ids in a dimension answers 422."""

    def __init__(self) -> None:
        self.routes: dict[str, list[tuple[int, Any, dict[str, str]]]] = {}
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                path = self.path.removeprefix("/v3")
                outer.requests.append(path)
                status, body, headers = outer.answer(path)
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/v3"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, path: str) -> tuple[int, Any, dict[str, str]]:
        m = re.match(r"/data/kpi/([^/]+)/municipality/([^/]+)/year/([^/?]+)", path)
        if m and any(len(part.split(",")) > 20 for part in m.groups()):
            return 422, {"detail": "too many ids"}, {}
        import urllib.parse

        key = urllib.parse.unquote_plus(path)
        found = self.routes.get(key)
        if not found:
            return 404, {"detail": "not found"}, {}
        return found.pop(0) if len(found) > 1 else found[0]

    def route(self, path: str, *answers: tuple[int, Any, dict[str, str]] | Any) -> None:
        self.routes[path] = [a if isinstance(a, tuple) else (200, a, {}) for a in answers]


@pytest.fixture
def server() -> Iterator[KoladaServer]:
    srv = KoladaServer()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


def _value(kpi: str, muni: str, year: int, value: float | None, status: str = "") -> dict:
    return {"kpi": kpi, "municipality": muni, "period": year,
            "values": [{"gender": "T", "value": value, "count": 1, "status": status}]}


def _page(values: list[dict], next_url: str | None = None) -> dict:
    return {"values": values, "count": len(values), "next_url": next_url}


def _client(server: KoladaServer, **kw: Any) -> api.Client:
    sleeps: list[float] = []
    client = api.Client(server.base, rate=0, sleep=sleeps.append, **kw)
    client.sleeps = sleeps  # type: ignore[attr-defined]
    return client


def test_paging_follows_next_url_over_three_pages(server: KoladaServer) -> None:
    path = "/data/kpi/N15428/municipality/9999/year/2024,2025,2026"
    server.route(path, _page([_value("N15428", "9999", 2024, 80.0)],
                             f"{server.base}/data/kpi/N15428/municipality/9999/year/"
                             "2024,2025,2026?page=2"))
    server.route(path + "?page=2", _page([_value("N15428", "9999", 2025, 81.0)],
                                         f"{server.base}{path}?page=3"))
    server.route(path + "?page=3", _page([_value("N15428", "9999", 2026, 82.5)]))
    pages = _client(server).data(["N15428"], ["9999"], [2024, 2025, 2026])
    assert len(pages) == 3 and server.requests == [path, path + "?page=2", path + "?page=3"]
    values = [v for p in pages for v in api.parse_data(p.data)]
    assert [(v[2], v[4]) for v in values] == [(2024, 80.0), (2025, 81.0), (2026, 82.5)]
    assert all(len(p.sha256) == 64 and p.fetched_at.endswith("+00:00") for p in pages)


def test_at_most_20_ids_a_dimension_and_a_422_halves_the_batch(server: KoladaServer) -> None:
    codes = [f"{9000 + i:04d}" for i in range(30)]
    for part in (codes[:20], codes[20:], codes[:15], codes[15:]):
        server.route(f"/data/kpi/N1/municipality/{','.join(part)}/year/2025",
                     _page([_value("N1", c, 2025, 1.0) for c in part]))
    pages = _client(server).data(["N1"], codes, [2025])  # batches of 20: no 422
    assert sum(p.data["count"] for p in pages) == 30 and len(server.requests) == 2
    server.requests.clear()
    pages = _client(server, batch=40).data(["N1"], codes, [2025])  # 30 at once: 422, halved
    assert sum(p.data["count"] for p in pages) == 30
    assert len(server.requests) == 3 and len(server.requests[0].split(",")) == 30


def test_a_422_that_cannot_be_halved_is_a_swedish_error(server: KoladaServer) -> None:
    client = _client(server, batch=30)
    with pytest.raises(api.KoladaFailure) as caught:
        client.get(client.url("/data/kpi/" + ",".join(f"N{i:05d}" for i in range(21))
                              + "/municipality/9999/year/2025"))
    found = caught.value.problem
    assert found.code == "kolada-http-error" and "422" in found.message
    assert "för många id" in found.hint


def test_429_then_success_waits_and_retries(server: KoladaServer) -> None:
    server.route("/kpi/N1", (429, {"detail": "slow down"}, {"Retry-After": "2"}),
                 (503, {"detail": "busy"}, {}), _page([{"id": "N1", "title": "Ett"}]))
    client = _client(server)
    page = client.get(client.url("/kpi/N1"))
    assert api.parse_titles(page.data) == [("N1", "Ett")]
    assert len(server.requests) == 3 and client.sleeps == [2.0, 1.0]  # type: ignore[attr-defined]


def test_throttle_keeps_to_five_requests_a_second(server: KoladaServer) -> None:
    server.route("/kpi/N1", _page([]))
    now = [0.0]
    sleeps: list[float] = []
    client = api.Client(server.base, sleep=lambda s: (sleeps.append(s), now.__setitem__(
        0, now[0] + s)), clock=lambda: now[0])
    for _ in range(3):
        client.get(client.url("/kpi/N1"))
    assert sleeps == [pytest.approx(0.2), pytest.approx(0.2)]


def test_no_network_is_a_swedish_error() -> None:
    def down(_url: str, _timeout: float) -> api.Answer:
        raise OSError("Connection refused")

    client = api.Client("http://127.0.0.1:9/v3", transport=down, rate=0, sleep=lambda s: None)
    with pytest.raises(api.KoladaFailure) as caught:
        client.get(client.url("/kpi/N1"))
    assert caught.value.problem.code == "kolada-no-network"
    assert "Connection refused" in caught.value.problem.message


# --- a whole fetch into a project ------------------------------------------------------------

def _project(tmp_path: Path, comparison: str = "") -> Path:
    from reportkit.styrmodell.project_setup import init_project

    root = tmp_path / "kommun"
    init_project(root, "exempelkommun")
    yaml = root / "styrmodell" / "2026.yaml"
    text = yaml.read_text(encoding="utf-8")
    if comparison:
        text = text.replace("\nperioder:", f"\n{comparison}\nperioder:", 1)
    yaml.write_text(text, encoding="utf-8")
    return root


def _routes(server: KoladaServer, value_2025: float | None = 2.5, *,
            kpis: tuple[str, ...] = ("N15428", "N03001")) -> None:
    server.route("/municipality_groups?title=Liknande kommuner socioekonomi, Exempelkommun",
                 _page([{"id": "G1", "title": "Liknande kommuner socioekonomi, Exempelkommun, 2025",
                         "members": [{"id": c, "title": n} for c, n in MEMBERS]}]))
    server.route(f"/kpi/{','.join(('N15428', 'N03001'))}",
                 _page([{"id": k, "title": f"Titel {k}"} for k in kpis]))
    codes = ",".join(["9999", *[c for c, _ in MEMBERS], "0000"])
    years = ",".join(str(y) for y in range(2022, 2027))
    values = [_value("N03001", "9999", 2025, value_2025), _value("N03001", "9901", 2025, 1.0),
              _value("N03001", "9902", 2025, None, "Missing"),
              _value("N03001", "9903", 2025, 4.0), _value("N03001", "0000", 2025, 2.0),
              _value("N03001", "9999", 2024, 1.8), _value("N03001", "9901", 2024, 1.2)]
    if "N15428" in kpis:
        values.append(_value("N15428", "9999", 2026, 85.0))
    server.route(f"/data/kpi/{','.join(kpis)}/municipality/{codes}/year/{years}",
                 _page(values))


def test_a_fetch_keeps_every_answer_and_shows_a_revision(server: KoladaServer,
                                                          tmp_path: Path) -> None:
    from reportkit.outputs.kolada import fetch_kolada
    from reportkit.storage import kolada as kept
    from reportkit.storage import store

    root = _project(tmp_path)
    _routes(server, 2.5)
    first = fetch_kolada(root, "2026-helår", base_url=server.base, rate=0)
    assert first.problems == [] and first.revisions == [] and first.values == 8
    assert first.group_title == "Liknande kommuner socioekonomi, Exempelkommun, 2025"
    for rel in first.files:  # the bytes kept, named by their hash
        import hashlib

        assert hashlib.sha256((root / rel).read_bytes()).hexdigest() in rel
    log = json.loads(next((root / "kolada" / "hamtningar").glob("*.json")).read_text("utf-8"))
    assert {e["url"] for e in log["svar"]} >= {f"{server.base}/kpi/N15428,N03001"}
    _routes(server, 2.7)  # RKA revised 2025
    fetched = CliRunner().invoke(_cli(), ["kolada", "hämta", str(root), "-p", "2026-helår",
                                          "--api", server.base, "--json"])
    assert fetched.exit_code == 0, fetched.output
    second = json.loads(fetched.stdout)
    _valid(second)
    assert [(r["kpi"], r["municipality"], r["year"], r["before"], r["after"])
            for r in second["revisions"]] == [("N03001", "9999", 2025, 2.5, 2.7)]
    conn = store.connect(root / "reportkit.sqlite")
    try:
        both = conn.execute("SELECT value, fetched_at, response_id FROM kolada_value WHERE "
                            "kpi = 'N03001' AND municipality = '9999' AND year = 2025 "
                            "ORDER BY id").fetchall()
        assert [r["value"] for r in both] == [2.5, 2.7]  # both kept, each with its answer
        missing = [v for v in kept.current_values(conn) if v.municipality == "9902"]
        assert [(v.value, v.status) for v in missing] == [(None, "Missing")]
    finally:
        conn.close()
    shown = CliRunner().invoke(_cli(), ["kolada", "visa", str(root), "--json"])
    data = json.loads(shown.stdout)
    _valid(data)
    assert data["revisions"][0]["before"] == 2.5 and data["revisions"][0]["after"] == 2.7
    text = CliRunner().invoke(_cli(), ["kolada", "visa", str(root)]).output
    assert "N03001 9999 2025 (T): 2,5 → 2,7" in text


def test_a_removed_kpi_is_a_varning_and_the_rest_is_fetched(server: KoladaServer,
                                                            tmp_path: Path) -> None:
    from reportkit.outputs.kolada import fetch_kolada

    root = _project(tmp_path)
    _routes(server, kpis=("N03001",))  # Kolada no longer knows N15428
    report = fetch_kolada(root, "2026-helår", base_url=server.base, rate=0)
    assert [p.code for p in report.problems] == ["kolada-kpi-removed"]
    assert "KF1-I1" in report.problems[0].message and list(report.kpis) == ["N03001"]
    assert report.values == 7


def test_an_empty_answer_is_a_varning(server: KoladaServer, tmp_path: Path) -> None:
    from reportkit.outputs.kolada import fetch_kolada

    root = _project(tmp_path)
    _routes(server)
    codes = ",".join(["9999", *[c for c, _ in MEMBERS], "0000"])
    server.route(f"/data/kpi/N15428,N03001/municipality/{codes}/year/2022,2023,2024,2025,2026",
                 _page([]))
    report = fetch_kolada(root, "2026-helår", base_url=server.base, rate=0)
    assert [p.code for p in report.problems] == ["kolada-empty", "kolada-empty"]


def test_the_group_as_a_list_of_kommuner(server: KoladaServer, tmp_path: Path) -> None:
    from reportkit.outputs.kolada import fetch_kolada

    root = _project(tmp_path, 'kolada:\n  jämförelse: kommuner\n  kommuner: ["9901", Sjövik]')
    _routes(server)
    server.route("/municipality", _page([{"id": c, "title": n, "type": "K"}
                                         for c, n in [*MEMBERS, ("9999", "Exempelkommun")]]))
    codes = ",".join(["9999", "9901", "9902", "0000"])
    server.route(f"/data/kpi/N15428,N03001/municipality/{codes}/year/2022,2023,2024,2025,2026",
                 _page([_value("N03001", "9999", 2025, 2.0)]))
    report = fetch_kolada(root, "2026-helår", base_url=server.base, rate=0)
    assert report.members == [("9901", "Norrby"), ("9902", "Sjövik")]


def test_the_cli_reports_no_network_in_swedish(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = CliRunner().invoke(_cli(), ["kolada", "hämta", str(root), "-p", "2026-helår",
                                         "--api", "http://127.0.0.1:9/v3", "--json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["problems"][0]["code"] == "kolada-no-network"


def test_comparison_in_the_arsredovisning_and_a_decision_freezes_it(
        server: KoladaServer, tmp_path: Path) -> None:
    from reportkit.documents.kolada import attach_comparisons
    from reportkit.documents.reportdata import Goal, Indicator, Kommun, Period, ReportData
    from reportkit.outputs.kolada import fetch_kolada
    from reportkit.storage import kolada as kept
    from reportkit.storage import store
    from reportkit.styrmodell.project import Project

    root = _project(tmp_path)
    _routes(server, 2.5)
    fetch_kolada(root, "2026-helår", base_url=server.base, rate=0)
    project = Project.open(root)
    model = project.styrmodell(2026)

    def data() -> ReportData:
        ind = Indicator(id="KF7-I1", name="Årets resultat", unit="%", decimals=1)
        goal = Goal(id="KF7", name="Resultat", level="kommun", owner_id="kommun",
                    owner_name="Exempelkommun", kind="finansiellt", indicators=[ind])
        return ReportData(kommun=Kommun("Exempelkommun"),
                          period=Period("2026-helår", "Årsredovisning 2026", "helår", 2026),
                          goals=[goal])

    conn = store.connect(project.store_path)
    try:
        shown = data()
        attach_comparisons(conn, model, shown)
        c = shown.goals[0].comparisons[0]
        # 2026 has no value yet: 2025; the group (Missing left out) 1,0 and 4,0
        assert (c.year, c.own, c.low, c.median, c.high, c.riket) == (2025, 2.5, 1.0, 2.5,
                                                                     4.0, 2.0)
        assert (c.rank, c.ranked) == (2, 3)
        from reportkit.documents.context import build_context

        row = build_context(shown, "arsredovisning").values["kf_mal"][0]
        first = row["jamforelse"][0]
        assert first["ar"] == "2025" and first["riket"] == "2,0\u00a0%"
        assert row["jamforelse_kalla"].startswith("Källa: Kolada, hämtat ")
        assert "Gruppens median: Egen beräkning på data från Kolada" in row[
            "jamforelse_kalla"]
        # a decided version keeps what was kept when it was decided
        conn.execute("INSERT INTO decision(id, period, scope, body, date, paragraph, "
                     "recorded_at, recorded_by) VALUES (1, '2026-helår', 'kommun', 'KF', "
                     "'2027-04-20', '45', 'x', 'y')")
        conn.execute("INSERT INTO decision_source SELECT 1, 'kolada', 'kolada_value', "
                     "CAST(MAX(id) AS TEXT) FROM kolada_value")
    finally:
        conn.close()
    _routes(server, 3.9)
    fetch_kolada(root, "2026-helår", base_url=server.base, rate=0)
    conn = store.connect(project.store_path)
    try:
        from reportkit.storage.decisions import get

        decided, draft = data(), data()
        attach_comparisons(conn, model, decided, get(conn, "2026-helår", "1"))
        attach_comparisons(conn, model, draft)
        assert decided.goals[0].comparisons[0].own == 2.5
        assert draft.goals[0].comparisons[0].own == 3.9
        assert kept.frozen_at(conn, None) is None
    finally:
        conn.close()


def test_the_recorded_answers_replay_without_a_network(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from reportkit.outputs.kolada import fetch_kolada

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise OSError("network blocked in the test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    root = _project(tmp_path)
    recorded = json.loads((ROOT / "fixtures" / "exempelkommun" / "kolada" / "inspelat.json")
                          .read_text(encoding="utf-8"))
    report = fetch_kolada(root, "2026-helår", transport=api.replay_transport(recorded), rate=0)
    assert report.problems == [] and report.values > 100
    assert report.group_title.endswith(", 2025")
    shutil.rmtree(root)


def _cli() -> Any:
    from reportkit.cli import main

    return main


def _valid(data: dict) -> None:
    import jsonschema

    schema = json.loads((ROOT / "docs" / "json" / "kolada.schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_data_kolada_csv_is_loaded_into_the_store_once(tmp_path: Path) -> None:
    """#25: the values of data/kolada.csv are kept in the store (so a decision freezes
    them), once per version of the file."""
    from reportkit.consolidate.sourced import load_kolada_csv, stored_kolada
    from reportkit.storage import store
    from reportkit.styrmodell.project import Project

    root = _project(tmp_path)
    (root / "data" / "kolada.csv").write_text(
        "KPI;År;Kön;Värde;Hämtad\nN03001;2025;T;2,4;2026-11-02\n", encoding="utf-8")
    model = Project.open(root).styrmodell(2026)
    conn = store.connect(":memory:")
    assert load_kolada_csv(conn, root, model) == []
    load_kolada_csv(conn, root, model)  # the same file again: nothing new
    [value] = stored_kolada(conn, model)
    assert (value.kpi, value.year, value.value, value.fetched) == ("N03001", 2025, 2.4,
                                                                   "2026-11-02")
    assert conn.execute("SELECT COUNT(*) FROM kolada_value").fetchone()[0] == 1


def test_missing_is_a_dash_and_another_status_is_shown() -> None:
    from reportkit.documents.context import build_context
    from reportkit.documents.reportdata import (
        Comparison,
        Goal,
        Kommun,
        Period,
        ReportData,
    )

    rows = [Comparison("I1", "Ett", "N1", "%", 1, year=2025, own=None, own_status="Missing",
                       low=1.0, median=2.0, high=3.0),
            Comparison("I2", "Två", "N2", "%", 1, year=2026, own=4.0,
                       own_status="Preliminär", rank=1, ranked=3)]
    goal = Goal(id="G", name="Mål", level="kommun", owner_id="kommun", owner_name="K",
                comparisons=rows)
    data = ReportData(kommun=Kommun("K"), comparison_group="Grupp",
                      period=Period("2026-helår", "Årsredovisning 2026", "helår", 2026),
                      goals=[goal])
    shown = build_context(data, "arsredovisning").values["kf_mal"][0]["jamforelse"]
    assert [r["kommunen"] for r in shown] == ["–", "4,0\u00a0% (preliminär)"]
    assert [r["placering"] for r in shown] == ["–", "1 av 3"]
    assert [r["riket"] for r in shown] == ["–", "–"]  # never 0
    assert [r["annat_ar"] for r in shown] == [True, False]
