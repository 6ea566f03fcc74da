"""Where an indicator's value comes from: the one owner of ``källa:`` (docs/styrmodell.md).

An indicator's value comes from one place:

- ``styrkort`` (the default): the measuring units type it in their workbooks. ``källa`` as
  free text (``källa: "egen mätning"``, the only form before) stays what it was: a label of
  a workbook-measured indicator, shown in the documents' Källa column.
- ``export``: a figure of the kommun's exports (``källa: {export: sjukfrånvaro}``,
  ``{export: "nyckeltal:soliditet"}``), computed per measuring unit. ``data/import.yaml``
  ``finansiella_mål`` (indicator → nyckeltal id or computed figure) is read as this case.
- ``kolada``: a Kolada KPI (``källa: {kolada: N00941}``), its values fetched into
  ``data/kolada.csv`` (:data:`KOLADA_FILE`); without a value the indicator is "ej hämtat".

A value from an export or Kolada is prefilled and locked in the workbook; the roll-up and the
documents use that same figure. Every consumer asks :func:`source_of`; nothing else reads
``källa``, ``kolada`` or ``finansiella_mål`` to decide where a value comes from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from reportkit import texts

SourceKind = Literal["styrkort", "export", "kolada"]

DEFAULT_LABEL = "egen mätning"
"""The label of a workbook-measured indicator without ``källa``."""

KOLADA_PATTERN = r"^[NU]\d{5}$"
KOLADA_FILE = "kolada.csv"
"""Where the Kolada values are kept, in the project's ``data/`` folder: one row per KPI, year
and kön (``KPI;År;Kön;Värde;Hämtad``, Kön T, K or M), written by the Kolada fetch."""

SICK_LEAVE_MEASURES = ("totalt", "långtid", "kvinnor", "män", "upp_till_29", "30_49",
                       "50_och_äldre")
"""The sjukfrånvaro ratios an indicator can name (``sjukfrånvaro:<mått>``; the keys of
``consolidate.economy.SICK_RATIOS``)."""

EXPORT_FIGURES = texts.EXPORT_FIGURE_SOURCES
"""The export figures an indicator can name: kind → how the documents name the source."""

_SOURCE_KEYS = ("export", "kolada", "etikett")


class _HasSource(Protocol):
    id: str
    source: str | dict[str, str]
    kolada: str | None


@dataclass(frozen=True)
class Source:
    """Where one indicator's value comes from.

    ``figure`` (export) is ``sjukfrånvaro:<mått>`` or ``nyckeltal:<id>``; ``kpi`` (kolada) the
    KPI id; ``label`` what the documents show as its source; ``via`` is ``finansiella_mål``
    when the figure was named in ``data/import.yaml`` rather than in the styrmodell."""

    kind: SourceKind
    label: str
    figure: str = ""
    kpi: str = ""
    via: str = ""

    @property
    def locked(self) -> bool:
        """Whether the workbook's value is filled in by reportkit and locked."""
        return self.kind != "styrkort"

    @property
    def figure_kind(self) -> str:
        return self.figure.partition(":")[0]

    @property
    def figure_arg(self) -> str:
        return self.figure.partition(":")[2]

    @property
    def where(self) -> str:
        """The source in a sentence: ``personalexporten (sjukfrånvaro)``, ``Kolada N00941``."""
        if self.kind == "kolada":
            return f"Kolada {self.kpi}"
        if self.kind == "export":
            return EXPORT_FIGURES.get(self.figure_kind, "exporterna")
        return self.label


def normalise_figure(figure: str) -> str:
    """``sjukfrånvaro`` → ``sjukfrånvaro:totalt``; a bare id (``finansiella_mål``'s form) →
    ``nyckeltal:<id>``; otherwise as written (trimmed)."""
    figure = figure.strip()
    kind, sep, arg = figure.partition(":")
    kind = kind.strip().casefold()
    if kind == "sjukfrånvaro":
        return f"sjukfrånvaro:{arg.strip() or 'totalt'}"
    if kind == "nyckeltal" and sep:
        return f"nyckeltal:{arg.strip()}"
    return f"nyckeltal:{figure}"


def check_figure(figure: str) -> str | None:
    """Why ``figure`` cannot be an export figure, or None."""
    kind, sep, arg = figure.strip().partition(":")
    kind = kind.strip().casefold()
    if kind == "sjukfrånvaro":
        if arg.strip() and arg.strip() not in SICK_LEAVE_MEASURES:
            return (f"okänt sjukfrånvaromått '{arg.strip()}'; tillåtna är "
                    f"{', '.join(SICK_LEAVE_MEASURES)}")
        return None
    if kind == "nyckeltal" and sep and re.match(r"^[\wÅÄÖåäö.-]{1,60}$", arg.strip()):
        return None
    return ("ska vara sjukfrånvaro, sjukfrånvaro:<mått> eller nyckeltal:<id> "
            "(ett Id ur nyckeltal.csv eller ett beräknat mått)")


