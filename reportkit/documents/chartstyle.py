"""The one look of every chart in the documents: sizes, fonts, colours and the figure helpers.

Changing anything here that alters pixels must bump ``STYLE_VERSION``: it is part of the chart
cache key, so an old cache can never hand out a chart in the old look.

matplotlib is imported inside the helpers, never at module import (``reportkit check`` must start
fast; matplotlib.pyplot alone costs ~450 ms, TECH.md §9). We never use pyplot: a bare
``Figure`` with an Agg canvas keeps no global state between charts.
"""

from __future__ import annotations

import functools
import io
import textwrap
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from reportkit.formats import format_number, format_percent

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

STYLE_VERSION = "2"

WIDTH_MM = 160.0
DPI = 150
# Whole pixels: 160 mm at 150 dpi is 944.9 px; Agg would truncate to 944, we want 945.
WIDTH_PX = round(WIDTH_MM / 25.4 * DPI)
WIDTH_IN = WIDTH_PX / DPI

PREFERRED_FONT = "Liberation Sans"
FALLBACK_FONT = "DejaVu Sans"

# Points; 8 pt is the smallest that stays readable in print at 16 cm.
TITLE_PT = 11.0
LABEL_PT = 9.0
SMALL_PT = 8.0

TEXT = "#1A1A1A"
MUTED = "#595959"
GRID = "#D9D9D9"
AXIS = "#7F7F7F"

# Series colours, each with at least 3:1 contrast against white (WCAG 1.4.11). Prognos also
# carries a hatch and utfall/budget differ in lightness, so colour is never the only carrier.
BUDGET = "#7F7F7F"
ACTUAL = "#1F4E79"
FORECAST = "#C55A11"
FORECAST_HATCH = "////"
TARGET = "#C55A11"

# Lines for several groups: colour, marker and dash pattern all differ.
LINE_STYLES: tuple[tuple[str, str, Any], ...] = (
    ("#1F4E79", "o", "-"),
    ("#C55A11", "s", (0, (5, 2))),
    ("#2E7D32", "^", (0, (1, 1.5))),
    ("#6A1B9A", "D", (0, (5, 2, 1, 2))),
    ("#5F5F5F", "v", (0, (8, 2))),
    ("#AD1457", "P", (0, (3, 1, 1, 1, 1, 1))),
)

# Hatches for status segments, by position in the caller's status list: a second carrier
# for segments too narrow to hold their percentage.
STATUS_HATCHES = ("", "///", "\\\\\\", "xxx", "...", "---")
# A status colour too light to stand on the white page (under 3:1, WCAG 1.4.11; the kommun's
# own yellow FFFF00 is 1.1:1) is drawn as given, with a dark outline and, where its position
# has none, a dotted pattern: the segment and its legend key are seen without the colour.
LIGHT_OUTLINE = TEXT
LIGHT_HATCH = "...."
MIN_MARK_CONTRAST = 3.0

# Absolute layout in inches (fixed margins, TECH.md §9: constrained layout costs 1.5×).
MARGIN_IN = 0.12
TITLE_LINE_IN = 0.24
LEGEND_ROW_IN = 0.26
NOTE_LINE_IN = 0.2
X_AXIS_IN = 0.42
BAR_LABEL_AREA_IN = 2.0
RIGHT_IN = 0.45

TITLE_WRAP = 78
LABEL_WRAP = 25
LABEL_LINES = 2


@functools.lru_cache(maxsize=1)
def font_family() -> str:
    """``Liberation Sans`` when matplotlib knows it, else matplotlib's own DejaVu Sans."""
    from matplotlib import font_manager

    names = {entry.name for entry in font_manager.fontManager.ttflist}
    return PREFERRED_FONT if PREFERRED_FONT in names else FALLBACK_FONT


