"""Exempelkommun with every kind of organisation: a styrelse, a gemensam nämnd with enheter
directly under it, a holding bolag with a dotterbolag and a kommunalförbund (issue 24 item 2).

``variant_text()`` is Exempelkommun's 2026.yaml with KS as ``typ: styrelse`` and the new
entries appended to ``nämnder`` (the last key of the file); ``write_variant`` puts it in a
project's ``styrmodell/``.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXEMPEL = REPO / "fixtures" / "exempelkommun" / "styrmodell" / "2026.yaml"

NEW_ENTRIES = """\
  - id: OFN
    namn: "Gemensamma överförmyndarnämnden"
    typ: gemensam_nämnd
    mål:
      - id: OFN-M1
        namn: "Ärenden handläggs rättssäkert och snabbt"
        område: verksamhet
        förälder: [KF2]
    enheter:
      - id: ofn-kansli
        namn: "Överförmyndarkansliet"
        mål:
          - id: ofn-kansli-E1
            namn: "Granskningen av årsräkningar är klar i tid"
            förälder: [OFN-M1]
            indikatorer:
              - id: ofn-kansli-E1-I1
                namn: "Granskade årsräkningar före 1 juli"
                måttenhet: "%"
                målvärde: {2026: 90}
  - id: STADSHUS
    namn: "Exempelkommuns Stadshus AB"
    typ: bolag
    mål:
      - id: STADSHUS-M1
        namn: "Koncernen har en långsiktigt stark ekonomi"
        område: ekonomi
        förälder: [KF2]
    dotterbolag:
      - id: EXEN
        namn: "Exempelkommuns Energi AB"
        mål:
          - id: EXEN-M1
            namn: "Energin är förnybar"
            område: hallbarhet
            förälder: [KF5]
            indikatorer:
              - id: EXEN-M1-I1
                namn: "Andel förnybar energi"
                måttenhet: "%"
                målvärde: {2026: 80}
  - id: RTJF
    namn: "Räddningstjänstförbundet Exempeldalen"
    typ: kommunalförbund
    mål:
      - id: RTJF-M1
        namn: "Räddningstjänsten är snabbt på plats"
        område: verksamhet
        förälder: [KF2]
        indikatorer:
          - id: RTJF-M1-I1
            namn: "Insatstid i minuter"
            måttenhet: "minuter"
            riktning: lägre
            målvärde: {2026: 12}
  - id: VATTEN
    namn: "Vattenförbundet Exempeldalen"
    typ: kommunalförbund
"""


def variant_text(extra: str = NEW_ENTRIES) -> str:
    text = EXEMPEL.read_text(encoding="utf-8")
    text = text.replace("    # typ: nämnd  ", "    typ: styrelse  # ", 1)
    assert "typ: styrelse" in text
    return text.rstrip("\n") + "\n" + extra


def write_variant(root: Path, text: str | None = None) -> Path:
    folder = root / "styrmodell"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "2026.yaml"
    path.write_text(variant_text() if text is None else text, encoding="utf-8")
    return path