def check_source(value: Any) -> Any:
    """``källa``: free text (a label), or ``{export: …}`` / ``{kolada: …}`` with an optional
    ``etikett`` (one clear problem, not one per branch of the union)."""
    if value is None:
        return DEFAULT_LABEL
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("får inte vara tom; utelämna källa för egen mätning i styrkortet")
        return value.strip()
    if not isinstance(value, dict):
        raise ValueError("ska vara en text (t.ex. \"egen mätning\"), {export: …} eller "
                         "{kolada: …}")
    unknown = [k for k in value if k not in _SOURCE_KEYS]
    if unknown:
        raise ValueError(f"okänd nyckel '{unknown[0]}'; tillåtna är {', '.join(_SOURCE_KEYS)}")
    if ("export" in value) == ("kolada" in value):
        raise ValueError("ange antingen export: … (en siffra ur exporterna) eller kolada: … "
                         "(ett KPI-id), inte båda")
    out = {k: str(v).strip() for k, v in value.items() if v is not None}
    if "export" in out:
        why = check_figure(out["export"])
        if why:
            raise ValueError(f"export {why}")
    elif not re.match(KOLADA_PATTERN, out["kolada"]):
        raise ValueError("kolada ska vara ett KPI-id som N00941 eller U00405")
    if "etikett" in value and not out.get("etikett"):
        raise ValueError("etikett får inte vara tom")
    return out


GENDERS = (("K", "kvinnor"), ("M", "män"))
"""The kön an indicator with ``kön: ja`` holds beside the total (T), in Kolada's letters."""


def gender_text(values: Iterable[tuple[str, float | None]], unit: str, decimals: int | None,
                words: Mapping[str, str] | None = None) -> str:
    """``kvinnor 7,8 %, män 4,1 %``: each kön's value (``("K", 7.8)``; None as –) after the
    kommun's word for it (``words``: :attr:`Indicator.gender_words`, ``{"K": "Flickor"}``;
    written lower case as in the middle of a sentence), else kvinnor and män."""
    from reportkit.formats import format_value
    from reportkit.styrmodell.words import lower_first

    shown = dict(GENDERS) | {g: lower_first(w) for g, w in (words or {}).items()}
    return ", ".join(f"{shown[g]} {format_value(v, unit, decimals) if v is not None else '–'}"
                     for g, v in values)


def check_by_gender(source: str | dict[str, str]) -> str | None:
    """Why ``kön: ja`` cannot go with ``källa`` (None when it can): T/K/M are typed in the
    styrkort (its Kvinnor and Män columns) or come from the HR export's sjukfrånvaro (totalt,
    kvinnor, män) or from Kolada; the ekonomiavdelning's nyckeltal are not split by kön."""
    if not isinstance(source, dict) or "kolada" in source:
        return None
    if normalise_figure(source.get("export", "")) == "sjukfrånvaro:totalt":
        return None
    return "ekonomiavdelningens nyckeltal och andra sjukfrånvaromått delas inte på kön"


def _own(ind: _HasSource) -> Source:
    raw = ind.source
    if isinstance(raw, dict):
        if "export" in raw:
            figure = normalise_figure(raw["export"])
            label = raw.get("etikett") or EXPORT_FIGURES.get(figure.partition(":")[0], "")
            return Source("export", label, figure=figure)
        kpi = raw["kolada"]
        return Source("kolada", raw.get("etikett") or f"Kolada {kpi}", kpi=kpi)
    # a free-text label of a workbook-measured indicator; a kolada: id beside it is a reference
    label = f"Kolada {ind.kolada}" if ind.kolada else raw
    return Source("styrkort", label)


def source_of(ind: _HasSource, financial_goals: Mapping[str, str] | None = None) -> Source:
    """Where ``ind``'s value comes from. ``financial_goals`` is ``data/import.yaml``
    ``finansiella_mål``: a figure named there makes a workbook-measured indicator an export
    one; ``källa`` in the styrmodell wins where both name one (:func:`conflicts`)."""
    own = _own(ind)
    figure = (financial_goals or {}).get(ind.id, "")
    if own.kind != "styrkort" or not figure or not str(figure).strip():
        return own
    # the label stays the styrmodell's (what the documents showed before källa could say it)
    return Source("export", own.label, figure=normalise_figure(str(figure)),
                  via="finansiella_mål")


def conflicts(indicators: Iterable[_HasSource], financial_goals: Mapping[str, str]
              ) -> list[tuple[str, str, str]]:
    """(indicator id, what ``källa`` says, what ``finansiella_mål`` says) where both name a
    source and they differ; ``källa`` is used."""
    out = []
    for ind in indicators:
        figure = financial_goals.get(ind.id)
        own = _own(ind)
        if not figure or own.kind == "styrkort":
            continue
        if own.kind == "kolada" or own.figure != normalise_figure(str(figure)):
            said = f"Kolada {own.kpi}" if own.kind == "kolada" else own.figure
            out.append((ind.id, said, str(figure)))
    return out