def rc() -> dict[RcKeyType, Any]:
    # DejaVu Sans stays in the family list: matplotlib falls back per glyph, so a character
    # Liberation lacks is drawn instead of warning about a missing glyph.
    return {
        "font.family": [font_family(), FALLBACK_FONT],
        "font.size": LABEL_PT,
        "text.color": TEXT,
        "axes.edgecolor": AXIS,
        "axes.labelcolor": TEXT,
        "axes.linewidth": 0.8,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "xtick.labelcolor": TEXT,
        "ytick.labelcolor": TEXT,
        "xtick.labelsize": LABEL_PT,
        "ytick.labelsize": LABEL_PT,
        "legend.fontsize": LABEL_PT,
        "hatch.linewidth": 0.6,
        "axes.unicode_minus": True,
        "svg.hashsalt": "reportkit",
        "path.simplify": True,
    }


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of ``"1F4E79"`` (with or without ``#``)."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_colour_on(hex_colour: str) -> str:
    """White or black, whichever has the higher contrast ratio against the background."""
    lum = relative_luminance(hex_colour)
    return "#FFFFFF" if 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.05 else "#000000"


def is_light(hex_colour: str) -> bool:
    """Under 3:1 against white: a mark in this colour needs an outline (LIGHT_OUTLINE)."""
    lum = relative_luminance(hex_colour)
    return 1.05 / (lum + 0.05) < MIN_MARK_CONTRAST


def status_look(hex_colour: str, position: int) -> dict[str, Any]:
    """A status segment's or legend key's edge and hatch: white edge and the position's
    hatch, or for a light colour a dark outline and a hatch it always has."""
    hatch = STATUS_HATCHES[position % len(STATUS_HATCHES)]
    if is_light(hex_colour):
        return {"edgecolor": LIGHT_OUTLINE, "hatch": hatch or LIGHT_HATCH,
                "hatchcolor": text_colour_on(hex_colour) + "40"}
    return {"edgecolor": "white", "hatch": hatch, "hatchcolor": text_colour_on(hex_colour) + "40"}


def hex_colour(value: str) -> str:
    value = value.strip().lstrip("#")
    if len(value) != 6 or any(c not in "0123456789abcdefABCDEF" for c in value):
        raise ValueError(f"not a hex colour: {value!r}")
    return "#" + value.upper()


def wrap_label(text: str, width: int = LABEL_WRAP, lines: int = LABEL_LINES) -> str:
    """Wrap a group name to ``lines`` lines of ``width``, ending in "…" if it is longer."""
    text = " ".join(text.split())
    # Compound words ("Barn- och utbildningsnämnden") may break after their hyphen; a word
    # is never split elsewhere, a line that is still too long ends in "…".
    parts = textwrap.wrap(text, width, break_on_hyphens=True, break_long_words=False) or [""]
    cut = len(parts) > lines
    kept = [p if len(p) <= width else p[:width - 1].rstrip() + "…" for p in parts[:lines]]
    if cut and not kept[-1].endswith("…"):
        kept[-1] = kept[-1][:width - 1].rstrip() + "…"
    return "\n".join(kept)


def slug(title: str) -> str:
    """``"Måluppfyllelse per målområde"`` → ``"maluppfyllelse-per-malomrade"``."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    out, dash = [], False
    for ch in ascii_text.lower():
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")[:60].strip("-") or "diagram"


def px_round(inches: float) -> float:
    return round(inches * DPI) / DPI


def new_figure(height_in: float, *, top_in: float, bottom_in: float, left_in: float,
               right_in: float = RIGHT_IN) -> tuple[Figure, Axes]:
    """A figure WIDTH_IN × height_in with one axes placed by fixed margins in inches."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    height_in = px_round(height_in)
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=left_in / WIDTH_IN, right=1 - right_in / WIDTH_IN,
                        bottom=bottom_in / height_in, top=1 - top_in / height_in)
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_axisbelow(True)
    ax.tick_params(length=3, width=0.8)
    return fig, ax


def title_lines(title: str) -> list[str]:
    return textwrap.wrap(" ".join(title.split()), TITLE_WRAP) or [""]


# The legend's spacing in font sizes (draw_header passes the same to fig.legend).
_HANDLE_EM, _TEXTPAD_EM, _COLUMNSPACING_EM = 1.8, 0.5, 1.4


