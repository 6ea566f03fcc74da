"""Exempelkommun 2026 where indicators are measured by some units only (issue 25 item 3).

Grundskolorna Centralskolan, Ängskolan and Norrskolan have ``kategorier: [grundskola]``
(Västerskolan and the others none), Solrosens förskola ``kategorier: [förskola]``; BUN's
åk 9 indicator is ``mäts_på: {kategori: grundskola}`` and its förskola-trygghet indicator
``mäts_på: [solrosens-forskola, ekbackens-forskola]``.
"""

from __future__ import annotations

import re
from pathlib import Path

EXEMPEL_YAML = Path(__file__).resolve().parent.parent / "fixtures" / "exempelkommun" / \
    "styrmodell" / "2026.yaml"

GRUNDSKOLOR = ("centralskolan", "angskolan", "norrskolan")
BY_CATEGORY = ("BUN-M1", "BUN-M1-I1")   # goal, indicator measured by the grundskolor
BY_LIST = ("BUN-M2", "BUN-M2-I2")       # measured by the two förskolor listed
LISTED = ("solrosens-forskola", "ekbackens-forskola")

AK9 = '''            namn: "Elever i åk 9 med godkänt i alla ämnen"
            måttenhet: "%"
            målvärde: {2026: 80, 2027: 81.6}
'''
TRYGG = '''            namn: "Vårdnadshavare som upplever att barnet är tryggt i förskolan"
            måttenhet: "%"
            målvärde: {2026: 95, 2027: 96.9}
'''


def _categorise(text: str, unit_id: str, category: str) -> str:
    pattern = re.compile(rf"(\n(\s+)- id: {re.escape(unit_id)}\n\s+namn: [^\n]*\n)")
    found = pattern.search(text)
    assert found is not None, unit_id
    indent = found.group(2) + "  "
    return text[:found.end()] + f"{indent}kategorier: [{category}]\n" + text[found.end():]


def variant_text(*, category: str = "{kategori: grundskola}",
                 units: str = "[solrosens-forskola, ekbackens-forskola]") -> str:
    """The variant's YAML; ``category`` and ``units`` are the two ``mäts_på`` values as
    written (a test puts wrong ones there)."""
    text = EXEMPEL_YAML.read_text(encoding="utf-8")
    assert AK9 in text and TRYGG in text
    text = text.replace(AK9, AK9 + f"            mäts_på: {category}\n", 1)
    text = text.replace(TRYGG, TRYGG + f"            mäts_på: {units}\n", 1)
    for unit_id in GRUNDSKOLOR:
        text = _categorise(text, unit_id, "grundskola")
    return _categorise(text, "solrosens-forskola", "förskola")


def write_variant(root: Path, text: str | None = None) -> Path:
    """The variant as ``<root>/styrmodell/2026.yaml``; returns the file."""
    path = root / "styrmodell" / "2026.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else variant_text(), encoding="utf-8")
    return path
