"""Every kommun in its own words (issue 24 item 1): the forms of a word, the styrmodell's keys,
and Fyrkanta – the second fixture kommun – run end to end without one of Exempelkommun's words.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

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
# of organisation Fyrkanta does not have. ("styrelse" is not here: a bolag has a styrelse and
# every kommun a kommunstyrelse, which the demo's texts name.)
FORBIDDEN = re.compile(r"kf-mål|nämndmål|verksamhetsmål|enhetsmål|målområd|kommunalförbund"
                       r"|gemensam(ma)? nämnd", re.IGNORECASE)
OWN = ("Inriktningsmål", "Effektmål", "Resultatmål", "Aktivitetsmål", "Perspektiv")


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


@pytest.fixture(scope="module")
def fyrkanta(tmp_path_factory) -> tuple[Path, str]:
    from reportkit.demo import run_demo

    summary = run_demo(tmp_path_factory.mktemp("fyrkanta") / "demo", pdf=False,
                       kommun="fyrkanta")
    return summary.out, summary.text()


@pytest.mark.slow
def test_fyrkanta_documents_workbooks_and_summaries_are_in_its_own_words(fyrkanta) -> None:
    root, demo_text = fyrkanta
    texts = _office_texts(root)
    documents = [n for n in texts if n.startswith("rapporter/") and n.endswith(".docx")]
    # the three documents and every nämnd's and bolag's chapter of each
    assert len([n for n in documents if "/kapitel/" not in n]) == 3
    assert len([n for n in documents if "/kapitel/" in n]) == 9
    assert any(n.startswith("utskick/") for n in texts)  # the workbooks sent out
    assert any("sammanstallning" in n for n in texts)
    leaks = [leak for name, text in texts.items() for leak in _leaks(name, text)]
    assert leaks == []
    everything = " ".join(texts.values())
    for own in OWN:
        assert own in everything, own
    arsredovisning = next(t for n, t in texts.items() if n.endswith("arsredovisning-2026-helår"
                                                                     ".docx"))
    for phrase in ("Antal Inriktningsmål per bedömning", "Perspektiv Medborgare",
                   "descr=\"Stapeldiagram: Inriktningsmål per perspektiv",
                   "Inriktningsmål per perspektiv", "Effektmål per nämnd och bolag",
                   "Inriktningsmålets bedömning:"):
        assert phrase in arsredovisning, phrase
    plan = next(t for n, t in texts.items() if n.endswith("verksamhetsplan-2026-plan.docx"))
    assert "Bidrar till Inriktningsmål:" in plan and "per perspektiv, med" in plan
    assert "Perspektiv" in texts["utskick/2026-helår/norrskolan.xlsx"]
    assert "Inriktningsmålen vid helår" in demo_text and "Arbetsplats: 7 styrkort" in demo_text
    assert _leaks("demo", demo_text) == []


@pytest.mark.slow
def test_fyrkanta_cli_output_is_in_its_own_words(fyrkanta) -> None:
    from reportkit.cli import main

    root, _text = fyrkanta
    run = CliRunner().invoke
    outputs = {}
    outputs["validate"] = run(main, ["validate", str(root)]).output
    outputs["consolidate"] = run(main, ["consolidate", str(root), "-p", "2026-helår"]).output
    outputs["status"] = run(main, ["status", str(root), "-p", "2026-helår"]).output
    # a workbook checked on its own (no project): its Perspektiv column is its own, not changed
    outputs["check"] = run(main, ["check", str(root / "utskick" / "2026-helår" /
                                             "norrskolan.xlsx")]).output
    for goal in ("IM1", "SN-E1", "SKOLA-R1", "norrskolan-A1"):
        outputs[f"explain {goal}"] = run(main, ["explain", goal, str(root), "-p",
                                                "2026-helår"]).output
    leaks = [leak for name, text in outputs.items() for leak in _leaks(name, text)]
    assert leaks == []
    assert "Inriktningsmål: " in outputs["consolidate"]
    assert "wb-header-changed" not in outputs["check"] and "Perspektiv" not in outputs["check"]
    assert "Inriktningsmål IM1:" in outputs["explain IM1"]
    assert "Effektmål SN-E1:" in outputs["explain IM1"]
    assert "Resultatmål SKOLA-R1:" in outputs["explain SKOLA-R1"]
    assert "Aktivitetsmål norrskolan-A1:" in outputs["explain SKOLA-R1"]


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
