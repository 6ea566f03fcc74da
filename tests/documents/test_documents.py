"""The delårsrapport, tertialrapport and verksamhetsplan as KF receives them (issue 14), and what
every document shows when the economy is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from testkit import docx_text

from reportkit.documents.compose import render_report
from reportkit.documents.reportdata import Economy, example_reportdata
from reportkit.errors import ReportkitError

NB = "\u00a0"


def _render(tmp: Path, period: str, document: str, data=None, **kwargs):
    data = data or example_reportdata(period)
    texts = tmp / "projekt" / "texter" / data.period.id
    return render_report(document, data, tmp / f"{document}-{period}.docx", texts_dir=texts,
                         chart_cache=tmp / "diagram", **kwargs)


def _headings(path: Path) -> list[tuple[int, str]]:
    return [(int(p.style.name.split()[1]), p.text) for p in Document(str(path)).paragraphs
            if p.style.name.startswith("Heading ")]


_text = docx_text


def _table(path: Path, first_header: str, *, containing: str | None = None):
    for table in Document(str(path)).tables:
        head = [c.text for c in table.rows[0].cells]
        if head[0] == first_header and (containing is None or containing in head):
            return table
    raise AssertionError(f"no table starting with {first_header!r}")


@pytest.fixture(scope="module")
def delar(tmp_path_factory: pytest.TempPathFactory):
    return _render(tmp_path_factory.mktemp("delar"), "delår", "delarsrapport")


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory):
    return _render(tmp_path_factory.mktemp("plan"), "plan", "verksamhetsplan")


def test_delarsrapport_has_the_sections_of_a_delarsrapport(delar) -> None:
    heads = _headings(delar.path)
    assert [t for lvl, t in heads if lvl == 1] == [
        "Förvaltningsberättelse i sammandrag", "Resultaträkning och balansräkning",
        "Nämndernas redovisning", "Ordlista"]
    first = heads.index((1, "Förvaltningsberättelse i sammandrag"))
    end = heads.index((1, "Resultaträkning och balansräkning"))
    assert [t for lvl, t in heads[first:end] if lvl == 2] == [
        "Händelser av väsentlig betydelse", "Måluppfyllelse", "God ekonomisk hushållning",
        "Ekonomiskt resultat och helårsprognos", "Prognos för balanskravsresultatet",
        "Investeringar", "Personal", "Förväntad utveckling"]


def test_sub_headings_are_headings_not_bold_lines(delar) -> None:
    """The nämnder's names in the kansli's drafts (Händelser, Förväntad utveckling) are
    headings a screen reader can jump between (WCAG 1.3.1), not bold Normal paragraphs."""
    paragraphs = Document(str(delar.path)).paragraphs
    bold_lines = [p.text for p in paragraphs if p.text.strip() and p.style.name == "Normal"
                  and all(r.bold for r in p.runs if r.text.strip())]
    assert bold_lines == []
    heads = _headings(delar.path)
    first = heads.index((2, "Händelser av väsentlig betydelse"))
    assert heads[first + 1][0] == 3


def test_every_kf_goal_has_its_prognos_bedomning(delar) -> None:
    data = example_reportdata("delår")
    labels = {"uppfyllt": "● Bedöms uppfyllas", "delvis": "◐ Bedöms delvis uppfyllas",
              "ej_uppfyllt": "○ Bedöms inte uppfyllas"}
    table = _table(delar.path, "Mål", containing="Prognos helår")
    rows = {r.cells[0].text: r.cells[2].text for r in table.rows[1:]}
    assert len(rows) == len(data.kf_goals())
    for goal in data.kf_goals():
        assert rows[goal.name] == labels[goal.status].replace(" ", NB, 1)
    counts = _table(delar.path, "Bedömning", containing="Finansiella mål")
    last = [c.text for c in counts.rows[-1].cells]
    assert last == ["Summa", "6", "2", "8"]


def test_god_ekonomisk_hushallning_shows_the_financial_goals_as_prognos(delar) -> None:
    doc = Document(str(delar.path))
    paras = doc.paragraphs
    start = next(i for i, p in enumerate(paras) if p.text == "God ekonomisk hushållning")
    stop = next(i for i, p in enumerate(paras)
                if p.text == "Ekonomiskt resultat och helårsprognos")
    block = [p.text for p in paras[start:stop]]
    assert "Årets resultat uppgår till minst 2 procent av skatteintäkter och statsbidrag" in block
    assert f"Prognos: ●{NB}Bedöms uppfyllas" in block
    assert f"Prognos: ○{NB}Bedöms inte uppfyllas" in block


def test_nämndernas_redovisning_holds_each_nämnd_with_its_helårsprognos(delar) -> None:
    heads = _headings(delar.path)
    at = heads.index((1, "Nämndernas redovisning"))
    assert [t for lvl, t in heads[at:] if lvl == 2] == [
        "Kommunstyrelsen", "Barn- och utbildningsnämnden", "Socialnämnden"]
    assert [t for lvl, t in heads[at:] if lvl == 3][:7] == [
        "Uppdrag", "Händelser av väsentlig betydelse", "Verksamhetsuppföljning",
        "Måluppföljning", "Ekonomi", "Framtid", "Uppdrag"]
    text = _text(delar.path)
    assert "Bedömningen av ett nämndmål är en prognos för helåret." in text
    sn = [t for t in Document(str(delar.path)).tables
          if [c.text for c in t.rows[0].cells][:1] == ["Verksamhet"]
          and t.rows[-1].cells[0].text == "Socialnämnden"]
    assert [c.text for c in sn[0].rows[0].cells][3:] == ["Prognos helår", "Prognos\xadavvikelse"]
    assert [c.text for c in sn[0].rows[-1].cells][3:] == [f"468{NB}500", f"\u221213{NB}200"]


def test_tertialrapport_switches_sections_off_by_avsnitt_yaml(tmp_path: Path) -> None:
    result = _render(tmp_path, "tertial", "delarsrapport")
    heads = _headings(result.path)
    assert [t for lvl, t in heads if lvl == 1] == ["Sammanfattning", "Nämndernas redovisning",
                                                   "Ordlista"]
    shown = [t for lvl, t in heads if lvl == 2][:6]
    assert shown == ["Händelser av väsentlig betydelse", "Måluppfyllelse",
                     "Ekonomiskt resultat och helårsprognos", "Investeringar", "Personal",
                     "Förväntad utveckling"]
    sections = {p.values.get("section") for p in result.problems}
    assert "Prognos för balanskravsresultatet" not in sections
    assert not (tmp_path / "projekt" / "texter" / "2026-tertial" / "balanskrav.docx").exists()
    assert Document(str(result.path)).core_properties.subject.startswith("Tertialrapport")


def test_a_kommun_switches_sections_in_its_own_avsnitt_yaml(tmp_path: Path) -> None:
    own = tmp_path / "mallar"
    own.mkdir()
    (own / "avsnitt.yaml").write_text(
        "delarsrapport:\n  delår: [maluppfyllelse, ekonomi, namnder]\n", encoding="utf-8")
    result = _render(tmp_path, "delår", "delarsrapport", template_dir=own)
    assert [t for lvl, t in _headings(result.path) if lvl == 2][:2] == [
        "Måluppfyllelse", "Ekonomiskt resultat och helårsprognos"]
    (own / "avsnitt.yaml").write_text("delarsrapport:\n  delår: [malen]\n", encoding="utf-8")
    with pytest.raises(ReportkitError) as err:
        _render(tmp_path, "delår", "delarsrapport", template_dir=own)
    [p] = err.value.problems
    assert p.code == "sections-config-unknown"
    assert 'slår på avsnittet "malen" för delarsrapport (delår)' in p.message


def test_verksamhetsplan_has_vision_goals_ramar_and_investeringsplan(plan) -> None:
    heads = _headings(plan.path)
    assert [t for lvl, t in heads if lvl == 1] == [
        "Inledning", "Mål för mandatperioden", "Ekonomi", "Nämndernas verksamhetsplaner",
        "Ordlista"]
    assert "Vision" in [t for lvl, t in heads if lvl == 2]
    assert [t for lvl, t in heads if lvl == 2 and t.startswith("Målområde")] == [
        "Målområde Verksamhet", "Målområde Arbetsmiljö", "Målområde Hållbar utveckling"]
    text = _text(plan.path)
    assert "Exempelkommun 2030" in text
    for goal in example_reportdata("plan").kf_goals():
        assert (3, goal.name) in heads
    ramar = _table(plan.path, "Nämnd", containing="2029")
    assert [c.text for c in ramar.rows[0].cells] == ["Nämnd", "2027", "2028", "2029"]
    assert [c.text for c in ramar.rows[-1].cells] == [
        "Summa", f"1{NB}249{NB}400", f"1{NB}278{NB}300", f"1{NB}310{NB}600"]
    inv = _table(plan.path, "Projekt", containing="Nämnd")
    assert [c.text for c in inv.rows[2].cells] == [
        "Ny F–6-skola Norra", "BUN", f"15{NB}000", f"60{NB}000", f"70{NB}000"]


def test_verksamhetsplan_per_nämnd_goals_indicators_activities_and_sections(plan) -> None:
    heads = _headings(plan.path)
    at = heads.index((2, "Barn- och utbildningsnämnden"))
    assert [t for lvl, t in heads[at + 1:at + 9] if lvl == 3] == [
        "Uppdrag", "Mål och indikatorer", "Aktiviteter", "Trend- och omvärldsanalys",
        "Nulägesanalys", "Ekonomiska förutsättningar och investeringar",
        "Prioriterade förbättringsområden"]
    doc = Document(str(plan.path))
    goals = [t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] ==
             ["Nämndmål", "Indikator"]]
    bun = next(t for t in goals if t.rows[1].cells[0].text.startswith("Fler elever"))
    assert [c.text for c in bun.rows[1].cells] == [
        "Fler elever når kunskapskraven i alla ämnen", "Elever i åk 9 med godkänt i alla ämnen",
        f"72{NB}%", f"80{NB}%"]
    acts = next(t for t in doc.tables if t.rows[0].cells[0].text == "Aktivitet"
                and t.rows[1].cells[0].text.startswith("Utveckla läsfrämjande"))
    assert [c.text for c in acts.rows[1].cells][2:] == [
        "Verksamhetschef grundskola", "2027-01-01", "2027-12-31"]
    paras = [p.text for p in doc.paragraphs]
    assert paras.count("Bidrar till KF-mål: Alla barn och elever ges förutsättningar att nå "
                       "sin fulla potential") == 1


def test_a_missing_economy_is_a_marked_placeholder_never_an_empty_table(tmp_path: Path) -> None:
    data = example_reportdata("helår")
    data.economy = Economy()
    result = _render(tmp_path, "helår", "arsredovisning", data)
    text = _text(result.path)
    assert ("[Uppgifter saknas: Driftredovisning – lägg exporten i data/2026-helår/ och kör "
            "reportkit consolidate]") in text
    assert "[Uppgifter saknas: Balanskravsutredning" in text
    assert "[Uppgifter saknas: Sjukfrånvaro" in text
    missing = sorted(p.values["table"] for p in result.problems
                     if p.code == "document-data-missing")
    assert missing == ["Balanskravsutredning", "Driftredovisning", "Flerårsöversikt",
                       "Investeringsredovisning", "Sjukfrånvaro"]
    headers = [[c.text for c in t.rows[0].cells][0] for t in Document(str(result.path)).tables]
    assert "Balanskravsutredning, mnkr" not in headers
    assert "Sjukfrånvaro" not in headers


def test_a_nämnd_chapter_shows_drift_per_verksamhet_with_the_nämnd_as_total(
        tmp_path: Path) -> None:
    from reportkit.documents.reportdata import DriftRow

    data = example_reportdata("helår")
    for row in data.economy.drift:
        row.actual_previous_year = None
    bun = next(r for r in data.economy.drift if r.committee_id == "BUN")
    bun.budget_changes = 4500
    data.economy.drift_detail = [
        DriftRow("BUN", "Förskola", 201000, 205300),
        DriftRow("BUN", "Grundskola", 411000, 414100),
        DriftRow("KS", "Kommunledningskontoret", 145200, 141300),
    ]
    result = _render(tmp_path, "helår", "kapitel-namnd", data, committee="BUN")
    table = _table(result.path, "Verksamhet")
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Verksamhet", "Budget", "Utfall", "Avvikelse"]  # no empty fg column
    assert rows[1:] == [["Förskola", f"201{NB}000", f"205{NB}300", f"\u22124{NB}300"],
                        ["Grundskola", f"411{NB}000", f"414{NB}100", f"\u22123{NB}100"],
                        ["Summa Barn- och utbildningsnämnden", f"612{NB}000", f"619{NB}400",
                         f"\u22127{NB}400"]]
    assert ("Budgeten omfattar kommunfullmäktiges anslagsförändringar under året, "
            f"4{NB}500 tkr.") in _text(result.path)
    assert "Kommunledningskontoret" not in _text(result.path)


def test_output_names_tell_draft_decided_chapter_and_tertial_apart() -> None:
    from types import SimpleNamespace

    from reportkit.documents.build import output_name

    helar = SimpleNamespace(id="2026-helår", type="helår")
    tertial = SimpleNamespace(id="2026-T1", type="tertial")
    kf = SimpleNamespace(label="KF 2027-04-20 § 45")
    assert output_name("arsredovisning", helar) == "arsredovisning-2026-helår.docx"
    assert output_name("arsredovisning", helar, kf) == \
        "arsredovisning-2026-helår-beslutad-KF-2027-04-20-45.docx"
    assert output_name("arsredovisning", helar, None, "BUN") == "arsredovisning-2026-helår-BUN.docx"
    assert output_name("delarsrapport", tertial) == "tertialrapport-2026-T1.docx"


def test_verksamhetsplan_over_three_years_shows_each_years_and_the_mandatperiods_targets(
        tmp_path: Path) -> None:
    """Issue 25 item 2: a plan over 2027–2029 lists each year's målvärde (a range, a
    direction) and the mandatperiod's under it, and says so above the goals."""
    from reportkit.styrmodell.targets import TargetRange, TargetTrend

    data = example_reportdata("plan")
    years = (data.period.year, data.period.year + 1, data.period.year + 2)
    data.period.target_years, data.period.mandate = years, "2027–2030"
    first = data.kf_goals()[0].indicators[0]
    first.year_targets = {years[0]: 80.0, years[1]: TargetRange(80, 90), years[2]: None}
    first.mandate_target = 85.0
    second = data.kf_goals()[0].indicators[1]
    second.year_targets = dict.fromkeys(years, TargetTrend(True))
    rendered = _render(tmp_path, "plan", "verksamhetsplan", data=data)
    text = _text(rendered.path)
    assert (f"målvärden för {years[0]}–{years[2]} och för mandatperioden 2027–2030."
            in text)
    doc = Document(str(rendered.path))
    rows = {r.cells[0].text: r.cells[2].text for t in doc.tables for r in t.rows[1:]
            if [c.text for c in t.rows[0].cells][:3] == ["Indikator", "Utgångsvärde",
                                                        "Målvärde"]}
    assert rows[first.name] == (f"{years[0]}: 80{NB}%\n{years[1]}: 80–90{NB}%\n"
                                f"{years[2]}: –\nMandatperioden: 85{NB}%")
    assert rows[second.name] == "\n".join(f"{y}: Ska öka" for y in years)


