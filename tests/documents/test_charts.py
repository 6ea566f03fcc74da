from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from reportkit.documents import charts
from reportkit.documents.chartstyle import text_colour_on, wrap_label
from reportkit.formats import NBSP

REPO = Path(__file__).resolve().parents[2]

STATUSES = [
    ("uppfyllt", "Uppfyllt", "2E7D32"),
    ("delvis", "Delvis uppfyllt", "F2C200"),
    ("ej", "Ej uppfyllt", "C62828"),
    ("ej_matt", "Ej mätt", "595959"),
]
GROUPS = [
    ("Verksamhet", {"uppfyllt": 5, "delvis": 2, "ej_matt": 1}),
    ("Ekonomi", {"uppfyllt": 3, "delvis": 1, "ej": 2}),
]
BUDGET_ROWS = [
    ("Kommunstyrelsen", 145200.0, 98300.0, 142000.0),
    ("Barn- och utbildningsnämnden", 612000.0, 402100.0, None),
]


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def trend(**overrides: object) -> charts.Chart:
    kwargs: dict = {"title": "Andel behöriga lärare", "unit": "%",
                    "years": [2023, 2024, 2025, 2026], "actual": [78, 80, 82, 85],
                    "targets": [85, 85, 85, 85]}
    kwargs.update(overrides)
    return charts.indicator_trend(**kwargs)


def test_status_shares_is_a_16_cm_png_at_150_dpi() -> None:
    chart = charts.status_shares("Måluppfyllelse per målområde", GROUPS, STATUSES)
    width, height = png_size(chart.png)
    assert width == 945
    assert 300 < height < 1200
    assert chart.width_mm == 160
    assert chart.name == "maluppfyllelse-per-malomrade"


def test_status_alt_text_states_counts_and_swedish_percentages() -> None:
    chart = charts.status_shares("Måluppfyllelse per målområde", GROUPS, STATUSES)
    assert chart.alt.startswith("Stapeldiagram: Måluppfyllelse per målområde.")
    assert f"Verksamhet: 5 av 8 uppfyllt (63{NBSP}%), 2 delvis uppfyllt (25{NBSP}%), " \
           f"1 ej mätt (12{NBSP}%)." in chart.alt
    assert f"2 ej uppfyllt (33{NBSP}%)" in chart.alt


def test_status_shares_summarises_many_groups_within_600_characters() -> None:
    groups = [(f"Verksamhetsområde nummer {i}", {"uppfyllt": i, "delvis": 3, "ej": 1})
              for i in range(1, 25)]
    chart = charts.status_shares("Måluppfyllelse per verksamhet", groups, STATUSES)
    assert len(chart.alt) <= 600
    assert "Totalt" in chart.alt


def test_status_shares_rejects_an_unknown_status_id() -> None:
    with pytest.raises(ValueError, match="okänd|unknown"):
        charts.status_shares("Mål", [("A", {"blå": 1})], STATUSES)


def test_status_shares_draws_an_empty_group_and_no_groups() -> None:
    chart = charts.status_shares("Mål", [("Tom nämnd", {})], STATUSES)
    assert "Tom nämnd: uppgift saknas" in chart.alt or "Uppgift saknas" in chart.alt
    assert png_size(charts.status_shares("Mål", [], STATUSES).png)[0] == 945


def test_trend_alt_text_lists_utfall_against_malvarde() -> None:
    chart = trend()
    assert chart.alt.startswith(
        f"Linjediagram: Andel behöriga lärare 2023–2026, utfall 78{NBSP}%, 80{NBSP}%, "
        f"82{NBSP}%, 85{NBSP}% mot målvärde 85{NBSP}%."
    )


def test_trend_with_gaps_and_decimals_in_swedish_format() -> None:
    chart = trend(unit="dagar", actual=[62.5, None, 48, 51], targets=[60, 55, 50, 45],
                  lower_is_better=True)
    assert f"62,5{NBSP}dagar" in chart.alt
    assert "2024: saknas" in chart.alt
    assert "Lägre värde är bättre." in chart.alt


def test_trend_with_no_values_renders_with_uppgift_saknas() -> None:
    chart = trend(actual=[None] * 4, targets=[None] * 4)
    assert png_size(chart.png)[0] == 945
    assert "Uppgift saknas" in chart.alt
    assert png_size(trend(years=[], actual=[], targets=[]).png)[0] == 945


def test_budget_chart_alt_in_tkr_with_missing_prognos() -> None:
    chart = charts.budget_actual_forecast("Budget, utfall och prognos", BUDGET_ROWS)
    assert png_size(chart.png)[0] == 945
    assert "tkr" in chart.alt
    assert f"Kommunstyrelsen: budget 145{NBSP}200, utfall 98{NBSP}300, prognos 142{NBSP}000." \
        in chart.alt
    assert "prognos saknas" in chart.alt


