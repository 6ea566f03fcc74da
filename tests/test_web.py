"""reportkit webb and reportkit översikt (issue 33): the demo's site and overview as files
(strict HTML, relative links, the same figures as the årsredovisning, the same bytes again,
a unit's HTML shown as text) and in Debian's chromium (no console error, zero axe WCAG 2.1 AA
violations, every link reached by Tab, no horizontal scroll at 320 and 1280 px).

One demo (without PDF) and one browser for the module; the browser tests skip without
chromium and chromedriver, and fail under CI=true (.ci/run installs them)."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import webkit
from testkit import in_ci

from reportkit.documents.web import build_overview, build_site

PERIOD = "2026-helår"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WCAG_AA_AXE3 = ["wcag2a", "wcag2aa", "wcag21aa"]
"""The tags of axe-core 3.1 (what axe-selenium-python 2.1.6, the last for Python 3.11, ships:
it has no ``wcag21a`` rules). ``REPORTKIT_AXE_JS`` names a newer ``axe.min.js`` (``npm pack
axe-core``) to run instead, with every WCAG 2.1 A and AA tag."""
NUMBER = re.compile(r"[−-]?\d{1,3}(?:[\u00a0\u202f]\d{3})+(?:,\d+)?|[−-]?\d+(?:,\d+)?")
DIGG = "https://www.digg.se/tdosanmalan"

pytestmark = pytest.mark.slow  # one demo for the module


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reportkit.demo import run_demo

    out = tmp_path_factory.mktemp("webb") / "demo"
    run_demo(out, pdf=False)
    return out


@pytest.fixture(scope="module")
def site(demo: Path) -> Path:
    return demo / "rapporter" / PERIOD / "webb"


@pytest.fixture(scope="module")
def overview(demo: Path) -> Path:
    return demo / "rapporter" / PERIOD / "oversikt"


def _pages(site: Path, overview: Path) -> list[Path]:
    return sorted(site.glob("*.html")) + sorted(overview.glob("*.html"))


def _numbers(text: str) -> set[float]:
    return {round(float(n.replace("\u00a0", "").replace("\u202f", "").replace("−", "-")
                       .replace(",", ".")), 6) for n in NUMBER.findall(text)}


# -- as files ---------------------------------------------------------------------------------

def test_every_page_is_strict_html5(site: Path, overview: Path) -> None:
    import html5lib

    pages = _pages(site, overview)
    assert len(pages) > 20
    for page in pages:
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        parser.parse(page.read_bytes())  # raises on the first parse error
        assert b'<html lang="sv">' in page.read_bytes()


def test_links_are_relative_and_nothing_is_fetched_from_elsewhere(site: Path,
                                                                 overview: Path) -> None:
    for page in _pages(site, overview):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html, page.name  # works without JavaScript; no trackers
        for attr, target in re.findall(r'\s(href|src)="([^"]*)"', html):
            if target.startswith("#"):
                assert f'id="{target[1:]}"' in html, (page.name, target)
            elif target.startswith("mailto:") or target == DIGG:
                assert attr == "href"
            else:
                assert "://" not in target and not target.startswith("/"), (page.name, target)
                assert (page.parent / target.split("#")[0]).is_file(), (page.name, target)
        assert len(page.read_bytes()) < 60_000, page.name  # a few tens of kB


def test_every_page_says_the_date_of_the_data_and_the_words_are_the_kommuns(site: Path) -> None:
    for page in site.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<time datetime="2027-04-20">' in html, page.name
        assert "KF 2027-04-20 § 45" in html, page.name
    start = (site / "index.html").read_text(encoding="utf-8")
    assert "Målområden" in start and "Vision" in start
    assert '@media print' in (site / "stil.css").read_text(encoding="utf-8")


def _docx_numbers(docx: Path) -> set[float]:
    """Every number in the .docx: its text (per paragraph) and its pictures' alt texts."""
    from lxml import etree

    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    found: set[float] = set()
    with zipfile.ZipFile(docx) as z:
        for name in z.namelist():
            if not name.startswith("word/") or not name.endswith(".xml"):
                continue
            root = etree.fromstring(z.read(name))
            for p in root.iter(f"{{{ns['w']}}}p"):
                found |= _numbers("".join(t.text or "" for t in p.iter(f"{{{ns['w']}}}t")))
            for el in root.iter():
                if el.get("descr"):
                    found |= _numbers(el.get("descr"))
    return found


