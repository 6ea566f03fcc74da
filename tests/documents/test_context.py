"""ReportData → template context: Swedish values, statuses, groupings, placeholders."""

from __future__ import annotations

from reportkit.documents.context import build_context
from reportkit.documents.reportdata import example_reportdata

NB = "\u00a0"


def ctx(period: str = "helår", document: str = "arsredovisning", **kw):
    return build_context(example_reportdata(period), document, with_charts=False, **kw)


def test_status_is_symbol_colour_and_text() -> None:
    v = ctx().values
    kf1 = v["kf_mal"][0]
    assert kf1["bedomning_text"] == "◐ Delvis uppfyllt"
    assert 'w:color w:val="B26A00"' in kf1["bedomning"].xml
    assert "Delvis uppfyllt" in kf1["bedomning"].xml


def test_delar_uses_the_prognos_wording() -> None:
    v = ctx("delår", "delarsrapport").values
    assert [g["bedomning_text"] for g in v["finansiella_mal"]] == ["● Bedöms uppfyllas",
                                                                   "○ Bedöms inte uppfyllas"]
    assert v["balanskrav_ar"][-1] == "Prognos 2026"


def test_goals_are_grouped_by_area_and_financial_goals_apart() -> None:
    v = ctx().values
    assert [a["namn"] for a in v["malomraden"]] == ["Verksamhet", "Arbetsmiljö",
                                                     "Hållbar utveckling"]
    assert [g["id"] for g in v["finansiella_mal"]] == ["KF7", "KF8"]
    assert len(v["kf_mal"]) == 8


def test_numbers_are_swedish() -> None:
    v = ctx().values
    ks = v["drift"][0]
    assert ks["budget"] == f"145{NB}200"
    assert v["drift"][2]["avvikelse"] == f"\u221211{NB}600"
    assert v["flerarsoversikt"][0]["v"][-1] == f"1{NB}229,5"
    assert v["sjukfranvaro"][1]["v"][-1] == f"38,5{NB}%"
    assert v["kf_mal"][2]["indikatorer"][0]["utfall"] == f"94{NB}dagar"


def test_nämndmål_are_grouped_under_the_kf_goal_they_serve() -> None:
    v = ctx().values
    bun = next(n for n in v["namnder"] if n["id"] == "BUN")
    [group] = bun["kf_grupper"]
    assert group["namn"].startswith("Alla barn och elever")
    assert [m["namn"] for m in group["mal"]] == [
        "Fler elever når kunskapskraven i alla ämnen",
        "Alla barn i förskolan får plats inom fyra månader"]


def test_missing_unit_text_is_a_placeholder_and_a_varning() -> None:
    built = ctx()
    sn = next(n for n in built.values["namnder"] if n["id"] == "SN")
    assert sn["saknas"]["uppdrag"] is True
    assert sn["uppdrag"] == ("[Text saknas: Uppdrag – skriv uppdraget för Socialnämnden i "
                             "styrmodellen (uppdrag: under SN)]")
    assert any(p.code == "unit-mission-missing" and p.values["unit"] == "Socialnämnden"
               for p in built.problems)
    assert sn["saknas"]["verksamhetsuppfoljning"] is True
    assert sn["verksamhetsuppfoljning"] == ("[Text saknas: Verksamhetsuppföljning – "
                                            "Socialnämnden fyller i texten i styrkortet]")
    assert any(p.code == "unit-text-missing" and p.values["unit"] == "Socialnämnden"
               and p.values["section"] == "Verksamhetsuppföljning" for p in built.problems)


def test_cover_status_line_and_core_properties() -> None:
    data = example_reportdata()
    data.decision = "KF 2027-04-20 § 45"
    from reportkit.documents.context import build_context as build

    built = build(data, "arsredovisning", with_charts=False)
    assert built.values["status_rad"] == "Beslutad av KF 2027-04-20 § 45"
    assert built.values["period_namn"] == "1 januari–31 december 2026"
    assert built.core["author"] == "Exempelkommun"
    assert ctx().values["status_rad"] == "Utkast"


def test_plan_has_ramar_and_investeringsplan() -> None:
    v = ctx("plan", "verksamhetsplan").values
    assert v["plan_ar"] == ["2027", "2028", "2029"]
    assert v["ramar_summa"][0] == f"1{NB}249{NB}400"
    bun = next(n for n in v["namnder"] if n["id"] == "BUN")
    assert bun["aktiviteter"][0]["ansvarig"] == "Verksamhetschef grundskola"