def test_budget_chart_without_any_prognos_leaves_the_series_out() -> None:
    rows = [(n, b, a, None) for n, b, a, _ in BUDGET_ROWS]
    assert "prognos" not in charts.budget_actual_forecast("Budget och utfall", rows).alt


def test_bar_charts_without_rows_render_with_uppgift_saknas() -> None:
    for chart in (charts.budget_actual_forecast("Budget", []), charts.investments("Inv", []),
                  charts.investments("Inv", [("Noll", 0.0, 0.0)])):
        assert png_size(chart.png)[0] == 945
    assert "Uppgift saknas" in charts.budget_actual_forecast("Budget", []).alt


def test_investments_alt_gives_share_of_budget() -> None:
    chart = charts.investments("Investeringar", [("Ny förskola", 45000.0, 38250.0)])
    assert f"Ny förskola: budget 45{NBSP}000, utfall 38{NBSP}250 (85{NBSP}% av budget)." \
        in chart.alt


def test_sick_leave_alt_gives_percent_with_decimal_comma() -> None:
    chart = charts.sick_leave("Sjukfrånvaro", [2024, 2025],
                              {"Kvinnor": [0.089, 0.078], "Män": [None, 0.04]})
    assert f"Kvinnor: 8,9{NBSP}%, 7,8{NBSP}%." in chart.alt
    assert f"2024: saknas, 2025: 4,0{NBSP}%" in chart.alt
    assert png_size(charts.sick_leave("Sjukfrånvaro", [], {}).png)[0] == 945


def test_long_group_names_wrap_on_two_lines_and_end_in_an_ellipsis() -> None:
    assert wrap_label("Barn- och utbildningsnämnden") == "Barn- och\nutbildningsnämnden"
    long = wrap_label("Samhällsbyggnadsnämndens myndighetsutövning och tillsyn enligt PBL")
    assert long.count("\n") == 1 and long.endswith("…")


def test_text_on_dark_segments_is_white_and_on_light_black() -> None:
    assert text_colour_on("2E7D32") == "#FFFFFF"
    assert text_colour_on("F2C200") == "#000000"


_SCRIPT = """
import hashlib
from reportkit.documents import charts
out = [
    charts.status_shares("Mål", [("A", {"u": 2, "d": 1}), ("B", {"u": 1})],
                         [("u", "Uppfyllt", "2E7D32"), ("d", "Delvis", "F2C200")]),
    charts.indicator_trend("Behöriga", "%", [2024, 2025], [80.5, None], [85, 85]),
    charts.budget_actual_forecast("Budget", [("KS", 100.0, 90.0, 95.0)]),
    charts.sick_leave("Sjukfrånvaro", [2024, 2025], {"Alla": [0.07, 0.065]}),
]
print(hashlib.sha256(b"".join(c.png + c.alt.encode() for c in out)).hexdigest())
"""