def test_verksamhetsplan_has_the_ramar_and_investeringsplan_charts_with_alt_text(plan) -> None:
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    doc = Document(str(plan.path))
    alts = [pr.get("descr", "") for pr in doc.element.body.findall(".//" + wp + "docPr")]
    ramar = [a for a in alts if "ramar per nämnd" in a]
    plan_alt = [a for a in alts if a.startswith("Stapeldiagram (staplade): Investeringsplan")]
    assert len(ramar) == 1 and len(plan_alt) == 1
    assert f"totalt 1{NB}249{NB}400" in ramar[0]
    assert f"2029: Kommunstyrelsen 4{NB}000, Barn- och utbildningsnämnden 70{NB}000" in plan_alt[0]
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Figur: ")]
    assert "Figur: Kommunfullmäktiges ramar per nämnd." in captions
    assert "Figur: Investeringsplan per nämnd." in captions


def test_a_verksamhetsplan_without_ramar_or_investeringsplan_has_no_chart_for_them(
        tmp_path: Path) -> None:
    data = example_reportdata("plan")
    data.economy.frames, data.economy.investment_plan = [], []
    doc = Document(str(_render(tmp_path, "plan", "verksamhetsplan", data).path))
    texts = [p.text for p in doc.paragraphs]
    assert not any("ramar" in t or "Investeringsplan per" in t
                   for t in texts if t.startswith("Figur"))
    drawing = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}drawing"
    # no figure paragraph left without its picture, no caption without its figure
    assert all(p._p.findall(".//" + drawing) for p in doc.paragraphs if p.style.name == "Figur")
    assert "Figur: " not in texts
