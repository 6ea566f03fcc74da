"""The kommunal koncern's parts of the årsredovisning and the delårsrapport (issue 30).

Called by ``make_templates.py`` (its helpers draw the paragraphs and tables); the variables
come from ``reportkit/documents/koncern.py``. Every part is inside ``{%p if koncern %}``: a
kommun without koncernföretag in ``data/import.yaml`` gets none of it.
"""

from __future__ import annotations

import make_templates as mt


def _cells(n: int) -> list[str]:
    return ["{{ r.v[" + str(i) + "] }}" for i in range(n)]


def multi_year(doc) -> None:  # noqa: ANN001
    """The flerårsöversikt's Kommunen/Koncernen columns, the year before and the year."""
    mt.p(doc, "{%p if koncern_flerar %}")
    mt.p(doc, "{%p if koncern_flerar_ar|length == 4 %}")
    mt.table(doc, "Flerårsöversikt, kommunen och koncernen",
             [("", 6.0, False)] + mt.years_header("koncern_flerar_ar", 4, 2.5),
             "r in koncern_flerar", ["{{ r.post }}", *_cells(4)])
    mt.p(doc, "{%p else %}")
    mt.table(doc, "Flerårsöversikt, kommunen och koncernen",
             [("", 8.0, False)] + mt.years_header("koncern_flerar_ar", 2, 3.0),
             "r in koncern_flerar", ["{{ r.post }}", *_cells(2)])
    mt.p(doc, "{%p endif %}")
    mt.p(doc, "{%p endif %}")


def group(doc) -> None:  # noqa: ANN001
    """"Den kommunala koncernen": the org chart, the companies with ägarandel, röstandel,
    omsättning and resultat, and the companies left out with their reason."""
    mt.p(doc, "{%p if koncern %}")
    mt.figure(doc, "diagram_koncern", "diagram_koncern_text")
    mt.table(doc, "Koncernföretagen {{ koncern_period }}, egna räkenskaper",
             [("Företag", 3.8, False), ("Typ", 2.9, False), ("Ägarandel", 1.9, True),
              ("Röstandel", 1.9, True), ("Omsättning, mnkr", 2.2, True),
              ("Resultat, mnkr", 2.0, True), ("Ingår", 1.2, False)],
             "f in koncern_foretag",
             ["{{ f.namn }}", "{{ f.typ }}", "{{ f.agarandel }}", "{{ f.rostandel }}",
              "{{ f.omsattning }}", "{{ f.resultat }}", "{{ f.ingar }}"])
    mt.p(doc, "Omsättning och resultat är företagens egna (100 procent), före eliminering "
              "av interna poster. Ägarandelen är den direkta ägarens.", "Caption")
    mt.p(doc, "{%p for u in koncern_utanfor %}")
    mt.p(doc, "{{ u.namn }} ingår inte i de sammanställda räkenskaperna. {{ u.skal }}")
    mt.p(doc, "{%p endfor %}")
    mt.p(doc, "{%p endif %}")


def economy_text(doc) -> None:  # noqa: ANN001
    """God ekonomisk hushållning and the ekonomisk ställning for the koncern (R15)."""
    mt.p(doc, "{%p if koncern %}")
    mt.h(doc, "Koncernens ekonomiska ställning", 3)
    mt.p(doc, "{%p for t in koncern_ekonomi %}")
    mt.p(doc, "{{ t }}")
    mt.p(doc, "{%p endfor %}")
    mt.p(doc, "{%p endif %}")


def _statement(doc, caption: str, rows: str) -> None:  # noqa: ANN001
    mt.table(doc, caption,
             [("Mnkr", 9.6, False), ("Kommunen", 3.0, True), ("Koncernen", 3.0, True)],
             f"r in {rows}", ["{{r r.post }}", "{{r r.kommun }}", "{{r r.koncern }}"])


def _reconciliation(doc) -> None:  # noqa: ANN001
    mt.table(doc, "Avstämning från kommunen till koncernen, mnkr",
             [("", 6.4, False), ("{{ koncern_resultat_rubrik }}", 3.0, True),
              ("Eget kapital", 3.0, True), ("Balansomslutning", 3.4, True)],
             "r in koncern_avstamning",
             ["{{r r.post }}", "{{r r.v[0] }}", "{{r r.v[1] }}", "{{r r.v[2] }}"])


def statements(doc, *, full: bool) -> None:  # noqa: ANN001
    """The sammanställda räkenskaper (LKBR 12 kap): RR, BR, KFA with Kommunen/Koncernen
    columns and their notes (``full``: the årsredovisning); the delårsrapport's RR and BR
    (R17) and the reconciliation."""
    mt.p(doc, "{%p if koncern %}")
    mt.h(doc, "Sammanställda räkenskaper" if full else "Sammanställd resultaträkning och "
         "balansräkning", 2)
    mt.p(doc, "Kommunens och den kommunala koncernens räkenskaper sida vid sida. Koncernen är "
              "sammanställd med proportionell konsolidering (not K1).")
    mt.h(doc, "Resultaträkning", 3)
    _statement(doc, "Resultaträkning {{ koncern_period }}, kommunen och koncernen",
               "koncern_rr")
    mt.h(doc, "Balansräkning", 3)
    _statement(doc, "Balansräkning {{ koncern_datum }}, kommunen och koncernen", "koncern_br")
    mt.p(doc, "{%p if koncern_kf %}")
    mt.h(doc, "Kassaflödesanalys", 3)
    _statement(doc, "Kassaflödesanalys {{ koncern_period }}, kommunen och koncernen",
               "koncern_kf")
    mt.p(doc, "{%p endif %}")
    mt.h(doc, "Noter till de sammanställda räkenskaperna", 3)
    mt.h(doc, "Not K1 Koncernens sammansättning och principer", 4)
    mt.p(doc, "{{ koncern_principer }}")
    mt.p(doc, "{%p for u in koncern_utanfor %}")
    mt.p(doc, "{{ u.namn }} ingår inte: {{ u.skal }}")
    mt.p(doc, "{%p endfor %}")
    if full:
        mt.h(doc, "Not K2 Eliminerade interna poster", 4)
        mt.table(doc, "Interna poster som eliminerats, mnkr",
                 [("Parter", 5.4, False), ("Post", 4.6, False), ("Belopp", 2.0, True),
                  ("Andel", 1.6, True), ("Eliminerat", 2.2, True)],
                 "e in koncern_interna",
                 ["{{ e.parter }}", "{{ e.post }}", "{{ e.belopp }}", "{{ e.andel }}",
                  "{{ e.eliminerat }}"])
    mt.h(doc, "Not K3 Avstämning mellan kommunen och koncernen" if full
         else "Not K2 Avstämning mellan kommunen och koncernen", 4)
    _reconciliation(doc)
    mt.p(doc, "{%p endif %}")
