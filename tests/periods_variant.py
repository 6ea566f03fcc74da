"""Exempelkommun 2026 with its own rhythm of periods (issue 24): the tertial replaced by
kvartal K1 and K2, and two delårsrapporter — 2026-D1 (januari–mars) and the statutory
2026-delår (januari–augusti, ``lagstadgad: true``)."""

from __future__ import annotations

from pathlib import Path

EXEMPEL_YAML = Path(__file__).resolve().parent.parent / "fixtures" / "exempelkommun" / \
    "styrmodell" / "2026.yaml"

TERTIAL = '''  - id: 2026-T1
    typ: tertial
    namn: "Tertialrapport januari–april 2026"
    från: 2026-01-01
    till: 2026-04-30
    nivåer: [enhet, verksamhet, nämnd]
    sista_dag: {enhet: 2026-05-08, verksamhet: 2026-05-15, nämnd: 2026-05-25}
'''
QUARTERS = '''  - id: 2026-K1
    typ: kvartal
    namn: "Kvartalsuppföljning januari–mars 2026"
    från: 2026-01-01
    till: 2026-03-31
    nivåer: [enhet, verksamhet, nämnd]
    sista_dag: {enhet: 2026-04-08, verksamhet: 2026-04-12, nämnd: 2026-04-15}
  - id: 2026-D1
    typ: delår
    namn: "Delårsrapport januari–mars 2026"
    från: 2026-01-01
    till: 2026-03-31
    nivåer: [enhet, verksamhet, nämnd, kommun]
    sista_dag: {enhet: 2026-04-08, verksamhet: 2026-04-12, nämnd: 2026-04-15, kommun: 2026-04-20}
  - id: 2026-K2
    typ: kvartal
    namn: "Kvartalsuppföljning januari–juni 2026"
    från: 2026-01-01
    till: 2026-06-30
    nivåer: [enhet, verksamhet, nämnd]
    sista_dag: {enhet: 2026-07-08, verksamhet: 2026-07-12, nämnd: 2026-07-15}
'''
STATUTORY = ("    sista_dag: {enhet: 2026-09-08, verksamhet: 2026-09-15, nämnd: 2026-09-25, "
             "kommun: 2026-10-05}\n")


def variant_text(*, statutory: int = 1) -> str:
    """The variant's YAML; ``statutory`` delår periods flagged ``lagstadgad: true`` (0, 1 —
    the Jan–Aug one — or 2)."""
    text = EXEMPEL_YAML.read_text(encoding="utf-8")
    assert TERTIAL in text and STATUTORY in text
    text = text.replace(TERTIAL, QUARTERS, 1)
    if statutory >= 1:
        text = text.replace(STATUTORY, STATUTORY + "    lagstadgad: true\n", 1)
    if statutory >= 2:
        text = text.replace("    typ: delår\n    namn: \"Delårsrapport januari–mars 2026\"\n",
                            "    typ: delår\n    lagstadgad: true\n"
                            "    namn: \"Delårsrapport januari–mars 2026\"\n", 1)
    return text


def write_variant(root: Path, *, statutory: int = 1) -> Path:
    """``root/styrmodell/2026.yaml`` as :func:`variant_text`; returns the file."""
    folder = root / "styrmodell"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "2026.yaml"
    path.write_text(variant_text(statutory=statutory), encoding="utf-8")
    return path
