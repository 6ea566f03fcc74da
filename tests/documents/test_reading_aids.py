"""The reading aids real årsredovisningar have (issue 29 item 6): Året i korthet with "Vart går
100 kronor", the political organisation and mandatfördelning, måluppfyllelse per målområde,
the ordlista; and the verksamhetsplan's indicator trend toward its målvärden (item 5)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reportkit.documents.context import build_context
from reportkit.documents.reading_aids import glossary
from reportkit.documents.reportdata import Party, example_reportdata
from reportkit.formats import whole_shares
from reportkit.styrmodell.words import Words, word


def test_equal_thirds_are_34_33_33_and_nothing_is_0() -> None:
    assert whole_shares([1, 1, 1]) == [34, 33, 33]
    assert whole_shares([0, 0]) == [0, 0]
    assert whole_shares([5, -2, 5]) == [50, 0, 50]


@given(st.lists(st.floats(min_value=0.001, max_value=1e9), min_size=1, max_size=12))
def test_whole_shares_always_add_up_to_100_and_stay_within_one_of_the_exact(
        amounts: list[float]) -> None:
    shares = whole_shares(amounts)
    assert sum(shares) == 100
    total = sum(amounts)
    for amount, share in zip(amounts, shares, strict=True):
        assert abs(share - amount * 100 / total) < 1


def _values(data=None, document: str = "arsredovisning", charts: bool = False):
    built = build_context(data or example_reportdata(), document, with_charts=charts)
    return built.values, built.problems


def test_year_in_brief_shows_this_year_beside_last_year() -> None:
    v, _ = _values()
    assert v["i_korthet_ar"] == ["2025", "2026"]
    rows = {r["post"]: r["v"] for r in v["i_korthet"]}
    assert rows["Årets resultat, mnkr"] == ["19,5", "30,3"]
    assert rows["Antal invånare 31 december"] == ["20\u00a0318", "20\u00a0412"]
    assert "Långfristiga skulder, mnkr" not in rows  # not one of the year's key figures


def test_hundred_kronor_add_up_to_100_with_a_chart_and_its_alt_text() -> None:
    v, _ = _values(charts=True)
    kronor = [int(r["kronor"].split("\u00a0")[0]) for r in v["hundra_kronor"]]
    assert sum(kronor) == 100 and kronor == sorted(kronor, reverse=True)
    assert "nettokostnader per nämnd (utfallet 2026)" in v["hundra_kronor_not"]
    chart = v["diagram_hundra_kronor"]
    assert chart is not None and chart.png.startswith(b"\x89PNG")
    first = v["hundra_kronor"][0]
    assert f"Av 100 kronor går {first['kronor']} till {first['namn']}" in chart.alt
    assert v["diagram_hundra_kronor_text"].startswith("Figur: Vart går 100 kronor?")


def test_mandatfordelning_from_the_styrmodell_or_a_marked_placeholder_and_a_varning() -> None:
    data = example_reportdata()
    v, problems = _values(data)
    assert v["mandatfordelning"] == []
    assert v["uppgifter_saknas"]["mandatfordelning"].startswith("[Uppgifter saknas: mandat")
    assert [p.code for p in problems if p.code == "document-politics-missing"] == [
        "document-politics-missing"]
    data.parties = [Party("Socialdemokraterna", "S", 13), Party("Moderaterna", "M", 9)]
    data.ruling = "Kommunen styrs av S."
    v, problems = _values(data)
    assert [(r["parti"], r["forkortning"], r["mandat"]) for r in v["mandatfordelning"]] == [
        ("Socialdemokraterna", "S", "13"), ("Moderaterna", "M", "9")]
    assert v["mandat_summa"] == "22" and v["styre"] == "Kommunen styrs av S."
    assert v["uppgifter_saknas"]["mandatfordelning"] == ""
    assert "document-politics-missing" not in {p.code for p in problems}
    assert [(r["namn"], r["forkortning"], r["typ"]) for r in v["organisation"]][:2] == [
        ("Kommunstyrelsen", "KS", "Nämnd"), ("Barn- och utbildningsnämnden", "BUN", "Nämnd")]


def test_a_delarsrapport_asks_for_no_mandatfordelning() -> None:
    _v, problems = _values(example_reportdata("delår"), "delarsrapport")
    assert "document-politics-missing" not in {p.code for p in problems}


def test_goal_summary_counts_each_status_per_area() -> None:
    import re

    v, _ = _values()
    rows = {r["omrade"]: (r["antal"], str(r["bedomningar"])) for r in v["maluppfyllelse_omraden"]}
    assert list(rows) == ["Verksamhet", "Arbetsmiljö", "Hållbar utveckling", "Ekonomi"]
    assert sum(int(n) for n, _ in rows.values()) == 8
    for antal, xml in rows.values():  # "● 2 Uppfyllt ◐ 1 Delvis uppfyllt": the counts add up
        counts = re.findall(r">\u00a0(\d+)\u00a0[A-ZÅÄÖ]", xml)
        assert counts and sum(map(int, counts)) == int(antal), xml
    total = re.findall(r">\u00a0(\d+)\u00a0[A-ZÅÄÖ]", str(v["maluppfyllelse_totalt"]))
    assert sum(map(int, total)) == 8


def test_the_ordlista_explains_short_names_and_the_kommuns_own_words() -> None:
    data = example_reportdata()
    data.parties = [Party("Miljöpartiet", "MP", 1)]
    data.glossary = [("Elevpeng", "Ersättningen per elev."), ("Finansnetto", ""),
                     ("soliditet", "Kommunens egen förklaring.")]
    words = dict(glossary(data))
    assert words["BUN"] == "Barn- och utbildningsnämnden."
    assert words["KS"] == "Kommunstyrelsen."
    assert words["MP"] == "Miljöpartiet."
    assert words["Elevpeng"] == "Ersättningen per elev."
    assert "Finansnetto" not in words  # an empty förklaring drops the default's word
    assert words["soliditet"] == "Kommunens egen förklaring."  # one word, the kommun's text
    assert "Soliditet" not in words
    assert words["KF-mål"].startswith("Mål som kommunfullmäktige beslutar")
    terms = [t for t, _ in glossary(data)]
    lowered = [t.lower().translate(str.maketrans("åäö", "{|}")) for t in terms]
    assert lowered == sorted(lowered)  # å, ä, ö after z
    assert terms.index("tkr") < terms.index("Verksamhetens nettokostnader")


def test_the_ordlista_is_in_the_kommuns_words() -> None:
    data = example_reportdata()
    data.words = Words(
        levels={"kommun": word("Kommun"), "nämnd": word("Förvaltning"),
                "verksamhet": word("Avdelning"), "enhet": word("Arbetsplats")},
        goals={"kommun": word("Inriktningsmål"), "nämnd": word("Effektmål"),
               "verksamhet": word("Resultatmål"), "enhet": word("Aktivitetsmål")},
        area=word("Perspektiv"))
    words = dict(glossary(data))
    assert words["Inriktningsmål"].startswith("Mål som kommunfullmäktige")
    assert "inriktningsmålen" in words["Effektmål"]
    assert "Perspektiv" in words
    assert not [t for t in words if t in ("KF-mål", "Nämndmål", "Målområde")]


def test_the_plan_shows_each_goals_trend_toward_the_plans_malvarden() -> None:
    v, _ = _values(example_reportdata("plan"), "verksamhetsplan", charts=True)
    charts = [g["diagram"] for g in v["kf_mal"] if g["diagram"] is not None]
    assert len(charts) == len(v["kf_mal"])
    alt = charts[0].alt
    assert alt.startswith("Linjediagram: ") and "Planens målvärden: 2027:" in alt
    assert "saknas" not in alt  # the plan's years have målvärden, not missing utfall
    assert v["kf_mal"][0]["diagram_text"].startswith("Figur: ")


def test_party_short_names_are_explained_only_where_the_mandatfordelning_is_shown() -> None:
    data = example_reportdata("delår")
    data.parties = [Party("Miljöpartiet", "MP", 1)]
    v, _ = _values(data, "delarsrapport")
    assert "MP" not in {r["ord"] for r in v["ordlista"]}
    data.period = example_reportdata().period
    v, _ = _values(data)
    assert "MP" in {r["ord"] for r in v["ordlista"]}


def test_a_table_with_a_note_is_kept_on_the_notes_page() -> None:
    from docx import Document
    from docx.oxml.ns import qn

    from reportkit.documents.structure import KEEP_TABLE_ROWS, tidy

    doc = Document()
    short = doc.add_table(rows=3, cols=2)
    doc.add_paragraph("")  # the template's spacer, removed by tidy
    doc.add_paragraph("Avvikelse = budget − utfall.", style="Caption")
    long = doc.add_table(rows=KEEP_TABLE_ROWS + 5, cols=2)
    doc.add_paragraph("Not.", style="Caption")
    plain = doc.add_table(rows=2, cols=2)
    doc.add_paragraph("Brödtext.")
    tidy(doc)

    def kept(row) -> bool:
        return all(p._p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
                   for c in row.cells for p in c.paragraphs)

    assert all(kept(r) for r in short.rows)
    assert kept(long.rows[-1]) and not kept(long.rows[0])
    assert not any(kept(r) for r in plain.rows)