def legend_columns(labels: list[str], most: int = 4) -> int:
    """The most columns (at most ``most``) whose legend fits the figure's width: the labels
    are measured in the chart font, so a long label ("Följs inte upp denna period") moves the
    legend to more rows instead of running off the picture."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    if not labels:
        return 1
    prop = FontProperties(family=[font_family(), FALLBACK_FONT], size=LABEL_PT)
    em = LABEL_PT / 72
    widths = [TextPath((0, 0), label, prop=prop).get_extents().width / 72 for label in labels]
    room = WIDTH_IN - MARGIN_IN
    for ncol in range(min(most, len(labels)), 0, -1):
        # matplotlib fills columns top to bottom; the first len % ncol hold one entry more
        rows, large = divmod(len(labels), ncol)
        sizes = [rows + 1] * large + [rows] * (ncol - large)
        starts = [sum(sizes[:i]) for i in range(ncol)]
        columns = [widths[a:a + n] for a, n in zip(starts, sizes, strict=True) if n]
        total = sum(max(col) * 1.05 + (_HANDLE_EM + _TEXTPAD_EM) * em for col in columns) \
            + _COLUMNSPACING_EM * em * (len(columns) - 1)
        if total <= room:
            return ncol
    return 1


def header_height(title: str, legend_rows: int, note_lines: int = 0) -> float:
    return (MARGIN_IN + TITLE_LINE_IN * len(title_lines(title)) + LEGEND_ROW_IN * legend_rows
            + NOTE_LINE_IN * note_lines + 0.12)


def draw_header(fig: Figure, title: str, handles: list[Any], labels: list[str], ncol: int,
                note: str | None = None) -> None:
    """Title top left, the legend in one or more rows below it, then an optional note."""
    height = fig.get_figheight()
    y = 1 - MARGIN_IN / height
    lines = title_lines(title)
    fig.text(MARGIN_IN / WIDTH_IN, y, "\n".join(lines), ha="left", va="top",
             fontsize=TITLE_PT, fontweight="bold", linespacing=1.25)
    y -= TITLE_LINE_IN * len(lines) / height
    if handles:
        rows = -(-len(handles) // ncol)
        anchor = (MARGIN_IN / WIDTH_IN - 0.004, y)
        fig.legend(handles, labels, loc="upper left", bbox_to_anchor=anchor,
                   ncol=ncol, frameon=False, borderaxespad=0, borderpad=0.2,
                   handlelength=_HANDLE_EM, handleheight=0.9, columnspacing=_COLUMNSPACING_EM,
                   handletextpad=_TEXTPAD_EM)
        y -= LEGEND_ROW_IN * rows / height
    if note:
        fig.text(MARGIN_IN / WIDTH_IN, y - 0.02 / height, note, ha="left", va="top",
                 fontsize=SMALL_PT, color=MUTED)


def axis_formatter(kind: str) -> Any:
    """A FuncFormatter for Swedish ticks: ``"number"``, ``"percent_points"`` (85 → "85 %"),
    or ``"ratio"`` (0.85 → "85 %"). Decimals follow the tick spacing, the same for every tick.
    """
    from matplotlib.ticker import FuncFormatter

    def decimals(locs: Iterable[float]) -> int:
        values = [float(v) for v in locs]
        for d in range(4):
            if all(abs(round(v, d) - v) < 1e-9 * max(1.0, abs(v)) for v in values):
                return d
        return 3

    class SwedishFormatter(FuncFormatter):
        # Decimals are chosen once for all ticks of an axis, so "2,5" and "3,0" agree.
        def format_ticks(self, values: Any) -> list[str]:
            state["locs"] = list(values)
            return super().format_ticks(values)

    state: dict[str, list[float]] = {"locs": []}

    def fmt(x: float, _pos: int | None) -> str:
        locs = state["locs"] or [x]
        if kind == "ratio":
            text = format_percent(x, decimals([v * 100 for v in locs]))
        else:
            text = format_number(x, decimals(locs))
            if kind == "percent_points":
                text += "\u00a0%"
        return text.replace("-", "\u2212")

    return SwedishFormatter(fmt)


def to_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    # No "Software" chunk: it carries the matplotlib version, the only varying byte (TECH.md §3).
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    return buf.getvalue()


def render(draw: Callable[[], Figure], svg_salt: str | None = None) -> bytes:
    """Run ``draw`` with our rc settings and return the figure as PNG bytes; with
    ``svg_salt`` as SVG (:func:`to_svg`) instead."""
    import matplotlib

    matplotlib.use("Agg")
    with matplotlib.rc_context(rc()):
        if svg_salt is not None:
            return to_svg(draw, svg_salt)
        fig = draw()
        return to_png(fig)


def to_svg(draw: Callable[[], Figure], salt: str) -> bytes:
    """The figure as an SVG element for a web page: the same bytes for the same input (a
    fixed ``svg.hashsalt``, here the chart's name so two charts on a page never share an
    id; no date or creator metadata), text as text (small, readable by a screen reader's
    fallback), without the XML prolog, so it can be placed inline in HTML."""
    import re

    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "none"}):
        fig = draw()
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None},
                    facecolor="white")
    text = buf.getvalue().decode("utf-8")
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    return text.encode("utf-8")