def test_every_figure_on_the_site_is_the_arsredovisnings(demo: Path, site: Path) -> None:
    """Each number in a table cell of the site (but the "vart går 100 kr" shares, which the
    site works out from the drift's utfall) is a number of the rendered årsredovisning."""
    import html5lib

    [docx] = (demo / "rapporter" / PERIOD).glob(f"arsredovisning-{PERIOD}-beslutad-*.docx")
    in_docx = _docx_numbers(docx)
    checked = 0
    for page in sorted(site.glob("*.html")):
        tree = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        for td in tree.iter("td"):
            if "harlett" in (td.get("class") or ""):
                continue
            text = "".join(td.itertext())
            for n in _numbers(text):
                checked += 1
                assert n in in_docx, f"{page.name}: {text!r} ({n}) finns inte i {docx.name}"
    assert checked > 100


def test_the_kolada_comparison_the_uppdrag_and_the_intern_kontroll_are_the_documents(
        demo: Path, site: Path) -> None:
    """Issue 33's "the Kolada comparison and the uppdrag where present": the same rows as the
    årsredovisning (its numbers are checked above with every table cell), the source wording
    as the document's, a status in symbol and text, the pages in the menu."""
    import html5lib

    [docx] = (demo / "rapporter" / PERIOD).glob(f"arsredovisning-{PERIOD}-beslutad-*.docx")
    in_docx = _docx_numbers(docx)
    goal = (site / "mal-kf1.html").read_text(encoding="utf-8")
    assert "<h2 id=\"jamforelse\">Jämförelse med andra kommuner</h2>" in goal
    assert "Källa: Kolada, hämtat 2027-" in goal
    assert "Gruppens median: Egen beräkning på data från Kolada." in goal
    row = re.search(r"<th scope=\"row\">Elever i åk 9[^<]*</th>((?:<td[^>]*>[^<]*</td>){7})"
                    r"</tr>", goal.split('id="jamforelse"')[1])
    assert row is not None
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))
    assert cells[0] == "2026" and cells[-1].endswith(" av 8") and "%" in cells[1]
    for page, words in (("uppdrag.html", ("Uppdrag från fullmäktige och nämnd", "● Genomfört<",
                                          "! försenat", "Kommunfullmäktige")),
                        ("intern-kontroll.html", ("Intern kontroll", "Riskmatris",
                                                  "Hög risk", "Kontrollmoment per risknivå"))):
        html = (site / page).read_text(encoding="utf-8")
        assert all(w in html for w in words), page
        assert f'<a href="{page}"' in (site / "index.html").read_text(encoding="utf-8")
        tree = html5lib.parse(html, namespaceHTMLElements=False)
        numbers = [n for td in tree.iter("td") for n in _numbers("".join(td.itertext()))]
        assert len(numbers) > 20 and all(n in in_docx for n in numbers), page
    # each nämnd's own kontrollmoment and uppdrag, as its chapter has them
    chapter = (site / "namnd-bun.html").read_text(encoding="utf-8")
    assert '<h2 id="intern-kontroll">Intern kontroll</h2>' in chapter
    assert "3 × 4 = 12 ● Hög risk" in chapter and "Kommunfullmäktige (budget)" in chapter
    matrix = (site / "intern-kontroll.html").read_text(encoding="utf-8")
    assert '<svg' in matrix and '<title id="riskmatris-titel">' in matrix
    assert "<desc id=\"riskmatris-beskrivning\">" in matrix
    figures = json.loads((site / "siffror.json").read_text(encoding="utf-8"))
    compared = [c for g in figures["mal"] for c in g["jamforelser"]]
    assert compared and all(c["hamtat"] for c in compared)
    assert len(figures["uppdrag"]) == 13 and len(figures["intern_kontroll"]) == 44
    assert any(u["forsenat"] for u in figures["uppdrag"])


def test_the_100_kronor_add_up_and_follow_the_drift(site: Path) -> None:
    html = (site / "siffror.html").read_text(encoding="utf-8")
    shares = [int(x) for x in re.findall(r'class="tal harlett">(\d+)\u00a0kr<', html)]
    assert shares and sum(shares) == 100