def _digest_in_subprocess(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, cwd=REPO,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_same_input_gives_identical_png_bytes_in_two_processes() -> None:
    assert _digest_in_subprocess("1") == _digest_in_subprocess("4242")


CALLS = {"n": 0}


def counted_trend(**kwargs: object) -> charts.Chart:
    CALLS["n"] += 1
    return charts.indicator_trend(**kwargs)


def test_cache_hit_returns_identical_bytes_without_drawing(tmp_path: Path) -> None:
    spec = (counted_trend, {"title": "Behöriga", "unit": "%", "years": [2025],
                            "actual": [80.0], "targets": [85.0]})
    CALLS["n"] = 0
    first = charts.render_many([spec], cache_dir=tmp_path)
    stamps = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    second = charts.render_many([spec], cache_dir=tmp_path)
    assert CALLS["n"] == 1
    assert second == first
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == stamps
    # the chart as PNG and its name and alt text (and the font matplotlib picks, remembered)
    assert sorted(p.suffix for p in tmp_path.iterdir() if not p.name.startswith("font-")) \
        == [".json", ".png"]


def test_render_many_in_two_workers_equals_one_worker_in_input_order() -> None:
    specs = [
        (charts.indicator_trend, {"title": f"Indikator {i}", "unit": "%", "years": [2024, 2025],
                                  "actual": [70.0 + i, 75.0], "targets": [80.0, 80.0]})
        for i in range(4)
    ] + [(charts.budget_actual_forecast, {"title": "Budget", "rows": BUDGET_ROWS})]
    one = charts.render_many(specs, workers=1)
    two = charts.render_many(specs, workers=2)
    assert [c.name for c in one] == ["indikator-0", "indikator-1", "indikator-2",
                                      "indikator-3", "budget"]
    assert [hashlib.sha256(c.png).digest() for c in two] == \
        [hashlib.sha256(c.png).digest() for c in one]
    assert two == one


@pytest.mark.parametrize("labels", [
    ["Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej mätt"],
    ["Bedöms uppfyllas", "Bedöms delvis uppfyllas", "Bedöms inte uppfyllas", "Ej mätt",
     "Följs inte upp denna period"],
    ["Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej mätt", "Följs inte upp denna period"],
    ["Mål som bedöms uppfyllas under mandatperioden", "Mål som inte bedöms uppfyllas alls",
     "Mål som inte följs upp denna period"],
])
def test_the_legend_never_runs_off_the_picture(labels: list[str]) -> None:
    """A long status label moves the legend to more rows (it was cut at the right edge)."""
    import matplotlib
    from matplotlib.patches import Patch

    from reportkit.documents import chartstyle as cs

    with matplotlib.rc_context(cs.rc()):
        ncol = cs.legend_columns(labels)
        fig, _ax = cs.new_figure(3.0, top_in=1.2, bottom_in=0.4, left_in=1.0)
        cs.draw_header(fig, "En titel", [Patch() for _ in labels], labels, ncol)
        renderer = fig.canvas.get_renderer()
        box = fig.legends[0].get_window_extent(renderer)
    assert box.x1 <= fig.bbox.x1
    if len(labels) == 4 and max(map(len, labels)) < 20:
        assert ncol == 4  # the usual legend keeps its one row


def test_plan_per_year_states_every_value_and_the_totals_in_swedish_tkr() -> None:
    rows = [("Kommunstyrelsen", [148900.0, 151200.0]), ("Socialnämnden", [472000.0, None])]
    chart = charts.plan_per_year("Ramar per nämnd", [2027, 2028], rows)
    assert png_size(chart.png)[0] == 945
    assert chart.alt == (f"Stapeldiagram: Ramar per nämnd 2027–2028, tkr. 2027: Kommunstyrelsen "
                         f"148{NBSP}900, Socialnämnden 472{NBSP}000; totalt 620{NBSP}900. 2028: "
                         f"Kommunstyrelsen 151{NBSP}200, Socialnämnden saknas; totalt "
                         f"151{NBSP}200.")
    stacked = charts.plan_per_year("Investeringsplan", [2027, 2028], rows, stacked=True)
    assert stacked.alt.startswith("Stapeldiagram (staplade): Investeringsplan 2027–2028, tkr.")
    assert stacked.png != chart.png


def test_plan_per_year_without_values_says_uppgift_saknas() -> None:
    chart = charts.plan_per_year("Investeringsplan", [2027], [("KS", [None])])
    assert chart.alt == "Stapeldiagram: Investeringsplan 2027, tkr. Uppgift saknas."


def test_plan_per_year_keeps_many_rows_within_600_characters() -> None:
    rows = [(f"Nämnden för verksamhet nummer {i}", [100000.0 * i, 110000.0 * i, 120000.0 * i])
            for i in range(1, 12)]
    chart = charts.plan_per_year("Ramar per nämnd", [2027, 2028, 2029], rows)
    assert len(chart.alt) <= 600
    assert "Totalt per år: 2027" in chart.alt


def _plan_specs(data) -> dict[str, dict]:
    from reportkit.documents.context import build_context

    built = build_context(data, "verksamhetsplan", defer_charts=True)
    assert built.charts is not None
    return {kw["name"]: kw for fn, kw in built.charts[0] if fn is charts.plan_per_year}


def test_the_verksamhetsplan_context_has_ramar_and_investeringsplan_chart_specs() -> None:
    from reportkit.documents.reportdata import example_reportdata

    specs = _plan_specs(example_reportdata("plan"))
    ramar, plan = specs["ramar"], specs["investeringsplan"]
    assert ramar["title"] == "Kommunfullmäktiges ramar per nämnd"
    assert ramar["years"] == [2027, 2028, 2029]
    assert ramar["rows"][1] == ("Barn- och utbildningsnämnden", [628500, 641000, 655300])
    assert plan["stacked"] is True
    assert dict(plan["rows"]) == {"Kommunstyrelsen": [4000, 4000, 4000],
                                  "Barn- och utbildningsnämnden": [15000, 60000, 70000],
                                  "Socialnämnden": [30000, 6500, 0]}


def test_no_plan_chart_without_ramar_or_investeringsplan() -> None:
    from reportkit.documents.context import build_context
    from reportkit.documents.reportdata import example_reportdata

    data = example_reportdata("plan")
    data.economy.frames, data.economy.investment_plan = [], []
    assert _plan_specs(data) == {}
    values = build_context(data, "verksamhetsplan", with_charts=False).values
    assert values["diagram_ramar"] is None and values["diagram_investeringsplan"] is None
    other = build_context(example_reportdata("helår"), "arsredovisning", defer_charts=True)
    assert other.charts is not None
    assert not [kw for fn, kw in other.charts[0] if fn is charts.plan_per_year]