def test_chapter_context_holds_one_committee() -> None:
    v = ctx(document="kapitel-namnd", committee="SN").values
    assert v["namnd"]["namn"] == "Socialnämnden"
    assert v["namnder"] == [v["namnd"]]
    assert v["dokument_titel"] == "Verksamhetsberättelse 2026"


def test_goal_depth_verksamhet_shows_verksamhetsmål_under_their_nämndmål() -> None:
    from reportkit.documents.reportdata import Goal

    data = example_reportdata()
    data.goals.append(Goal("GR-1", "Alla elever läser minst 20 minuter om dagen", "verksamhet",
                           "GR", "Grundskolan", "BUN", "Verksamhet", parents=["BUN-1"],
                           assessment_status="uppfyllt"))

    def bun_rows(depth: str) -> list[str]:
        data.goal_depth = depth
        built = build_context(data, "kapitel-namnd", committee="BUN", with_charts=False)
        group = built.values["namnd"]["kf_grupper"][0]
        return [m["namn"] for m in group["mal"]]

    assert bun_rows("nämnd") == ["Fler elever når kunskapskraven i alla ämnen",
                                 "Alla barn i förskolan får plats inom fyra månader"]
    assert bun_rows("verksamhet") == [
        "Fler elever når kunskapskraven i alla ämnen",
        "\u2013 Grundskolan: Alla elever läser minst 20 minuter om dagen",
        "Alla barn i förskolan får plats inom fyra månader"]


def test_an_indicators_values_share_its_decimals() -> None:
    """Målvärde, utfall and föregående år with the indicator's ``decimaler``: "5,0 %" beside
    "3,5 %", never "5 %", and "79,1 %" rather than "79,12 %"."""
    data = example_reportdata("helår")
    ind = data.kf_goals()[0].indicators[0]
    ind.unit, ind.target, ind.actual, ind.decimals = "%", 5.0, 79.12, 1
    ind.history[data.period.year - 1] = 4.0
    row = build_context(data, "arsredovisning", with_charts=False).values["kf_mal"][0][
        "indikatorer"][0]
    assert (row["malvarde"], row["utfall"], row["foregaende"]) == (
        f"5,0{NB}%", f"79,1{NB}%", f"4,0{NB}%")
    ind.decimals = None  # a model without decimaler: as each value needs, as before
    row = build_context(data, "arsredovisning", with_charts=False).values["kf_mal"][0][
        "indikatorer"][0]
    assert (row["malvarde"], row["utfall"]) == (f"5{NB}%", f"79,12{NB}%")


def test_a_part_of_the_year_is_named_beside_whole_years() -> None:
    """The delårsrapport's sjukfrånvaro for januari–augusti is not labelled "2026" beside the
    whole of 2025 (issue 29, period truth)."""
    v = ctx("delår", "delarsrapport").values
    assert v["sjukfranvaro_ar"][-1] == "jan–aug 2026"
    assert "Kolumnen jan–aug 2026 avser januari–augusti 2026; tidigare år avser hela året." in v[
        "sjukfranvaro_not"]
    whole = ctx().values
    assert whole["sjukfranvaro_ar"][-1] == "2026" and "avser" not in whole["sjukfranvaro_not"]


def test_the_short_names_in_the_investment_tables_are_explained() -> None:
    """The tables show a nämnd's short name (BUN, KS …): each is spelt out under the table."""
    v = ctx().values
    shown = [r["namnd_kort"] for r in v["investeringar"]]
    text = v["investeringar_forkortningar"]
    assert text.startswith("Förkortningar: ") and text.endswith(".")
    for short in set(shown):
        assert f"{short} = " in text
    plan = ctx("plan", "verksamhetsplan").values
    assert all(f"{r['namnd_kort']} = " in plan["investeringsplan_forkortningar"]
               for r in plan["investeringsplan"])


def test_a_year_with_nothing_planned_is_a_dash() -> None:
    data = example_reportdata("plan")
    row = data.economy.investment_plan[0]
    year = max(row.values)
    row.values[year] = 0.0
    v = build_context(data, "verksamhetsplan", with_charts=False).values
    assert v["investeringsplan"][0]["v"][-1] == "–"
    assert all(x != "0" for r in v["investeringsplan"] for x in r["v"])
