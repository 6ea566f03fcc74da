"""The kommunal koncern's organisation chart: a PNG and its Swedish alt text.

A tree: the kommun at the top, each koncernföretag below its owner (a dotterbolag below its
holding bolag) with its ägarandel; a company left out of the sammanställda räkenskaper is
drawn with a dashed frame and says so (never colour alone). Same input, same bytes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reportkit.documents import chartstyle as cs
from reportkit.documents.charts import Chart, _fit

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Node = tuple[str, str, str, str, bool]
"""(id, name, owner id ("" for the top), share text ("40 %"), included)."""

_BOX_H_IN = 0.66
_LEVEL_IN = 1.0
_FILL = "#DCE6F2"


def _layout(nodes: Sequence[Node]) -> dict[str, tuple[float, int]]:
    """Each node's x (in leaf slots, from 0) and depth; a parent centred over its children."""
    children: dict[str, list[str]] = {}
    for node_id, _name, owner, _share, _inc in nodes:
        children.setdefault(owner, []).append(node_id)
    out: dict[str, tuple[float, int]] = {}
    slot = [0.0]

    def place(node_id: str, depth: int) -> float:
        xs = [place(k, depth + 1) for k in children.get(node_id, [])]
        if xs:
            x = (xs[0] + xs[-1]) / 2
        else:
            x = slot[0]
            slot[0] += 1
        out[node_id] = (x, depth)
        return x

    for root in children.get("", []):
        place(root, 0)
    return out


def organisation_chart(title: str, nodes: list[Node], *, name: str | None = None) -> Chart:
    """The koncern as a tree of boxes (module docs)."""
    pos = _layout(nodes)
    leaves = max(1, sum(1 for n in nodes if not any(m[2] == n[0] for m in nodes)))
    depth = max((d for _, d in pos.values()), default=0)
    top = cs.header_height(title, 0)
    height = top + depth * _LEVEL_IN + _BOX_H_IN + 0.2
    by_id = {n[0]: n for n in nodes}
    wrap = max(14, int(80 / leaves))
    size = cs.SMALL_PT if leaves <= 3 else cs.SMALL_PT - 0.5

    def draw() -> Figure:
        from matplotlib.patches import FancyBboxPatch

        fig, ax = cs.new_figure(height, top_in=top, bottom_in=0.05, left_in=0.1, right_in=0.1)
        ax.set_axis_off()
        ax.set_xlim(-0.5, leaves - 0.5)
        ax.set_ylim(-depth * _LEVEL_IN - _BOX_H_IN / 2 - 0.1, _BOX_H_IN / 2 + 0.1)
        half_w, half_h = 0.46, _BOX_H_IN / 2
        for node_id, (x, d) in pos.items():
            _id, label, owner, share, included = by_id[node_id]
            y = -d * _LEVEL_IN
            if owner in pos:
                px, pd = pos[owner]
                py = -pd * _LEVEL_IN - half_h
                mid = (py + y + half_h) / 2
                ax.plot([px, px, x, x], [py, mid, mid, y + half_h], color=cs.AXIS,
                        linewidth=1.0)
            ax.add_patch(FancyBboxPatch(
                (x - half_w, y - half_h), 2 * half_w, 2 * half_h,
                boxstyle="round,pad=0,rounding_size=0.05", mutation_aspect=0.5,
                facecolor=_FILL if included else "white", edgecolor=cs.TEXT,
                linewidth=1.0, linestyle="-" if included else (0, (4, 2))))
            text = "\n".join(textwrap.wrap(label, wrap, break_long_words=False)[:3])
            extra = [t for t in (share, "" if included else "ingår inte") if t]
            if extra:
                text += "\n" + "\n".join(extra)  # "ingår inte" on its own line fits the box
            ax.text(x, y, text, ha="center", va="center", fontsize=size,
                    color=cs.TEXT, linespacing=1.15)
        cs.draw_header(fig, title, [], [], 1)
        return fig

    return Chart(name or cs.slug(title), cs.render(draw), _alt(title, nodes))


def _alt(title: str, nodes: Sequence[Node]) -> str:
    by_id = {n[0]: n for n in nodes}
    top = next((n for n in nodes if not n[2]), None)
    lead = f"Organisationsschema: {title}."
    if top is None:
        return lead
    parts = []
    for _node_id, label, owner, share, included in nodes:
        if not owner:
            continue
        whose = by_id[owner][1] if owner in by_id else owner
        part = f"{whose} äger {share} av {label}" if share else f"{label} under {whose}"
        if not included:
            part += " (ingår inte i de sammanställda räkenskaperna)"
        parts.append(part)
    full = f"{lead} {'; '.join(parts)}." if parts else lead
    brief = f"{lead} {top[1]} och {len(parts)} koncernföretag."
    return _fit([full, brief])