def test_the_same_store_gives_the_same_bytes(demo: Path, site: Path, tmp_path: Path) -> None:
    again = build_site(demo, PERIOD, out=tmp_path / "igen")
    names = sorted(p.name for p in site.iterdir() if p.is_file())
    assert names == sorted(p.name for p in again.folder.iterdir() if p.is_file())
    for name in names:
        assert (site / name).read_bytes() == (again.folder / name).read_bytes(), name
    svg = (site / "index.html").read_text(encoding="utf-8")
    assert "<svg" in svg and "dc:date" not in svg and "<metadata" not in svg


def test_sitemap_and_figures_json(site: Path) -> None:
    import jsonschema

    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for page in site.glob("*.html"):
        assert f"<loc>{page.name}</loc>" in sitemap
    figures = json.loads((site / "siffror.json").read_text(encoding="utf-8"))
    schema = json.loads((Path(__file__).resolve().parents[1] / "docs" / "json"
                         / "webb_siffror.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(figures, schema)
    assert figures["beslut"] == "KF 2027-04-20 § 45" and len(figures["mal"]) == 8


def test_a_units_html_is_shown_as_text(demo: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import html5lib

    from reportkit.documents import build

    evil = '<script>alert("x")</script><b onclick="x()">fet</b> & {{ 7*7 }}'
    real = build.to_report_data

    def with_evil(*args: Any, **kwargs: Any) -> Any:
        data = real(*args, **kwargs)
        data.kf_goals()[0].analysis = evil
        data.committees[0].mission = evil
        return data

    monkeypatch.setattr(build, "to_report_data", with_evil)
    out = build_site(demo, PERIOD, out=tmp_path / "ond")
    goal = sorted(out.folder.glob("mal-*.html"))[0]
    for page in (goal, out.folder / f"namnd-{_first_committee(out.folder)}.html"):
        tree = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        assert not list(tree.iter("script")) and not list(tree.iter("b")), page.name
        assert evil in "".join(tree.find("body").itertext()), page.name


def _first_committee(folder: Path) -> str:
    listing = (folder / "namnder.html").read_text(encoding="utf-8")
    return re.findall(r'href="namnd-([^"]+)\.html"', listing)[0]


def test_a_published_site_needs_a_decision_unless_asked_for_the_draft(demo: Path,
                                                                      tmp_path: Path) -> None:
    from reportkit import undo_decision
    from reportkit.errors import ReportkitError

    project = tmp_path / "p"
    shutil.copytree(demo, project, ignore=shutil.ignore_patterns("webb", "kapitel", "*.docx"))
    undo_decision(project, PERIOD, "KF 2027-04-20 § 45", "prov")
    with pytest.raises(ReportkitError) as refused:
        build_site(project, PERIOD, out=tmp_path / "w")
    assert [p.code for p in refused.value.problems] == ["web-no-decision"]
    draft = build_site(project, PERIOD, draft=True, out=tmp_path / "w")
    html = draft.start.read_text(encoding="utf-8")
    assert draft.decision is None and "Utkast" in html
    # undecided, a genomfört uppdrag is the unit's proposal, as in the documents
    assert "Genomfört (förslag)" in (draft.folder / "uppdrag.html").read_text(encoding="utf-8")


def test_the_overview_shows_the_one_status_and_what_changed(demo: Path, overview: Path,
                                                            tmp_path: Path) -> None:
    from reportkit import submission_overview
    from reportkit.storage import runs, store

    html = (overview / "index.html").read_text(encoding="utf-8")
    statuses, _path = submission_overview(demo, PERIOD)
    for s in statuses:
        assert f"<td>{s.state}</td>" in html
    anchors = re.findall(r'href="#(enhet-[^"]+)"', html)
    assert anchors and all(f'id="{a}"' in html for a in anchors)  # each unit's problems
    assert "Det finns ingen tidigare sammanställning" in html  # the demo's one full run
    project = tmp_path / "p"
    shutil.copytree(demo, project, ignore=shutil.ignore_patterns("webb", "kapitel", "*.docx"))
    conn = store.connect(project / "reportkit.sqlite")
    try:
        (last,) = runs.last_runs(conn, PERIOD, 1)
        unit = statuses[0].unit_id
        goal = next(iter(last.goals))
        # the run before the last one: the unit had not come in and the goal was not assessed
        conn.execute("UPDATE run_status SET run = run + 1 WHERE period = ?", (PERIOD,))
        runs.record_run(conn, PERIOD, {**last.units, unit: "saknas"}, {**last.goals, goal: ""},
                        "2027-01-10T09:00:00")
        conn.execute("UPDATE run_status SET run = 3 - run WHERE period = ?", (PERIOD,))
    finally:
        conn.close()
    changed = build_overview(project, PERIOD, out=tmp_path / "o").start.read_text("utf-8")
    assert f"{statuses[0].name}: saknas → {statuses[0].state}" in changed
    assert "Jämfört med sammanställningen 2027-01-10" in changed


def test_a_delar_site_shows_the_prognos_and_builds_strictly(demo: Path, tmp_path: Path) -> None:
    import html5lib

    out = build_site(demo, "2026-delår", out=tmp_path / "d")
    assert out.decision == "KF 2026-10-19 § 112" and out.problems == []  # no revisionsberättelse
    for page in out.folder.glob("*.html"):
        html5lib.HTMLParser(strict=True).parse(page.read_bytes())
    goal = (out.folder / "mal-kf1.html").read_text(encoding="utf-8")
    assert '<th scope="col" class="tal">Prognos</th>' in goal


def test_the_kansli_restyles_and_its_template_is_sandboxed(demo: Path, tmp_path: Path) -> None:
    from reportkit.documents.web import STYLESHEET, WebOutcome
    from reportkit.errors import ReportkitError

    project = tmp_path / "p"
    shutil.copytree(demo, project, ignore=shutil.ignore_patterns("webb", "kapitel", "*.docx"))
    own = project / "mallar" / "web"
    own.mkdir(parents=True)
    yaml = project / "styrmodell" / "2026.yaml"
    yaml.write_text(re.sub(r"^dokument:.*$", "webb:\n  färg: FFD700\n  kontakt: webb@exempel.se"
                           "\ndokument:\n  mallar: mallar", yaml.read_text(encoding="utf-8"),
                           count=1, flags=re.M), encoding="utf-8")
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "  kontakt: webb@exempel.se", "  kontakt: webb@exempel.se\n  logotyp: logga.svg"),
        encoding="utf-8")
    (project / "logga.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" '
                                       'height="10"/>', encoding="utf-8")
    reports = project / "rapporter" / PERIOD
    (reports / f"arsredovisning-{PERIOD}.pdf").write_bytes(b"%PDF-1.7 prov" * 100)
    (reports / "revisionsberattelse.pdf").write_bytes(b"%PDF-1.7 revision" * 100)
    (own / STYLESHEET).write_text("body { color: #000; }\n", encoding="utf-8")
    (own / "sida.html.j2").write_text(
        (Path(__file__).resolve().parents[1] / "templates" / "web" / "sida.html.j2")
        .read_text(encoding="utf-8").replace("<body>", "<body class=\"egen\">"),
        encoding="utf-8")
    out: WebOutcome = build_site(project, PERIOD, out=tmp_path / "w")
    start = out.start.read_text(encoding="utf-8")
    assert '<body class="egen">' in start and "--kommun: #FFD700; --kommun-text: #000000" in start
    assert (out.folder / STYLESHEET).read_text(encoding="utf-8") == "body { color: #000; }\n"
    assert "webb@exempel.se" in (out.folder / "tillganglighet.html").read_text(encoding="utf-8")
    assert '<img src="logotyp.svg" alt=""' in start and (out.folder / "logotyp.svg").is_file()
    assert out.problems == []  # the revisionsberättelse is there now
    for name in (f"arsredovisning-{PERIOD}.pdf", "revisionsberattelse.pdf"):
        assert f'href="dokument/{name}"' in start
        assert (out.folder / "dokument" / name).read_bytes() == (reports / name).read_bytes()
    assert ">Årsredovisning 2026 helår</a>" in start
    (own / "start.html.j2").write_text("{{ ''.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(ReportkitError) as refused:
        build_site(project, PERIOD, out=tmp_path / "w2")
    assert [p.code for p in refused.value.problems] == ["web-template-error"]


def test_a_run_is_kept_only_when_a_status_changed() -> None:
    from reportkit.storage import runs, store

    conn = store.connect(":memory:")
    assert runs.record_run(conn, "2026-delår", {"A": "saknas"}, {"KF1": ""}, "2026-09-01T10:00")
    assert not runs.record_run(conn, "2026-delår", {"A": "saknas"}, {"KF1": ""})
    assert runs.record_run(conn, "2026-delår", {"A": "inkommen"}, {"KF1": "uppfyllt"},
                           "2026-09-02T10:00")
    now, before = runs.last_runs(conn, "2026-delår")
    assert (now.number, now.units, before.units) == (2, {"A": "inkommen"}, {"A": "saknas"})


def test_the_cli_writes_the_site_and_says_where(demo: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from reportkit.cli import main

    result = CliRunner().invoke(main, ["webb", str(demo), "-p", PERIOD, "--ut",
                                       str(tmp_path / "w")])
    assert result.exit_code == 0, result.output
    assert "KF 2027-04-20 § 45" in result.output and "index.html" in result.output
    result = CliRunner().invoke(main, ["översikt", str(demo), "-p", "2026-delår"])
    assert result.exit_code == 0, result.output
    assert (demo / "rapporter" / "2026-delår" / "oversikt" / "index.html").is_file()


# -- in the browser ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Any:
    if not webkit.have_chromium():
        if in_ci():
            pytest.fail("chromium/chromedriver saknas men CI är satt: installera chromium "
                        "och chromium-driver.")
        pytest.skip("chromium och chromedriver saknas (apt-get install chromium "
                    "chromium-driver)")
    driver = webkit.start_chromium(tmp_path_factory.mktemp("chromium"))
    driver.set_script_timeout(120)
    yield driver
    driver.quit()


def _open(driver: Any, page: Path) -> list[dict[str, Any]]:
    driver.get(page.resolve().as_uri())
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def test_in_chromium_every_page_loads_clean_and_passes_axe(browser: Any, site: Path,
                                                           overview: Path) -> None:
    from axe_selenium_python import Axe

    started = time.perf_counter()
    webkit.set_width(browser, 1280)
    newer = os.environ.get("REPORTKIT_AXE_JS")
    axe = Axe(browser, newer) if newer else Axe(browser)
    tags = WCAG_AA if newer else WCAG_AA_AXE3
    for page in _pages(site, overview):  # the pages' own console, before axe runs in them
        assert _open(browser, page) == [], page.name
    for page in _pages(site, overview):
        _open(browser, page)
        axe.inject()
        result = axe.run(options=json.dumps({"runOnly": {"type": "tag", "values": tags},
                                             "resultTypes": ["violations"]}))
        assert result["violations"] == [], f"{page.name}: {axe.report(result['violations'])}"
    assert time.perf_counter() - started < 120


def test_in_chromium_tab_reaches_every_link(browser: Any, site: Path, overview: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    webkit.set_width(browser, 1280)
    for page in _pages(site, overview):
        _open(browser, page)
        links = browser.execute_script(
            "return Array.from(document.querySelectorAll('a[href]'), a => a.outerHTML)")
        reached = []
        for _ in range(len(links) + 40):
            ActionChains(browser).send_keys(Keys.TAB).perform()
            active = browser.execute_script(
                "return document.activeElement ? document.activeElement.outerHTML : ''")
            if reached and active == reached[0]:
                break
            reached.append(active)
        missing = [a for a in links if a not in reached]
        assert missing == [], page.name


@pytest.mark.parametrize("width", [320, 1280])
def test_in_chromium_no_horizontal_scroll(browser: Any, site: Path, overview: Path,
                                          width: int, tmp_path: Path) -> None:
    webkit.set_width(browser, width)
    for page in _pages(site, overview):
        _open(browser, page)
        wide = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert wide[0] <= wide[1], (page.name, width, wide)
    webkit.screenshot(browser, site / "index.html", tmp_path / f"start-{width}.png", width, 900)
    assert (tmp_path / f"start-{width}.png").stat().st_size > 10_000
