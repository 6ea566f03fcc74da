"""Charts for årsredovisning, delårsrapport and verksamhetsplan: PNG bytes plus Swedish alt text.

Each function returns a :class:`Chart`: a 150 dpi PNG, 16 cm wide, with byte-identical output for
the same input in any process (no timestamps, no hash-order dependence), and an alt text that
states in words and numbers what the chart shows (DOS-lagen: a chart without ``descr`` fails
PDF/UA; colour is never the only carrier, so segments carry their percentages, series carry
hatches or markers, and the legend names every status).

Numbers follow reportkit.formats: decimal comma, non-breaking space before ``%`` and between
thousands. The look lives in :mod:`reportkit.documents.chartstyle`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportkit.documents import chartstyle as cs
from reportkit.files import write_bytes_atomic
from reportkit.formats import (
    DASH,
    MINUS,
    NBSP,
    format_number,
    format_percent,
    format_value,
    whole_shares,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MAX_ALT = 600
MISSING = "Uppgift saknas"


@dataclass(frozen=True)
class Chart:
    name: str
    """File stem, e.g. ``"maluppfyllelse-per-malomrade"`` (from the title unless given)."""
    png: bytes
    """150 dpi PNG, ``width_mm`` wide; the same input always gives the same bytes."""
    alt: str
    """Swedish alt text for ``wp:docPr/@descr``, at most 600 characters."""
    width_mm: float = cs.WIDTH_MM
    """The width to place the image at in the document (the PNG is drawn for it)."""
    svg: str = ""
    """The chart as an inline SVG element (a web page's), when it was asked for as SVG
    (``svg=True``); ``png`` is then empty."""


def _made(name: str, draw: Callable[[], Figure], alt: str, svg: bool) -> Chart:
    """A :class:`Chart` of ``draw``: PNG, or with ``svg`` the SVG (salted with ``name``)."""
    if svg:
        return Chart(name, b"", alt, svg=cs.render(draw, svg_salt=name).decode("utf-8"))
    return Chart(name, cs.render(draw), alt)


def _num(value: float | None, decimals: int = 0) -> str:
    return format_number(value, decimals).replace("-", MINUS)


def _tkr(value: float | None) -> str:
    return DASH if value is None else _num(value) + NBSP + "tkr"


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:] if label[1:2].islower() or len(label) == 1 else label


def _fit(candidates: Sequence[str]) -> str:
    """The most detailed text that fits MAX_ALT; the last candidate cut at a word if need be."""
    for text in candidates:
        if len(text) <= MAX_ALT:
            return text
    text = candidates[-1]
    return text[:MAX_ALT - 2].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _shares(counts: Sequence[int]) -> list[int]:
    """Whole percentages that add up to 100 (largest remainder; ties go to the earlier status)."""
    return whole_shares(counts)


def _years(years: Sequence[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}\u2013{years[-1]}"


def _pt_to_axes_width(fig: Figure, ax: Axes, points: float) -> float:
    return points / 72 / (ax.get_position().width * fig.get_figwidth())


def status_shares(title: str, groups: list[tuple[str, dict[str, int]]],
                  statuses: list[tuple[str, str, str]], *, name: str | None = None,
                  svg: bool = False) -> Chart:
    """Stacked horizontal bars: the share of each status per group (målområde or nämnd).

    ``statuses`` are ``(status_id, Swedish label, hex colour without '#')`` in the order drawn
    (include "Ej mätt" here for it to be drawn). ``groups`` are ``(name, {status_id: count})``,
    drawn top to bottom; a missing status counts 0, an unknown status id is a ValueError. A
    group with no counts at all is drawn as "Uppgift saknas".
    """
    ids = [s[0] for s in statuses]
    for group, counts in groups:
        unknown = sorted(set(counts) - set(ids))
        if unknown:
            raise ValueError(f"{group}: unknown status ids {unknown}")
    colours = [cs.hex_colour(s[2]) for s in statuses]
    table = [(group, [int(counts.get(i, 0) or 0) for i in ids]) for group, counts in groups]
    n = max(len(table), 1)
    bar_in = 0.34
    ncol = cs.legend_columns([s[1] for s in statuses])
    top = cs.header_height(title, -(-len(statuses) // max(ncol, 1)))
    height = top + n * bar_in / 0.7 + cs.X_AXIS_IN

    def draw() -> Figure:
        from matplotlib.patches import Patch

        fig, ax = cs.new_figure(height, top_in=top, bottom_in=cs.X_AXIS_IN,
                                left_in=cs.BAR_LABEL_AREA_IN, right_in=0.55)
        rows = list(range(len(table)))
        for row, (_group, counts) in enumerate(table):
            total = sum(counts)
            if total == 0:
                ax.text(0.01, row, MISSING, va="center", ha="left", fontsize=cs.SMALL_PT,
                        color=cs.MUTED)
                continue
            left = 0.0
            for k, (count, share) in enumerate(zip(counts, _shares(counts), strict=True)):
                if count == 0:
                    continue
                width = count / total
                ax.barh(row, width, left=left, height=0.7, color=colours[k],
                        linewidth=0.8, **cs.status_look(colours[k], k))
                label = f"{share}{NBSP}%"
                need = _pt_to_axes_width(fig, ax, (len(label) * 0.56 + 1.2) * cs.SMALL_PT)
                if width >= need:
                    ax.text(left + width / 2, row, label, ha="center", va="center",
                            fontsize=cs.SMALL_PT, color=cs.text_colour_on(colours[k]),
                            bbox={"boxstyle": "square,pad=0.15", "facecolor": colours[k],
                                  "edgecolor": "none"})
                left += width
            ax.text(1.012, row, f"n{NBSP}={NBSP}{total}", ha="left", va="center",
                    fontsize=cs.SMALL_PT, color=cs.MUTED)
        ax.set_yticks(rows, [cs.wrap_label(g) for g, _ in table])
        ax.set_ylim(len(table) - 0.5 if table else 0.5, -0.5)
        ax.set_xlim(0, 1)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
        ax.xaxis.set_major_formatter(cs.axis_formatter("ratio"))
        ax.xaxis.grid(True, color=cs.GRID, linewidth=0.6)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        handles = [Patch(facecolor=c, **cs.status_look(c, k)) for k, c in enumerate(colours)]
        cs.draw_header(fig, title, handles, [s[1] for s in statuses], ncol)
        return fig

    return _made(name or cs.slug(title), draw, _status_alt(title, table, statuses), svg)


def _status_alt(title: str, table: list[tuple[str, list[int]]],
                statuses: list[tuple[str, str, str]]) -> str:
    labels = [_lower_first(s[1]) for s in statuses]
    lead = f"Stapeldiagram: {title}."

    def detailed(group: str, counts: list[int]) -> str:
        total = sum(counts)
        if total == 0:
            return f"{group}: uppgift saknas."
        parts = [f"{c} {lab} ({s}{NBSP}%)"
                 for c, lab, s in zip(counts, labels, _shares(counts), strict=True) if c]
        parts[0] = parts[0].replace(" ", f" av {total} ", 1)
        return f"{group}: " + ", ".join(parts) + "."

    def brief(group: str, counts: list[int]) -> str:
        if sum(counts) == 0:
            return f"{group}: uppgift saknas."
        parts = [f"{lab} {s}{NBSP}%"
                 for c, lab, s in zip(counts, labels, _shares(counts), strict=True) if c]
        return f"{group} ({sum(counts)}): " + ", ".join(parts) + "."

    totals = [sum(col) for col in zip(*(c for _, c in table), strict=True)] if table else []
    overall = ""
    if totals and sum(totals):
        overall = f" Totalt {sum(totals)}: " + ", ".join(
            f"{lab} {s}{NBSP}%" for t, lab, s in zip(totals, labels, _shares(totals), strict=True)
            if t) + "."
    first = labels[0] if labels else ""
    per_group = ", ".join(
        f"{g} {_shares(c)[0]}{NBSP}%" if sum(c) else f"{g} uppgift saknas" for g, c in table)
    if not table or not sum(totals):
        return _fit([f"{lead} {MISSING}."])
    ranked = sorted(((_shares(c)[0], g) for g, c in table if sum(c)), key=lambda r: r[0])
    extremes = (f" Andel {first} per grupp från {ranked[0][0]}{NBSP}% ({ranked[0][1]}) "
                f"till {ranked[-1][0]}{NBSP}% ({ranked[-1][1]}).")
    return _fit([
        " ".join([lead, *(detailed(g, c) for g, c in table)]),
        " ".join([lead, *(brief(g, c) for g, c in table)]),
        f"{lead}{overall} Andel {first} per grupp: {per_group}.",
        f"{lead}{overall}{extremes}",
    ])


def _line_frame(title: str, unit: str, lower_is_better: bool,
                *series: list[float | None]) -> tuple[str | None, float, float,
                                                       Callable[[float], str]]:
    """A line chart's note, header height, figure height and value labeller: one number of
    decimals for every label in the chart (83,0 % beside 83,7 %, not 83 %)."""
    note = "Lägre värde är bättre." if lower_is_better else None
    top = cs.header_height(title, 1, 1 if note else 0)
    shown = [v for values in series for v in values if v is not None]
    decimals = max((0 if float(v).is_integer() else 1 for v in shown), default=0)

    def value_text(v: float) -> str:
        return format_value(v, unit if unit == "%" else "", decimals).replace("-", MINUS)

    return note, top, top + 1.9 + cs.X_AXIS_IN, value_text


def _year_axes(ax: Any, xs: list[int], unit: str, has_data: bool) -> None:
    """A line chart's axes: one tick per year, the value axis in the indicator's unit, or
    "Uppgift saknas" across the plot when there is nothing to draw."""
    if xs:
        ax.set_xlim(xs[0] - 0.5, xs[-1] + 0.5)
        ax.set_xticks(xs, [str(y) for y in xs])
    if not has_data:
        ax.set_yticks([])
        ax.text(0.5, 0.5, MISSING, transform=ax.transAxes, ha="center", va="center",
                fontsize=cs.LABEL_PT, color=cs.MUTED)
    else:
        ax.yaxis.set_major_formatter(
            cs.axis_formatter("percent_points" if unit == "%" else "number"))
        if unit and unit != "%":
            ax.set_ylabel(unit)
    ax.yaxis.grid(True, color=cs.GRID, linewidth=0.6)


def indicator_trend(title: str, unit: str, years: list[int], actual: list[float | None],
                    targets: list[float | None], lower_is_better: bool = False, *,
                    name: str | None = None, plan_from: int | None = None,
                    svg: bool = False) -> Chart:
    """Utfall per year (line with markers and value labels) against målvärde (dashed).

    Values are in ``unit`` as stored: ``"%"`` means percent points (85 = 85 %), other units
    ("kr", "dagar") are shown on the axis label. ``None`` is a year without a value and leaves a
    gap; if every utfall and målvärde is ``None`` the chart says "Uppgift saknas".
    """
    if not (len(years) == len(actual) == len(targets)):
        raise ValueError("years, actual and targets must have the same length")
    pairs = list(zip(years, actual, targets, strict=True))
    has_actual = any(a is not None for a in actual)
    has_data = has_actual or any(t is not None for t in targets)
    known_targets = [t for t in targets if t is not None]
    constant_target = len(set(known_targets)) == 1
    note, top, height, value_text = _line_frame(title, unit, lower_is_better, actual, targets)

    def draw() -> Figure:
        from matplotlib.lines import Line2D

        fig, ax = cs.new_figure(height, top_in=top, bottom_in=cs.X_AXIS_IN, left_in=0.85,
                                right_in=0.3)
        nan = float("nan")
        xs = list(years)
        if not constant_target:
            ax.plot(xs, [nan if t is None else t for t in targets], color=cs.TARGET,
                    linewidth=1.6, linestyle=(0, (5, 3)), marker="d", markersize=5, zorder=2)
        elif xs:
            ax.hlines(known_targets[0], xs[0] - 0.35, xs[-1] + 0.35, color=cs.TARGET,
                      linewidth=1.6, linestyle=(0, (5, 3)), zorder=2)
        ax.plot(xs, [nan if a is None else a for a in actual], color=cs.ACTUAL, linewidth=2.2,
                marker="o", markersize=6, zorder=3)
        values = [v for v in (*actual, *targets) if v is not None]
        lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
        span = (hi - lo) or max(abs(hi), 1.0)
        ax.set_ylim(lo - span * 0.25, hi + span * 0.3)
        for x, a, t in pairs:
            if a is not None:
                # Below the point when the målvärde line runs just above it.
                below = t is not None and 0 < t - a < span * 0.35
                ax.annotate(value_text(a), (x, a), xytext=(0, -8 if below else 7),
                            textcoords="offset points", ha="center",
                            va="top" if below else "bottom", fontsize=cs.SMALL_PT, color=cs.ACTUAL,
                            fontweight="bold")
        _year_axes(ax, xs, unit, has_data)
        if has_data and not has_actual:
            ax.text(0.5, 0.92, f"{MISSING} om utfall", transform=ax.transAxes,
                    ha="center", va="top", fontsize=cs.SMALL_PT, color=cs.MUTED)
        handles = [Line2D([], [], color=cs.ACTUAL, linewidth=2.2, marker="o", markersize=6),
                   Line2D([], [], color=cs.TARGET, linewidth=1.6, linestyle=(0, (5, 3)))]
        # a constant målvärde is named in numbers in the legend (no label to collide with)
        target_label = (f"Målvärde {value_text(known_targets[0])}" if constant_target
                        else "Målvärde")
        cs.draw_header(fig, title, handles, ["Utfall", target_label], 2, note)
        return fig

    return _made(name or cs.slug(title), draw,
                 _trend_alt(title, unit, years, actual, targets, lower_is_better, plan_from), svg)


def _trend_alt(title: str, unit: str, years: list[int], actual: list[float | None],
               targets: list[float | None], lower_is_better: bool,
               plan_from: int | None = None) -> str:
    def v(x: float | None) -> str:
        return "saknas" if x is None else format_value(x, unit).replace("-", MINUS)

    lead = f"Linjediagram: {title} {_years(years)}".rstrip()
    if not years or all(x is None for x in (*actual, *targets)):
        return f"{lead}. {MISSING}."
    if plan_from is not None and plan_from in years:
        # a plan: the utfall of the earlier years, then the målvärden of the plan's years
        cut = years.index(plan_from)
        ahead = ", ".join(f"{y}: {v(t)}" for y, t in zip(years[cut:], targets[cut:],
                                                         strict=True) if t is not None)
        before = _trend_alt(title, unit, years[:cut], actual[:cut], targets[:cut],
                            lower_is_better).removeprefix(f"Linjediagram: {title} "
                                                          f"{_years(years[:cut])}")
        return _fit([f"{lead}. {_years(years[:cut])}{before} Planens målvärden: "
                     f"{ahead or 'inga'}.",
                     f"{lead}. Planens målvärden: {ahead or 'inga'}."])
    if all(a is None for a in actual):
        series = "saknas"
    elif all(a is not None for a in actual):
        series = ", ".join(v(a) for a in actual)
    else:
        series = ", ".join(f"{y}: {v(a)}" for y, a in zip(years, actual, strict=True))
    known = [t for t in targets if t is not None]
    if not known:
        target_text = "inget målvärde"
    elif len(set(known)) == 1:
        target_text = f"målvärde {v(known[0])}"
    else:
        target_text = "målvärden " + ", ".join(
            f"{y}: {v(t)}" for y, t in zip(years, targets, strict=True) if t is not None)
    text = f"{lead}, utfall {series} mot {target_text}."
    if lower_is_better:
        text += " Lägre värde är bättre."
    for y, a, t in reversed(list(zip(years, actual, targets, strict=True))):
        if a is None:
            continue
        if t is not None:  # the last year with an utfall, and it has a målvärde
            met = a <= t if lower_is_better else a >= t
            text += f" Målvärdet {'nåddes' if met else 'nåddes inte'} {y}."
        break
    short = (f"{lead}: utfall {v(actual[0])} {years[0]} och {v(actual[-1])} {years[-1]}, "
             f"{target_text}.")
    return _fit([text, short])


def _hbar_layout(n_rows: int, n_series: int, title: str, legend_rows: int) -> tuple[float, float]:
    # Each bar must stay taller than its 8 pt value label (~0.135 in with line spacing).
    bar_in = 0.17 if n_rows * n_series <= 18 else 0.135
    top = cs.header_height(title, legend_rows)
    group_in = bar_in * n_series / 0.8
    return top, top + max(n_rows, 1) * group_in + cs.X_AXIS_IN + 0.2


def _grouped_hbars(title: str, labels: list[str], series: list[tuple[str, list[float | None],
                   str, str]], name: str | None, alt: str) -> Chart:
    """Horizontal grouped bars in tkr: series = (label, values, colour, hatch)."""
    n_series = len(series)
    top, height = _hbar_layout(len(labels), n_series, title, 1)

    def draw() -> Figure:
        from matplotlib.patches import Patch
        from matplotlib.ticker import MaxNLocator

        fig, ax = cs.new_figure(height, top_in=top, bottom_in=cs.X_AXIS_IN + 0.2,
                                left_in=cs.BAR_LABEL_AREA_IN, right_in=0.3)
        bar_h = 0.8 / n_series
        values = [x for _, vals, _, _ in series for x in vals if x is not None]
        lo, hi = min([0.0, *values]), max([0.0, *values])
        if lo == hi:  # no values, or all zero: matplotlib warns on an empty range
            hi = 1.0
        span = hi - lo
        # Room beside the bars for their value labels.
        ax.set_xlim(lo - (span * 0.16 if lo < 0 else 0), hi + (span * 0.16 if hi > 0 else 0))
        for k, (_label, vals, colour, hatch) in enumerate(series):
            offset = -0.4 + bar_h * (k + 0.5)
            shown = [(row + offset, value) for row, value in enumerate(vals) if value is not None]
            if shown:  # one call per series: the same bars, a fraction of the set-up
                ax.barh([y for y, _ in shown], [v for _, v in shown], height=bar_h * 0.92,
                        color=colour, edgecolor="white", linewidth=0.5, hatch=hatch,
                        hatchcolor="#FFFFFF99")
            for row, value in enumerate(vals):
                y = row + offset
                if value is None:
                    ax.text(0, y, " saknas", va="center", ha="left", fontsize=cs.SMALL_PT,
                            color=cs.MUTED)
                    continue
                ax.annotate(_num(value), (value, y), xytext=(3 if value >= 0 else -3, 0),
                            textcoords="offset points", va="center",
                            ha="left" if value >= 0 else "right", fontsize=cs.SMALL_PT,
                            color=cs.TEXT)
        ax.set_yticks(range(len(labels)), [cs.wrap_label(x) for x in labels])
        ax.set_ylim(max(len(labels), 1) - 0.5, -0.5)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        ax.xaxis.set_major_formatter(cs.axis_formatter("number"))
        ax.xaxis.grid(True, color=cs.GRID, linewidth=0.6)
        ax.axvline(0, color=cs.AXIS, linewidth=0.8)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_xlabel("tkr", loc="right", fontsize=cs.LABEL_PT)
        if not labels or not values:
            ax.text(0.5, 0.5, MISSING, transform=ax.transAxes, ha="center", va="center",
                    color=cs.MUTED)
        handles = [Patch(facecolor=c, hatch=h, edgecolor="white", hatchcolor="#FFFFFF99")
                   for _, _, c, h in series]
        cs.draw_header(fig, title, handles, [s[0] for s in series], n_series)
        return fig

    return Chart(name or cs.slug(title), cs.render(draw), alt)


def budget_actual_forecast(title: str,
                           rows: list[tuple[str, float | None, float | None, float | None]], *,
                           name: str | None = None) -> Chart:
    """Grouped bars per nämnd: budget, utfall and prognos in tkr (thousands of kronor).

    ``rows`` = ``(nämnd, budget, utfall, prognos)``; a ``None`` value is drawn as "–". When no
    row has a prognos (årsredovisning) the prognos series is left out entirely.
    """
    labels = [r[0] for r in rows]
    series: list[tuple[str, list[float | None], str, str]] = [
        ("Budget", [r[1] for r in rows], cs.BUDGET, ""),
        ("Utfall", [r[2] for r in rows], cs.ACTUAL, ""),
    ]
    with_forecast = any(r[3] is not None for r in rows)
    if with_forecast:
        series.append(("Prognos", [r[3] for r in rows], cs.FORECAST, cs.FORECAST_HATCH))
    lead = f"Stapeldiagram: {title}, tkr."
    names = [s[0].lower() for s in series]

    def row_text(r: tuple[str, float | None, float | None, float | None]) -> str:
        vals = (r[1], r[2], r[3])[:len(series)]
        return f"{r[0]}: " + ", ".join(f"{n} {_num(v) if v is not None else 'saknas'}"
                                       for n, v in zip(names, vals, strict=True)) + "."

    def total(values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return sum(known) if known else None

    totals = " Totalt: " + ", ".join(
        f"{n} {_tkr(total(s[1]))}" for n, s in zip(names, series, strict=True)) + "."
    # budget against the prognos (delår) or the utfall (årsredovisning)
    compared = [(r[0], r[1], r[3] if with_forecast else r[2]) for r in rows]
    diffs = sorted(((c - b, g) for g, b, c in compared if b is not None and c is not None),
                   key=lambda d: (-abs(d[0]), d[1]))[:3]
    diff_text = ""
    if diffs:
        word = "prognos" if with_forecast else "utfall"
        diff_text = f" Störst skillnad mellan {word} och budget: " + ", ".join(
            f"{g} {_tkr(abs(d))} {'över' if d > 0 else 'under'}" if d else f"{g} ingen"
            for d, g in diffs) + "."
    if not rows:
        alt = f"{lead} {MISSING}."
    else:
        alt = _fit([" ".join([lead, *map(row_text, rows)]), f"{lead}{totals}{diff_text}"])
    return _grouped_hbars(title, labels, series, name, alt)


def investments(title: str, rows: list[tuple[str, float, float]], *,
                name: str | None = None) -> Chart:
    """Budget against utfall per investment project or nämnd, in tkr: ``(name, budget, utfall)``."""
    series: list[tuple[str, list[float | None], str, str]] = [
        ("Budget", [r[1] for r in rows], cs.BUDGET, ""),
        ("Utfall", [r[2] for r in rows], cs.ACTUAL, ""),
    ]
    lead = f"Stapeldiagram: {title}, tkr."

    def used(budget: float | None, actual: float | None) -> str:
        if budget is None or actual is None or budget == 0:
            return ""
        return f" ({format_percent(actual / budget)} av budget)"

    parts = [f"{p}: budget {_num(b)}, utfall {_num(a)}{used(b, a)}." for p, b, a in rows]
    budgets = [r[1] for r in rows if r[1] is not None]
    actuals = [r[2] for r in rows if r[2] is not None]
    tb, ta = sum(budgets), sum(actuals)
    summary = (f"{lead} {len(rows)} poster. Totalt budget {_tkr(tb)}, utfall {_tkr(ta)}"
               f"{used(tb, ta)}.")
    alt = f"{lead} {MISSING}." if not rows else _fit([" ".join([lead, *parts]), summary])
    return _grouped_hbars(title, [r[0] for r in rows], series, name, alt)


def hundred_kronor(title: str, rows: list[tuple[str, int]], *, name: str | None = None,
                   note: str = "") -> Chart:
    """"Vart går 100 kronor": one bar per nämnd with its whole kronor of a hundred
    (``rows`` = ``(name, kronor)``, kronor that add up to 100, largest first as given)."""
    labels = [r[0] for r in rows]
    top = cs.header_height(title, 0)
    # a row holds a two-line nämnd name
    height = top + max(len(rows), 1) * 0.36 + cs.X_AXIS_IN + 0.2

    def draw() -> Figure:
        fig, ax = cs.new_figure(height, top_in=top, bottom_in=cs.X_AXIS_IN + 0.2,
                                left_in=cs.BAR_LABEL_AREA_IN, right_in=0.3)
        most = max([r[1] for r in rows] + [1])
        ax.set_xlim(0, most * 1.18)
        for row, (_label, kronor) in enumerate(rows):
            ax.barh(row, kronor, height=0.7, color=cs.ACTUAL, edgecolor="white", linewidth=0.5)
            ax.annotate(f"{kronor}{NBSP}kr", (kronor, row), xytext=(3, 0),
                        textcoords="offset points", va="center", ha="left",
                        fontsize=cs.SMALL_PT, color=cs.TEXT)
        ax.set_yticks(range(len(labels)), [cs.wrap_label(x) for x in labels])
        ax.set_ylim(max(len(labels), 1) - 0.5, -0.5)
        ax.xaxis.set_major_formatter(cs.axis_formatter("number"))
        ax.xaxis.grid(True, color=cs.GRID, linewidth=0.6)
        ax.axvline(0, color=cs.AXIS, linewidth=0.8)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_xlabel("kronor av 100", loc="right", fontsize=cs.LABEL_PT)
        if not rows:
            ax.text(0.5, 0.5, MISSING, transform=ax.transAxes, ha="center", va="center",
                    color=cs.MUTED)
        cs.draw_header(fig, title, [], [], 1)
        return fig

    lead = f"Stapeldiagram: {title}."
    parts = ", ".join(f"{k}{NBSP}kr till {g}" for g, k in rows)
    alt = f"{lead} {MISSING}." if not rows else _fit(
        [f"{lead} Av 100 kronor går {parts}.{(' ' + note) if note else ''}",
         f"{lead} Av 100 kronor går {parts}."])
    return Chart(name or cs.slug(title), cs.render(draw), alt)


def sick_leave(title: str, years: list[int], series: dict[str, list[float | None]], *,
               name: str | None = None) -> Chart:
    """Sjukfrånvaro per group over years as lines; values are ratios (0.071 = 7,1 %).

    ``series`` maps group name (e.g. "Kvinnor", "Män", "Totalt") to one value per year, drawn in
    the dict's order; ``None`` leaves a gap. The y axis starts at 0 %.
    """
    for group, values in series.items():
        if len(values) != len(years):
            raise ValueError(f"{group}: {len(values)} values for {len(years)} years")
    groups = list(series.items())
    ncol = cs.legend_columns([g for g, _ in groups])
    top = cs.header_height(title, -(-max(len(groups), 1) // ncol))
    height = top + 2.7 + cs.X_AXIS_IN

    def draw() -> Figure:
        fig, ax = cs.new_figure(height, top_in=top, bottom_in=cs.X_AXIS_IN, left_in=0.7,
                                right_in=0.3)
        nan = float("nan")
        handles = []
        for k, (_group, values) in enumerate(groups):
            colour, marker, dash = cs.LINE_STYLES[k % len(cs.LINE_STYLES)]
            (line,) = ax.plot(years, [nan if v is None else v for v in values], color=colour,
                              marker=marker, markersize=5.5, linewidth=1.8, linestyle=dash)
            handles.append(line)
            last = next(((y, v) for y, v in reversed(list(zip(years, values, strict=True)))
                         if v is not None), None)
            if last:
                ax.annotate(format_percent(last[1], 1), last, xytext=(7, 0),
                            textcoords="offset points", va="center", ha="left",
                            fontsize=cs.SMALL_PT, color=colour)
        known = [v for _, vals in groups for v in vals if v is not None]
        ax.set_ylim(0, max(known) * 1.2 if known and max(known) > 0 else 0.1)
        if years:
            ax.set_xlim(years[0] - 0.4, years[-1] + 0.6)
            ax.set_xticks(years, [str(y) for y in years])
        ax.yaxis.set_major_formatter(cs.axis_formatter("ratio"))
        ax.yaxis.grid(True, color=cs.GRID, linewidth=0.6)
        if not known:
            ax.text(0.5, 0.5, MISSING, transform=ax.transAxes, ha="center", va="center",
                    color=cs.MUTED)
        cs.draw_header(fig, title, handles, [g for g, _ in groups], ncol)
        return fig

    lead = f"Linjediagram: {title} {_years(years)}".rstrip() + ", i procent."

    def pct(v: float | None) -> str:
        return "saknas" if v is None else format_percent(v, 1)

    full = " ".join([lead, *(f"{g}: " + ", ".join(
        pct(v) if all(x is not None for x in vals) else f"{y}: {pct(v)}"
        for y, v in zip(years, vals, strict=True)) + "." for g, vals in groups)])
    brief = " ".join([lead, *(f"{g}: {pct(vals[0])} {years[0]}, {pct(vals[-1])} {years[-1]}."
                              for g, vals in groups if vals)])
    alt = f"{lead} {MISSING}." if not any(
        v is not None for _, vals in groups for v in vals) else _fit([full, brief])
    return Chart(name or cs.slug(title), cs.render(draw), alt)


def plan_per_year(title: str, years: list[int],
                  rows: list[tuple[str, list[float | None]]], *, stacked: bool = False,
                  name: str | None = None) -> Chart:
    """Vertical bars per plan year in mnkr, one series per row (nämnd or project group):
    grouped side by side, or ``stacked`` with the year's total above. Values are given in tkr
    (as the plan's tables show them); the alt text states them in tkr. ``None`` is no value.
    """
    for label, values in rows:
        if len(values) != len(years):
            raise ValueError(f"{label}: {len(values)} values for {len(years)} years")
    labels = [r[0] for r in rows]
    ncol = cs.legend_columns(labels) if labels else 1
    top = cs.header_height(title, -(-max(len(rows), 1) // ncol))
    height = top + 2.6 + cs.X_AXIS_IN

    def mnkr(v: float) -> str:
        return _num(v / 1000, 1)

    def draw() -> Figure:
        from matplotlib.patches import Patch
        from matplotlib.ticker import MaxNLocator

        fig, ax = cs.new_figure(height, top_in=top, bottom_in=cs.X_AXIS_IN, left_in=0.85,
                                right_in=0.3)
        n = max(len(rows), 1)
        width = 0.8 if stacked else 0.8 / n
        bottoms = [0.0] * len(years)
        stack_totals = [sum(vals[i] or 0.0 for _, vals in rows) / 1000 for i in range(len(years))]
        seg_min = max([0.0, *stack_totals]) * 0.09
        handles = []
        for k, (_label, values) in enumerate(rows):
            colour = cs.LINE_STYLES[k % len(cs.LINE_STYLES)][0]
            hatch = cs.STATUS_HATCHES[k % len(cs.STATUS_HATCHES)]
            look: dict[str, Any] = {"color": colour, "edgecolor": "white", "linewidth": 0.5,
                                    "hatch": hatch, "hatchcolor": "#FFFFFF99"}
            handles.append(Patch(facecolor=colour, hatch=hatch, edgecolor="white",
                                 hatchcolor="#FFFFFF99"))
            for i, value in enumerate(values):
                if value is None:
                    continue
                x = i if stacked else i - 0.4 + width * (k + 0.5)
                ax.bar(x, value / 1000, width * 0.92, bottom=bottoms[i] if stacked else 0,
                       **look)
                if stacked:
                    if value / 1000 >= seg_min:  # a segment tall enough for its label
                        ax.text(x, bottoms[i] + value / 2000, mnkr(value), ha="center",
                                va="center", fontsize=cs.SMALL_PT - 1,
                                color=cs.text_colour_on(colour),
                                bbox={"boxstyle": "square,pad=0.1", "facecolor": colour,
                                      "edgecolor": "none"})
                    bottoms[i] += value / 1000
                else:
                    ax.annotate(mnkr(value), (x, value / 1000), xytext=(0, 2),
                                textcoords="offset points", ha="center", va="bottom",
                                fontsize=cs.SMALL_PT - 1, color=cs.TEXT)
        if stacked:
            for i, total in enumerate(bottoms):
                ax.annotate(mnkr(total * 1000), (i, total), xytext=(0, 2),
                            textcoords="offset points", ha="center", va="bottom",
                            fontsize=cs.SMALL_PT, color=cs.TEXT, fontweight="bold")
        known = [v for _, vals in rows for v in vals if v is not None]
        hi = max(bottoms) if stacked else max([0.0, *known]) / 1000
        ax.set_ylim(0, hi * 1.15 if hi > 0 else 1.0)
        ax.set_xticks(range(len(years)), [str(y) for y in years])
        ax.set_xlim(-0.5, max(len(years), 1) - 0.5)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        ax.yaxis.set_major_formatter(cs.axis_formatter("number"))
        ax.yaxis.grid(True, color=cs.GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_ylabel("mnkr")
        if not known:
            ax.text(0.5, 0.5, MISSING, transform=ax.transAxes, ha="center", va="center",
                    color=cs.MUTED)
        cs.draw_header(fig, title, handles, labels, ncol)
        return fig

    return Chart(name or cs.slug(title), cs.render(draw), _plan_alt(title, years, rows, stacked))


def _plan_alt(title: str, years: list[int], rows: list[tuple[str, list[float | None]]],
              stacked: bool) -> str:
    lead = f"Stapeldiagram{' (staplade)' if stacked else ''}: {title} {_years(years)}".rstrip()
    lead += ", tkr."
    if not any(v is not None for _, vals in rows for v in vals):
        return f"{lead} {MISSING}."

    def v(x: float | None) -> str:
        return "saknas" if x is None else _num(x)

    totals = [sum(vals[i] or 0.0 for _, vals in rows) for i in range(len(years))]
    per_year = " ".join(
        f"{y}: " + ", ".join(f"{label} {v(vals[i])}" for label, vals in rows)
        + f"; totalt {_num(totals[i])}." for i, y in enumerate(years))
    per_row = " ".join(f"{label}: " + ", ".join(v(x) for x in vals) + "."
                       for label, vals in rows)
    total_text = "Totalt per år: " + ", ".join(
        f"{y} {_num(t)}" for y, t in zip(years, totals, strict=True)) + "."
    return _fit([f"{lead} {per_year}", f"{lead} {per_row} {total_text}",
                 f"{lead} {total_text}"])


@functools.lru_cache(maxsize=1)
def _matplotlib_version() -> str:
    from importlib.metadata import version

    return version("matplotlib")  # read from the package metadata: once, not per chart


def _fontlist_signature() -> list[Any] | None:
    """Name, size and time of matplotlib's font list (``fontlist-v*.json`` in its cache
    folder, which it rebuilds only when the file is missing), or None when it is not where
    matplotlib keeps it on Linux (``MPLCONFIGDIR``, else ``$XDG_CACHE_HOME/matplotlib``)."""
    import os
    import sys

    base = os.environ.get("MPLCONFIGDIR")
    folder = Path(base) if base else Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib"
    try:
        files = sorted(folder.glob("fontlist-v*.json"))
        stats = [(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files]
    except OSError:
        return None
    if not sys.platform.startswith("linux") or not stats:
        return None
    return [str(folder), _matplotlib_version(), stats]


def _font(cache_dir: Path | None) -> str:
    """:func:`chartstyle.font_family` for the cache keys without importing matplotlib (0.2 s)
    when the chart cache remembers the answer for the same font list."""
    signature = _fontlist_signature() if cache_dir is not None else None
    if signature is None:
        return cs.font_family()
    digest = hashlib.sha256(json.dumps(signature).encode()).hexdigest()[:32]
    memo = Path(cache_dir) / f"font-{digest}.txt"  # type: ignore[arg-type]
    try:
        return memo.read_text(encoding="utf-8")
    except OSError:
        pass
    font = cs.font_family()
    with contextlib.suppress(OSError):  # a cache that cannot be written is no error
        write_bytes_atomic(memo, font.encode("utf-8"))
    return font


def _cache_key(fn: Callable[..., Chart], kwargs: dict[str, Any], font: str) -> str:
    payload = {
        "fn": f"{fn.__module__}.{fn.__qualname__}",
        "args": kwargs,
        "style": cs.STYLE_VERSION,
        "matplotlib": _matplotlib_version(),
        "font": font,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=repr,
                      allow_nan=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _call(spec: tuple[Callable[..., Chart], dict[str, Any]]) -> Chart:
    fn, kwargs = spec
    return fn(**kwargs)


def from_cache(specs: list[tuple[Callable[..., Chart], dict[str, Any]]],
               cache_dir: Path | None) -> tuple[list[Chart | None], list[str | None]]:
    """The charts ``cache_dir`` holds for ``specs`` (None where it has none) and their keys
    (see :func:`render_many`)."""
    results: list[Chart | None] = [None] * len(specs)
    keys: list[str | None] = [None] * len(specs)
    if cache_dir is None:
        return results, keys
    font = _font(cache_dir) if specs else ""
    for i, (fn, kwargs) in enumerate(specs):
        key = keys[i] = _cache_key(fn, kwargs, font)
        png, meta = Path(cache_dir) / f"{key}.png", Path(cache_dir) / f"{key}.json"
        if png.exists() and meta.exists():
            info = json.loads(meta.read_text(encoding="utf-8"))
            results[i] = Chart(info["name"], png.read_bytes(), info["alt"], info["width_mm"])
    return results, keys


def to_cache(cache_dir: Path, key: str, chart: Chart) -> None:
    """Keep a drawn chart in ``cache_dir`` under ``key`` (from :func:`from_cache`)."""
    base = Path(cache_dir) / key
    write_bytes_atomic(base.with_suffix(".png"), chart.png)
    meta = {"name": chart.name, "alt": chart.alt, "width_mm": chart.width_mm}
    write_bytes_atomic(base.with_suffix(".json"),
                       json.dumps(meta, ensure_ascii=False, sort_keys=True).encode())


def draw(spec: tuple[Callable[..., Chart], dict[str, Any]]) -> Chart:
    """One ``(chart function, keyword arguments)`` spec drawn."""
    return _call(spec)


def render_many(specs: list[tuple[Callable[..., Chart], dict[str, Any]]],
                cache_dir: Path | None = None, workers: int = 1) -> list[Chart]:
    """Render ``(chart function, keyword arguments)`` specs; results in input order.

    With ``cache_dir``, each chart is stored as ``<sha256>.png`` plus ``<sha256>.json`` (name,
    alt, width) keyed by the function's qualified name, its arguments, STYLE_VERSION, the
    matplotlib version and the font; a hit is read back without drawing. ``workers > 1`` draws
    the misses in a process pool (worth it from a few dozen charts); the bytes are the same
    whatever ``workers`` is. Functions must be importable module-level callables.
    """
    results, keys = from_cache(specs, cache_dir)
    todo = [i for i, r in enumerate(results) if r is None]
    if workers > 1 and len(todo) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        methods = multiprocessing.get_all_start_methods()
        # fork reuses the parent's imported matplotlib and font cache (~0.5 s per worker saved).
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        chunk = max(1, len(todo) // (workers * 4))
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            drawn = list(pool.map(_call, [specs[i] for i in todo], chunksize=chunk))
    else:
        drawn = [_call(specs[i]) for i in todo]
    for i, chart in zip(todo, drawn, strict=True):
        results[i] = chart
        if cache_dir is not None:
            to_cache(cache_dir, str(keys[i]), chart)
    return [r for r in results if r is not None]


def risk_matrix(title: str, likelihood: list[str], consequence: list[str],
                cells: list[tuple[int, int, str, str, int]],
                levels: list[tuple[str, str, str, int]], *, name: str | None = None,
                svg: bool = False) -> Chart:
    """A riskmatris: sannolikhet (rows, highest at the top) × konsekvens (columns), each cell
    in its level's colour with the number of kontrollmoment and the level's symbol in it, so
    the figure does not rest on colour alone.

    ``cells`` are ``(sannolikhet, konsekvens, hex colour, symbol, count)`` for every cell;
    ``levels`` are ``(label, hex colour, symbol, count)`` for the legend and the alt text.
    """
    n = len(likelihood)
    top = cs.header_height(title, 1)
    cell_in = 0.5
    height = top + n * cell_in + cs.X_AXIS_IN + 0.3
    left = 1.9

    def draw() -> Figure:
        from matplotlib.patches import Patch, Rectangle

        fig, ax = cs.new_figure(height, top_in=top, bottom_in=cs.X_AXIS_IN + 0.3, left_in=left,
                                right_in=cs.WIDTH_IN - left - len(consequence) * 1.05)
        for s, k, colour, symbol, count in cells:
            c = cs.hex_colour(colour)
            ax.add_patch(Rectangle((k - 1, s - 1), 1, 1, facecolor=c, edgecolor="white",
                                   linewidth=2))
            label = f"{symbol} {count}" if count else symbol
            ax.text(k - 0.5, s - 0.5, label, ha="center", va="center", fontsize=cs.LABEL_PT,
                    color=cs.text_colour_on(c), fontweight="bold" if count else "normal")
        ax.set_xlim(0, len(consequence))
        ax.set_ylim(0, n)
        ax.set_xticks([i + 0.5 for i in range(len(consequence))],
                      [cs.wrap_label(w, 14) for w in consequence], fontsize=cs.SMALL_PT)
        ax.set_yticks([i + 0.5 for i in range(n)], [cs.wrap_label(w, 22) for w in likelihood],
                      fontsize=cs.SMALL_PT)
        ax.set_xlabel("Konsekvens", fontsize=cs.SMALL_PT, color=cs.MUTED)
        ax.set_ylabel("Sannolikhet", fontsize=cs.SMALL_PT, color=cs.MUTED)
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        handles = [Patch(facecolor=cs.hex_colour(c)) for _l, c, _s, _n in levels]
        cs.draw_header(fig, title, handles, [f"{sym} {lab}" for lab, _c, sym, _n in levels],
                       len(levels))
        return fig

    total = sum(c[4] for c in cells)
    kind = "" if title.startswith("Riskmatris") else "Riskmatris: "
    lead = f"{kind}{title}. {total} kontrollmoment efter sannolikhet och konsekvens."
    per_level = " ".join(f"{lab}: {cnt}." for lab, _c, _s, cnt in levels)
    per_cell = " ".join(f"Sannolikhet {likelihood[s - 1].lower()} och konsekvens "
                        f"{consequence[k - 1].lower()}: {cnt}." for s, k, _c, _y, cnt in
                        sorted(cells, key=lambda c: (-c[0] * c[1], -c[0])) if cnt)
    alt = _fit([f"{lead} {per_level} {per_cell}", f"{lead} {per_level}"])
    return _made(name or cs.slug(title), draw, alt, svg)


def kolada_trend(title: str, unit: str, years: list[int], own: list[float | None],
                 median: list[float | None], kommun: str, lower_is_better: bool = False, *,
                 name: str | None = None) -> Chart:
    """The kommun's value per year (line with markers and labels) beside its comparison
    group's median (dashed) — the Kolada comparison (documents/kolada.py). ``None`` is a year
    without a value and leaves a gap."""
    if not (len(years) == len(own) == len(median)):
        raise ValueError("years, own and median must have the same length")
    note, top, height, value_text = _line_frame(title, unit, lower_is_better, own, median)
    shown = [v for v in (*own, *median) if v is not None]

    def draw() -> Figure:
        from matplotlib.lines import Line2D

        fig, ax = cs.new_figure(height, top_in=top, bottom_in=cs.X_AXIS_IN, left_in=0.85,
                                right_in=0.3)
        nan = float("nan")
        xs = list(years)
        ax.plot(xs, [nan if m is None else m for m in median], color=cs.TARGET, linewidth=1.6,
                linestyle=(0, (5, 3)), marker="d", markersize=5, zorder=2)
        ax.plot(xs, [nan if a is None else a for a in own], color=cs.ACTUAL, linewidth=2.2,
                marker="o", markersize=6, zorder=3)
        lo, hi = (min(shown), max(shown)) if shown else (0.0, 1.0)
        span = (hi - lo) or max(abs(hi), 1.0)
        ax.set_ylim(lo - span * 0.25, hi + span * 0.3)
        for x, a in zip(xs, own, strict=True):
            if a is not None:
                ax.annotate(value_text(a), (x, a), xytext=(0, 7), textcoords="offset points",
                            ha="center", va="bottom", fontsize=cs.SMALL_PT, color=cs.ACTUAL,
                            fontweight="bold")
        _year_axes(ax, xs, unit, bool(shown))
        handles = [Line2D([], [], color=cs.ACTUAL, linewidth=2.2, marker="o", markersize=6),
                   Line2D([], [], color=cs.TARGET, linewidth=1.6, linestyle=(0, (5, 3)),
                          marker="d", markersize=5)]
        cs.draw_header(fig, title, handles, [kommun, "Jämförelsegruppens median"], 2, note)
        return fig

    def series(values: list[float | None]) -> str:
        return ", ".join(f"{y}: {'saknas' if v is None else format_value(v, unit)}"
                         for y, v in zip(years, values, strict=True)).replace("-", MINUS)

    lead = f"Linjediagram: {title} {_years(years)}".rstrip()
    alt = _fit([f"{lead}. {kommun}: {series(own)}. Jämförelsegruppens median: "
                f"{series(median)}.{' ' + note if note else ''} Källa: Kolada; medianen är egen "
                "beräkning.", f"{lead}. {kommun}: {series(own)}."])
    return Chart(name or cs.slug(title), cs.render(draw), alt)
