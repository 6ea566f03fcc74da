"""Every kommun in its own words (issue 24 item 1): the forms of a word, the styrmodell's keys,
and Fyrkanta – the second fixture kommun – run end to end without one of Exempelkommun's words.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportkit.demo import DEMO_DECISIONS
from reportkit.styrmodell.words import DEFAULT_WORDS, derive, word

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "fyrkanta" / "styrmodell" / \
    "2026.yaml"


@pytest.mark.parametrize(("base", "forms"), [
    ("KF-mål", ("KF-målet", "KF-mål", "KF-målen", "KF-målets", "ett")),
    ("Effektmål", ("Effektmålet", "Effektmål", "Effektmålen", "Effektmålets", "ett")),
    ("Målområde", ("Målområdet", "Målområden", "Målområdena", "Målområdets", "ett")),
    ("Perspektiv", ("Perspektivet", "Perspektiv", "Perspektiven", "Perspektivets", "ett")),
    ("Inriktning", ("Inriktningen", "Inriktningar", "Inriktningarna", "Inriktningens", "en")),
    ("Nämnd", ("Nämnden", "Nämnder", "Nämnderna", "Nämndens", "en")),
    ("Verksamhet", ("Verksamheten", "Verksamheter", "Verksamheterna", "Verksamhetens", "en")),
])
def test_the_default_forms_of_a_word(base: str, forms: tuple[str, ...]) -> None:
    w = derive(base)
    assert (w.bestämd, w.plural, w.bestämd_plural, w.genitiv, w.artikel) == forms


def test_a_mapping_overrides_forms_and_the_rest_are_derived() -> None:
    w = word({"grundform": "Strategiskt område", "plural": "Strategiska områden",
              "bestämd_plural": "Strategiska områdena"})
    assert (w.grundform, w.bestämd, w.plural, w.bestämd_plural, w.genitiv) == (
        "Strategiskt område", "Strategiskt området", "Strategiska områden",
        "Strategiska områdena", "Strategiskt områdets")
    assert word({"grundform": "Mål", "bestämd": "Målet"}).genitiv == "Målets"
    # the middle of a sentence: lower case, but an acronym stays
    assert derive("Nämndmål").lower().plural == "nämndmål"
    assert derive("KF-mål").lower().genitiv == "KF-målets"
    assert DEFAULT_WORDS.as_context()["malnamn"]["namnd"]["liten"]["grundform"] == "nämndmål"


def _styrmodell(tmp_path: Path, extra: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    path = tmp_path / "styrmodell" / "2026.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text.replace("målområdesnamn: Perspektiv", extra), encoding="utf-8")
    return path


@pytest.mark.parametrize(("extra", "says"), [
    ("målområdesnamn: {grundform: Perspektiv, bestämdd: Perspektivet}", "okänd form 'bestämdd'"),
    ("målområdesnamn: {plural: Perspektiv}", "formen 'grundform' saknas"),
    ("målområdesnamn: {grundform: Område, artikel: det}", "artikel ska vara en eller ett"),
    ("målområdesnamn: ''", "ordet får inte vara tomt"),
])
def test_a_wrong_word_is_a_clear_swedish_error(tmp_path: Path, extra: str, says: str) -> None:
    from reportkit.styrmodell.model import load_styrmodell

    model, problems = load_styrmodell(_styrmodell(tmp_path, extra))
    assert model is None
    assert len(problems) == 1 and problems[0].location.key.startswith("målområdesnamn")
    assert says in problems[0].line()


# Exempelkommun's words (the four goal names in every form, the goal area word) and the kinds
# of organisation Fyrkanta does not have: gemensam nämnd, and styrelse as a kind (the word
# alone: "Styrelse", "styrelser"). "Styrelsen" is allowed – a bolag has a board, and the
# demo's texts say "Styrelsen antog internkontrollplanen" for a bolag – and so are
# "kommunstyrelsen" (every kommun has one; the demo's texts name it) and "bolagsstyrelse".
# Fyrkanta has a nämnd, bolag (a holding with a dotterbolag) and a kommunalförbund.
FORBIDDEN = re.compile(r"kf-mål|nämndmål|verksamhetsmål|enhetsmål|målområd"
                       r"|gemensam(ma)? nämnd|\bstyrelse(r|rna|rnas)?\b", re.IGNORECASE)
OWN = ("Inriktningsmål", "Effektmål", "Resultatmål", "Aktivitetsmål", "Perspektiv")
DOCUMENTS = ("verksamhetsplan-2026-plan", "delarsrapport-2026-mars", "uppfoljning-2026-K2",
             "delarsrapport-2026-delår", "uppfoljning-2026-K3", "arsredovisning-2026-helår")
"""Every period of Fyrkanta's year and its document: two delårsrapporter (januari–mars and the
statutory januari–augusti), two kvartal with their uppföljning."""
COMMITTEES = ("SN", "TN", "VALN", "FSAB", "FAB", "RTJ")
"""Two nämnder with avdelningar, Valnämnden with its arbetsplats directly under it, the holding
bolag Fyrkanta Stadshus AB with its dotterbolag Fyrkantabostäder AB, a kommunalförbund."""


def _office_texts(root: Path) -> dict[str, str]:
    """Every .docx and .xlsx under ``root`` as its text (all XML parts, tags removed) and, after
    it, the XML itself (so the charts' alternative texts and other attributes count too)."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".docx", ".xlsx") or ".cache" in path.parts:
            continue
        with zipfile.ZipFile(path) as z:
            xml = [z.read(n).decode("utf-8", "replace") for n in z.namelist()
                   if n.endswith((".xml", ".rels"))]
        out[str(path.relative_to(root))] = " ".join(
            [re.sub(r"<[^>]+>", " ", x) for x in xml] + xml)
    return out


def _leaks(name: str, text: str) -> list[str]:
    return [f"{name}: …{text[max(0, m.start() - 50):m.end() + 30]}…"
            for m in FORBIDDEN.finditer(text)]


def _undecided(name: str) -> str:
    """A document's file stem without a decided version's ``-beslutad-KF-…``."""
    return Path(name).stem.split("-beslutad-", 1)[0]


@pytest.fixture(scope="module")
def fyrkanta(tmp_path_factory) -> tuple[Path, str]:
    """The demo of Fyrkanta: every period of its year, level by level, and every document."""
    from reportkit.demo import run_demo

    summary = run_demo(tmp_path_factory.mktemp("fyrkanta") / "demo", pdf=False,
                       kommun="fyrkanta")
    return summary.out, summary.text()


@pytest.mark.slow
def test_fyrkanta_documents_workbooks_and_summaries_are_in_its_own_words(fyrkanta) -> None:
    root, demo_text = fyrkanta
    texts = _office_texts(root)
    # the periods KF decided in the demo are rendered as decided (issue 29: "Beslutad av KF …"
    # rather than "Utkast"); their file names end with the decision
    documents = {_undecided(n): t for n, t in texts.items()
                 if n.startswith("rapporter/") and n.endswith(".docx") and "/kapitel/" not in n}
    # every period's document: two delårsrapporter, a kvartal's uppföljning named by its period
    assert sorted(documents) == sorted(DOCUMENTS)
    for name, text in documents.items():
        decided = name.split("-", 1)[1] in DEMO_DECISIONS
        assert ("Beslutad av KF" in text) == decided and ("Utkast" in text) != decided, name
    chapters = sorted(_undecided(n) for n in texts if "/kapitel/" in n)
    assert chapters == sorted(f"{d}-{c}" for d in DOCUMENTS for c in COMMITTEES)
    assert any(n.startswith("utskick/") for n in texts)  # the workbooks sent out
    assert any("sammanstallning" in n for n in texts)
    assert {"utskick/2026-K2/RTJ.xlsx", "utskick/2026-K2/FAB.xlsx", "utskick/2026-K2/FSAB.xlsx",
            "utskick/2026-K2/valkansliet.xlsx"} <= set(texts)
    # a kvartal is followed up by arbetsplatser and nämnder only: no avdelning's workbook
    assert "utskick/2026-K2/skola.xlsx" not in texts and "utskick/2026-K2/kommun.xlsx" not in texts
    leaks = [leak for name, text in texts.items() for leak in _leaks(name, text)]
    assert leaks == []
    everything = " ".join(texts.values())
    for own in OWN:
        assert own in everything, own
    arsredovisning = documents["arsredovisning-2026-helår"]
    for phrase in ("Antal Inriktningsmål per bedömning", "Perspektiv Medborgare",
                   "descr=\"Stapeldiagram: Inriktningsmål per perspektiv",
                   "Inriktningsmål per perspektiv", "Effektmål per nämnd, bolag och förbund",
                   "Inriktningsmålets bedömning:",
                   # grouped and named by kind: nämnder and bolag, the förbund on its own
                   "Nämndernas och bolagens verksamhetsberättelser",
                   "Kommunalförbundens verksamhetsberättelser",
                   "Räddningstjänsten Fyrkanta–Rundby", "Fyrkanta Stadshus AB",
                   "Fyrkantabostäder AB", "Valnämnden"):
        assert phrase in arsredovisning, phrase
    plan = documents["verksamhetsplan-2026-plan"]
    assert "Bidrar till Inriktningsmål:" in plan and "per perspektiv, med" in plan
    assert "Kommunalförbundens verksamhetsplaner" in plan
    for delår in ("delarsrapport-2026-mars", "delarsrapport-2026-delår"):
        assert "Kommunalförbundens redovisning" in documents[delår], delår
    assert "Delårsrapport januari–mars 2026" in documents["delarsrapport-2026-mars"]
    for kvartal, name in (("uppfoljning-2026-K2", "Kvartalsuppföljning januari–juni 2026"),
                          ("uppfoljning-2026-K3", "Kvartalsuppföljning januari–september")):
        text = documents[kvartal]
        for phrase in (name, "Prognos för måluppfyllelsen per Inriktningsmål",
                       "Nämndernas och bolagens uppföljning", "Kommunalförbundens uppföljning",
                       # fullmäktige and the avdelningar do not follow up a kvartal
                       "Följs inte upp denna period"):
            assert phrase in text, (kvartal, phrase)
    assert "Perspektiv" in texts["utskick/2026-helår/norrskolan.xlsx"]
    # Valnämnden's arbetsplats directly under it: its workbook is prefilled into the nämnd's
    assert "Valkansliet" in texts["utskick/2026-helår/VALN.xlsx"]
    summary = texts["rapporter/2026-helår/sammanstallning-2026-helår.xlsx"]
    assert "Kommunalförbund" in summary
    assert "Inriktningsmålen vid helår" in demo_text and "Arbetsplats: 8 styrkort" in demo_text
    assert "Kvartalsuppföljning januari–juni 2026, nivå för nivå" in demo_text
    assert "Kapitel per nämnd, bolag och förbund: 36 filer" in demo_text
    assert _leaks("demo", demo_text) == []


@pytest.mark.slow
def test_fyrkanta_web_site_and_overview_are_in_its_own_words(fyrkanta) -> None:
    """reportkit webb and översikt (the demo writes both for the last period)."""
    root, _text = fyrkanta
    pages = {str(p.relative_to(root)): p.read_text(encoding="utf-8")
             for p in sorted(root.glob("rapporter/*/*/*.html"))}
    assert any("/webb/" in n for n in pages) and any("/oversikt/" in n for n in pages)
    leaks = [leak for name, text in pages.items() for leak in _leaks(name, text)]
    assert leaks == []
    site = "\n".join(t for n, t in pages.items() if "/webb/" in n)
    assert "Perspektiv" in site and "Inriktningsmål" in site
    # the uppdrag and the intern kontroll pages under the styrmodell's headings (issue 33)
    assert "<h1>Beslutade uppdrag</h1>" in site and "<h1>Internkontroll</h1>" in site


@pytest.mark.slow
def test_fyrkanta_documents_are_valid_ooxml(fyrkanta) -> None:
    from testkit import ooxml_errors

    documents = sorted((fyrkanta[0] / "rapporter").rglob("*.docx"))
    assert len(documents) > 40
    assert ooxml_errors(documents) == []


@pytest.mark.slow
def test_fyrkanta_cli_output_is_in_its_own_words(fyrkanta) -> None:
    from reportkit.cli import main

    root, _text = fyrkanta
    run = CliRunner().invoke
    outputs = {}
    outputs["validate"] = run(main, ["validate", str(root)]).output
    outputs["consolidate"] = run(main, ["consolidate", str(root), "-p", "2026-helår"]).output
    outputs["status"] = run(main, ["status", str(root), "-p", "2026-helår"]).output
    # --datum picks the period being reported that day
    for day, period in (("2026-04-20", "2026-mars"), ("2026-07-05", "2026-K2"),
                        ("2026-09-20", "2026-delår"), ("2026-10-10", "2026-K3")):
        outputs[f"status {day}"] = run(main, ["status", str(root), "--datum", day]).output
        assert f"inlamning-{period}.xlsx" in outputs[f"status {day}"], day
    # both delårsrapporter by one command, without -p
    result = run(main, ["render", "delarsrapport", str(root), "--datum", "2026-10-10"])
    assert result.exit_code == 0, result.output
    outputs["render delarsrapport"] = result.output
    for name in ("delarsrapport-2026-mars.docx", "delarsrapport-2026-delår.docx"):
        assert name in result.output, name
    # a kvartal's document is its uppföljning, named by the period
    result = run(main, ["render", "uppfoljning", str(root), "-p", "2026-K2"])
    assert result.exit_code == 0, result.output
    outputs["render uppfoljning"] = result.output
    assert "uppfoljning-2026-K2.docx" in result.output
    # a workbook checked on its own (no project): its Perspektiv column is its own, not changed
    outputs["check"] = run(main, ["check", str(root / "utskick" / "2026-helår" /
                                             "norrskolan.xlsx")]).output
    for goal in ("IM1", "SN-E1", "SKOLA-R1", "norrskolan-A1", "VALN-E1", "FSAB-E1", "FAB-E1",
                 "RTJ-E1"):
        outputs[f"explain {goal}"] = run(main, ["explain", goal, str(root), "-p",
                                                "2026-helår"]).output
    outputs["explain K2"] = run(main, ["explain", "IM1", str(root), "-p", "2026-K2"]).output
    leaks = [leak for name, text in outputs.items() for leak in _leaks(name, text)]
    assert leaks == []
    assert "3 nämnder, 2 bolag, 1 kommunalförbund" in outputs["validate"]
    assert "Inriktningsmål: " in outputs["consolidate"]
    assert "wb-header-changed" not in outputs["check"] and "Perspektiv" not in outputs["check"]
    assert "Inriktningsmål IM1:" in outputs["explain IM1"]
    assert "Effektmål SN-E1:" in outputs["explain IM1"]
    assert "Resultatmål SKOLA-R1:" in outputs["explain SKOLA-R1"]
    assert "Aktivitetsmål norrskolan-A1:" in outputs["explain SKOLA-R1"]
    assert "Aktivitetsmål valkansliet-A1:" in outputs["explain VALN-E1"]
    assert "Effektmål RTJ-E1:" in outputs["explain RTJ-E1"]


def test_init_starts_a_project_from_another_fixture_kommun(tmp_path: Path) -> None:
    from reportkit.errors import ReportkitError
    from reportkit.styrmodell.project_setup import init_project, validate_project

    root = init_project(tmp_path / "p", "fyrkanta")
    models, problems = validate_project(root)
    assert [p.line() for p in problems if p.is_error] == []
    assert models[0].words.area.grundform == "Perspektiv"
    assert models[0].goal_name("kommun") == "Inriktningsmål"
    with pytest.raises(ReportkitError, match="fyrkanta"):
        init_project(tmp_path / "q", "ingen-sadan")
    assert not (tmp_path / "q").exists()


def test_rendering_a_period_of_fyrkanta_with_nothing_consolidated_is_an_error(
        tmp_path: Path) -> None:
    from reportkit.cli import main
    from reportkit.styrmodell.project_setup import init_project

    root = init_project(tmp_path / "p", "fyrkanta")
    result = CliRunner().invoke(main, ["render", "uppfoljning", str(root), "-p", "2026-K2"])
    assert result.exit_code != 0
    assert "reportkit consolidate" in result.output
    assert not list(root.rglob("uppfoljning-*.docx"))
