"""The styrmodell file: YAML with Swedish keys, validated by pydantic.

The coordinator edits ``styrmodell/<år>.yaml`` in the project. Field names in code are the
English glossary words; the YAML keys are their Swedish aliases (``nämnder`` ↔ ``committees``).
:func:`load_config` never raises a pydantic or YAML exception: every problem becomes a
:class:`~reportkit.errors.Problem` with the file and key path (``nämnder[2].verksamheter[0].id``)
and, where it can be found, the line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from reportkit.errors import Problem, problem
from reportkit.styrmodell.periods import MEASURED_IN_DEFAULT, PeriodType
from reportkit.styrmodell.source import DEFAULT_LABEL, check_source
from reportkit.styrmodell.targets import (
    MANDATE_KEY,
    Mandate,
    Target,
    TargetRange,
    TargetTrend,
    TargetValueError,
    assessed_target,
    mandate_of,
    number_hint,
    read_mandate,
    read_target,
)

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

Direction = Literal["högre", "lägre"]
TargetType = Literal["kvot", "minst", "högst", "janej", "progression"]
Aggregation = Literal["summa", "medel", "viktat", "min", "max", "nivå"]
CombineRule = Literal["medel", "andel", "svagast"]
RollupRule = Literal["majoritet", "medel", "svagast"]
GoalKind = Literal["verksamhet", "finansiellt"]
CommitteeKind = Literal["nämnd", "styrelse", "gemensam_nämnd", "bolag", "kommunalförbund"]

ID_PATTERN = r"^[A-Za-z0-9ÅÄÖåäö][A-Za-z0-9ÅÄÖåäö_.-]{0,39}$"



WHOLE_UNITS = frozenset({"antal", "st", "st.", "kr", "tkr", "mnkr", "personer"})

def _one_or_many(value: Any) -> Any:
    """A key that takes one id or a list of them (``förälder: KF1``): always a list."""
    return [value] if isinstance(value, str) else value


def _yes_no(value: Any) -> Any:
    """``ja``/``nej`` (YAML 1.2 reads them as text) as true/false; anything else as given."""
    if isinstance(value, str) and value.strip().lower() in ("ja", "nej"):
        return value.strip().lower() == "ja"
    return value


GENDER_KEYS = MappingProxyType({"totalt": "T", "kvinnor": "K", "män": "M"})
"""``kön: {kvinnor: Flickor, män: Pojkar}``: the keys of the kommun's words, and the kön
(Kolada's letter) each names."""


def _gender(value: Any) -> Any:
    """``kön``: ja/nej, or the kommun's words for the groups (``{kvinnor: Flickor, män:
    Pojkar}``, ``totalt`` too), which also means ja."""
    if not isinstance(value, dict):
        return _yes_no(value)
    unknown = [str(k) for k in value if str(k).strip() not in GENDER_KEYS]
    if unknown:
        raise ValueError(f"okänd nyckel '{unknown[0]}'; skriv ja, eller orden som "
                         "{kvinnor: Flickor, män: Pojkar}")
    if not value or not all(isinstance(v, str) and v.strip() for v in value.values()):
        raise ValueError("varje ord ska vara en text, t.ex. {kvinnor: Flickor, män: Pojkar}")
    return {str(k).strip(): v.strip() for k, v in value.items()}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)


def _check_measured_on(value: Any) -> Any:
    """``mäts_på``: a level, a list of unit ids or ``{kategori: …}`` (one clear problem, not
    one per branch of the union). Which ids and categories exist is checked by ``build``."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        if not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError("ska vara en lista med enheternas id, t.ex. "
                             "[norrskolan, söderskolan]")
        return [v.strip() for v in value]
    if isinstance(value, dict):
        unknown = [k for k in value if k != "kategori"]
        if unknown:
            raise ValueError(f"okänd nyckel '{unknown[0]}'; skriv {{kategori: grundskola}}")
        category = value.get("kategori")
        if not isinstance(category, str) or not re.match(ID_PATTERN, category.strip()):
            raise ValueError("kategori ska vara ett ord med bokstäver, siffror, - och _, "
                             "t.ex. {kategori: grundskola}")
        return {"kategori": category.strip()}
    raise ValueError("ska vara en nivå (t.ex. enhet), en lista med enheternas id eller "
                     "{kategori: …}")


MeasuredOnValue = Annotated[str | list[str] | dict[str, str] | None,
                            BeforeValidator(_check_measured_on)]
"""Who measures an indicator (``mäts_på``): a level id, unit ids, or ``{"kategori": …}``
(:func:`category`)."""


def category(measured_on: object) -> str | None:
    """The category of ``mäts_på: {kategori: …}``, None for a level or a list of units."""
    return measured_on.get("kategori") if isinstance(measured_on, dict) else None


SourceValue = Annotated[str | dict[str, str], BeforeValidator(check_source)]
"""``källa``: a label, ``{export: …}`` or ``{kolada: …}``
(:func:`~reportkit.styrmodell.source.source_of`)."""


class Indicator(_Model):
    """One indicator (indikator/nyckeltal) of a goal.

    ``targets`` maps a year (``"2026"``) or ``"mandatperiod"`` to the målvärde; values in
    ``%`` are percent points (85 means 85 %). ``measured_at`` says who reports the utfall: a
    level (default: the goal's own level), a list of unit ids, or a category
    (``{kategori: …}``; :func:`~reportkit.styrmodell.model.measures`); values
    from several units combine by ``aggregation``. ``measured_in`` lists the period types in
    which it is measured; in other follow-up periods it is "Mäts vid helår" rather than "Ej mätt".
    """

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(alias="namn", min_length=1)
    unit: str = Field("", alias="måttenhet")
    direction: Direction = Field("högre", alias="riktning")
    target_type: TargetType = Field("kvot", alias="måltyp")
    targets: dict[str, float | bool | TargetRange | TargetTrend] = Field(
        default_factory=dict, alias="målvärde")
    baseline: float | None = Field(None, alias="utgångsvärde")
    measurement_year: Literal["samma", "föregående"] = Field("samma", alias="mätår")
    kolada: str | None = Field(None, alias="kolada", pattern=r"^[NU]\d{5}$")
    aggregation: Aggregation = Field("medel", alias="aggregering")
    measured_at: MeasuredOnValue = Field(None, alias="mäts_på")
    measured_in: list[PeriodType] = Field(
        default_factory=lambda: list[PeriodType](MEASURED_IN_DEFAULT), alias="mäts")
    decimals: int = Field(None, alias="decimaler", ge=0, le=4)  # type: ignore[assignment]
    source: SourceValue = Field(DEFAULT_LABEL, alias="källa")
    """Where the value comes from (:mod:`reportkit.styrmodell.source`, which alone reads it)."""
    by_gender: Annotated[bool | dict[str, str], BeforeValidator(_gender)] = Field(
        False, alias="kön")
    """Split by kön: the total (T) with kvinnor (K) and män (M) beside it; a mapping gives
    the kommun's words for them (``{kvinnor: Flickor, män: Pojkar}``) and means split too."""
    share: bool | None = Field(None, alias="andel")
    """A share of a whole (0–100 %): check warns outside it. Unset: an indicator in ``%`` is
    one; ``andel: false`` for a percentage that may exceed 100 (självfinansieringsgrad)."""
    earlier_ids: list[str] = Field(default_factory=list, alias="tidigare_id")
    """Ids the indicator had in earlier years (renamed): their history joins this one's
    (docs/historik.md)."""

    @field_validator("earlier_ids", mode="before")
    @classmethod
    def _earlier_ids(cls, value: Any) -> Any:
        return _one_or_many(value)
    decision: str | None = Field(None, alias="beslut", min_length=1)
    """The decision this indicator (or its latest change) rests on, ``KF 2027-02-20 § 12``;
    ``reportkit diff`` shows it beside the change."""


    @model_validator(mode="after")
    def _default_decimals(self) -> Indicator:
        """Without ``decimaler``: whole numbers for counts and money, one decimal otherwise."""
        if self.decimals is None:
            self.decimals = 0 if self.unit.strip().lower() in WHOLE_UNITS else 1
        return self

    @field_validator("targets", mode="before")
    @classmethod
    def _target_keys(cls, value: Any) -> Any:
        """Years (``2026``) and ``mandatperiod`` as keys; each value a number, ja/nej, a
        range or a direction (:func:`~reportkit.styrmodell.targets.read_target`)."""
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                key = str(k).strip()
                if not (key == MANDATE_KEY or (len(key) == 4 and key.isdigit())):
                    raise ValueError(f"'{key}' är inget år; skriv målvärdet per år (2026: 85) "
                                     f"eller för {MANDATE_KEY}")
                try:
                    out[key] = read_target(v)
                except TargetValueError as exc:  # the year said with the value
                    raise TargetValueError(exc.value, exc.reason, exc.hint, str(key)) \
                        from None
                except ValueError as exc:
                    raise ValueError(f"{key}: {exc}") from None
            return out
        return value

    @model_validator(mode="after")
    def _target_kinds(self) -> Indicator:
        """A range or a direction is not a ja/nej or a progression målvärde, and a direction
        agrees with ``riktning``."""
        for key, target in self.targets.items():
            if isinstance(target, TargetRange | TargetTrend) and \
                    self.target_type in ("janej", "progression"):
                raise ValueError(f"målvärde {key}: ett intervall eller en riktning passar inte "
                                 f"med måltyp {self.target_type}; skriv ett tal"
                                 + (" eller ja/nej" if self.target_type == "janej" else ""))
            if isinstance(target, TargetTrend) and key == MANDATE_KEY:
                raise ValueError("målvärde mandatperiod: skriv ett tal eller ett intervall; "
                                 "en riktning (ska öka, ska minska) skrivs per år")
            if isinstance(target, TargetTrend) and \
                    target.increase != (self.direction == "högre"):
                raise ValueError(f"målvärde {key}: '{target.text.lower()}' går emot riktning "
                                 f"{self.direction}; ändra den ena")
        return self

    def target_for(self, year: int) -> Target | None:
        """The year's own målvärde (``None`` if it has none)."""
        return self.targets.get(str(year))

    def assessed_target(self, year: int, mandate: Mandate) -> tuple[Target | None, bool]:
        """(the målvärde the year is assessed against, whether it is the mandatperiod's):
        :func:`~reportkit.styrmodell.targets.assessed_target`."""
        return assessed_target(self.targets, year, mandate)

    @property
    def mandate_target(self) -> Target | None:
        """The mandatperiod's målvärde, ``None`` if it has none."""
        return self.targets.get(MANDATE_KEY)

    @property
    def gender_words(self) -> dict[str, str]:
        """``{"T": "Totalt", "K": "Kvinnor", "M": "Män"}`` in the kommun's words where
        ``kön`` gives them (as written: a heading's form); empty when not split by kön."""
        if not self.by_gender:
            return {}
        own = self.by_gender if isinstance(self.by_gender, dict) else {}
        return {letter: own.get(key) or key.capitalize() for key, letter in GENDER_KEYS.items()}


class Goal(_Model):
    """A goal at some level; ``parents`` are ids of goals at a level above in the same chain."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(alias="namn", min_length=1)
    area: str | None = Field(None, alias="område")
    kind: GoalKind = Field("verksamhet", alias="typ")
    parents: list[str] = Field(default_factory=list, alias="förälder")
    description: str = Field("", alias="beskrivning")
    combine: CombineRule | None = Field(None, alias="sammanvägning")
    indicators: list[Indicator] = Field(default_factory=list, alias="indikatorer")
    decision: str | None = Field(None, alias="beslut", min_length=1)
    """The decision the goal (or its latest change) rests on; shown by ``reportkit diff``."""

    @field_validator("parents", mode="before")
    @classmethod
    def _parents(cls, value: Any) -> Any:
        return _one_or_many(value)


class Coordinator(_Model):
    """The styrkortssamordnare a workbook is sent back to (``samordnare``), named in it."""

    name: str = Field(alias="namn", min_length=1)
    email: str | None = Field(None, alias="epost")
    phone: str | None = Field(None, alias="telefon")


class _OrgNode(_Model):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(alias="namn", min_length=1)
    ansvar: list[str] = Field(default_factory=list, alias="ansvar")
    manager: str | None = Field(None, alias="chef")
    email: str | None = Field(None, alias="epost")
    goals: list[Goal] = Field(default_factory=list, alias="mål")
    decision: str | None = Field(None, alias="beslut", min_length=1)
    """The decision that made or changed this unit (a reorganisation); ``reportkit diff``."""

    @field_validator("ansvar", mode="before")
    @classmethod
    def _codes(cls, value: Any) -> Any:
        if isinstance(value, (str, int)):
            value = [value]
        return [str(v) for v in value] if isinstance(value, list) else value


CategoryId = Annotated[str, Field(pattern=ID_PATTERN)]


class _Categorised(_OrgNode):
    """An enhet or verksamhet with ``kategorier`` (grundskola, förskola, äldreboende …): what
    kind of operation it runs, for ``mäts_på: {kategori: …}``; ``typ`` is the organisation's
    kind, not this."""

    categories: list[CategoryId] = Field(default_factory=list, alias="kategorier")

    @field_validator("categories", mode="before")
    @classmethod
    def _categories(cls, value: Any) -> Any:
        return _one_or_many(value)


class Unit(_Categorised):
    """An enhet."""


class Operation(_Categorised):
    """A verksamhet, with its enheter."""

    units: list[Unit] = Field(default_factory=list, alias="enheter")


class Committee(_OrgNode):
    """A nämnd, styrelse, gemensam nämnd, kommunalt bolag or kommunalförbund (``typ``; their
    words in :mod:`reportkit.styrmodell.kinds`). A bolag's goals come from its ägardirektiv.

    Below it either ``verksamheter`` (with their enheter) or ``enheter`` directly (the branch
    has no verksamhet level), not both; a holding bolag lists the bolag it owns under
    ``dotterbolag`` (same keys, ``typ`` is bolag). :func:`~reportkit.styrmodell.model.build`
    checks what goes where.
    """

    kind: CommitteeKind = Field("nämnd", alias="typ")
    coordinator: Coordinator | None = Field(None, alias="samordnare")
    mission: str = Field("", alias="uppdrag")
    vision: str = Field("", alias="vision")
    operations: list[Operation] = Field(default_factory=list, alias="verksamheter")
    units: list[Unit] = Field(default_factory=list, alias="enheter")
    subsidiaries: list[Committee] = Field(default_factory=list, alias="dotterbolag")

    @field_validator("subsidiaries", mode="before")
    @classmethod
    def _subsidiaries_are_bolag(cls, value: Any) -> Any:
        """A dotterbolag is a bolag: ``typ`` may be left out (another typ is refused later)."""
        if isinstance(value, list):
            return [{"typ": "bolag", **v} if isinstance(v, dict) and "typ" not in v else v
                    for v in value]
        return value


WORD_KEYS = ("grundform", "bestämd", "plural", "bestämd_plural", "genitiv", "artikel")


def _check_word(value: Any) -> Any:
    """A word is a text, or a mapping of forms with ``grundform`` and only known forms, each a
    non-empty text (one clear problem, not one per branch of the union)."""
    if not isinstance(value, (str, dict)):
        raise ValueError("ska vara ett ord, eller formerna under grundform, bestämd, plural, "
                         "bestämd_plural, genitiv")
    if isinstance(value, dict):
        unknown = [k for k in value if k not in WORD_KEYS]
        if unknown:
            raise ValueError(f"okänd form '{unknown[0]}'; tillåtna former är "
                             f"{', '.join(WORD_KEYS)}")
        if "grundform" not in value:
            raise ValueError("formen 'grundform' saknas; skriv ordets grundform, "
                             "t.ex. grundform: Effektmål")
        for k, v in value.items():
            if not isinstance(v, str) or not v.strip():
                raise ValueError(f"formen '{k}' ska vara en text")
        if value.get("artikel", "en") not in ("en", "ett"):
            raise ValueError("artikel ska vara en eller ett")
        return {k: v.strip() for k, v in value.items()}
    if isinstance(value, str) and not value.strip():
        raise ValueError("ordet får inte vara tomt")
    return value


WordValue = Annotated[str | dict[str, str], BeforeValidator(_check_word)]
"""A word in the styrmodell: the base word, or a mapping of its forms (styrmodell/words.py)."""


class Level(_Model):
    """A level's name and what its goals are called, each a word or a mapping of its forms."""

    id: str = Field(pattern=ID_PATTERN)
    name: WordValue = Field(alias="namn")
    goal_name: WordValue = Field(alias="målnamn")


class Area(_Model):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(alias="namn")
    description: str = Field("", alias="beskrivning")


class Period(_Model):
    """A reporting period: ``2026-plan``, ``2026-T1``, ``2026-K2``, ``2026-delår``, ``2026-helår``.

    ``lagstadgad`` marks the statutory delårsrapport (LKBR 13 kap: 6–8 months) among the year's
    delår/halvår periods; validate warns when such a year has none or several.
    """

    id: str = Field(pattern=r"^\d{4}-[A-Za-z0-9ÅÄÖåäö]{1,12}$")
    type: PeriodType = Field(alias="typ")
    name: str = Field(alias="namn")
    start: dt.date = Field(alias="från")
    end: dt.date = Field(alias="till")
    levels: list[str] = Field(alias="nivåer", min_length=1)
    deadlines: dict[str, dt.date] = Field(default_factory=dict, alias="sista_dag")
    statutory: bool = Field(False, alias="lagstadgad")

    @property
    def last_deadline(self) -> dt.date:
        """The last level's sista dag (the end of the period when none is set)."""
        return max(self.deadlines.values(), default=self.end)


class ScaleStep(_Model):
    status: str = Field(pattern=ID_PATTERN)
    label: str = Field(alias="etikett")
    forecast_label: str = Field(alias="prognos")
    threshold: float | None = Field(alias="gräns")
    color: str = Field(alias="färg", pattern=r"^[0-9A-Fa-f]{6}$")
    symbol: str = Field("●", alias="symbol")


class SpecialLook(_Model):
    """How a status outside the scale is shown: ``ej_mätt`` (black by default) and
    ``ej_uppföljt``. What is left out keeps its default."""

    label: str | None = Field(None, alias="etikett", min_length=1)
    forecast_label: str | None = Field(None, alias="prognos", min_length=1)
    color: str | None = Field(None, alias="färg", pattern=r"^[0-9A-Fa-f]{6}$")
    symbol: str | None = Field(None, alias="symbol", min_length=1)

    def overrides(self) -> dict[str, str]:
        """The keys set, as :func:`~reportkit.styrmodell.assess.make_scale` takes them; a
        label without a prognos is used for both."""
        out = {k: v for k, v in self.model_dump().items() if v is not None}
        if "label" in out and "forecast_label" not in out:
            out["forecast_label"] = out["label"]
        if "color" in out:
            out["color"] = out["color"].upper()
        return out


class Assessment(_Model):
    """How statuses are computed (DOMAIN.md "Måluppfyllelse"; docs/bedomning.md)."""

    scale: list[ScaleStep] | None = Field(None, alias="skala", min_length=3, max_length=5)
    not_measured: SpecialLook | None = Field(None, alias="ej_mätt")
    not_followed_up: SpecialLook | None = Field(None, alias="ej_uppföljt")

    def special_overrides(self) -> list[dict[str, str]]:
        """``ej_mätt`` and ``ej_uppföljt`` as :func:`~reportkit.styrmodell.assess.make_scale`
        takes them: ``[{"status": "ej_matt", "label": …}, …]``, those set."""
        looks = (("ej_matt", self.not_measured), ("ej_uppfoljt", self.not_followed_up))
        return [{"status": status, **look.overrides()} for status, look in looks
                if look is not None]
    combine: CombineRule = Field("medel", alias="sammanvägning")
    rollup: RollupRule = Field("majoritet", alias="underlag")
    plausibility_factor: float | None = Field(3.0, alias="rimlighetsfaktor", gt=1)
    """An utfall more than this many times last year's (or less than its 1/factor) gets a
    varning in check and on the Kontroll sheet; null turns the rule off."""


def _check_mandate(value: Any) -> Any:
    return value if value is None or isinstance(value, Mandate) else read_mandate(value)


class Kommun(_Model):
    """The kommun. ``mandate`` (``mandatperiod: 2023–2026``) is the mandatperiod the year lies
    in; without it, the one the election calendar gives (:meth:`mandate_for`)."""

    id: str = Field("kommun", pattern=ID_PATTERN)
    name: str = Field(alias="namn")
    code: str | None = Field(None, alias="kommunkod", pattern=r"^\d{4}$")
    inhabitants: int | None = Field(None, alias="invånare", ge=0)
    vision: str = Field("", alias="vision")
    manager: str | None = Field(None, alias="chef")
    email: str | None = Field(None, alias="epost")
    mandate: Annotated[Mandate | None, BeforeValidator(_check_mandate)] = Field(
        None, alias="mandatperiod")

    def mandate_for(self, year: int) -> Mandate:
        """The mandatperiod: ``mandatperiod`` when set, else the election calendar's."""
        return self.mandate or mandate_of(year)
    coordinator: Coordinator | None = Field(None, alias="samordnare")


class Documents(_Model):
    templates: str | None = Field(None, alias="mallar")
    goal_depth: Literal["kommun", "nämnd", "verksamhet", "enhet"] = Field("nämnd", alias="måldjup")


class Smtp(_Model):
    """The mail server ``reportkit utskick --skicka`` sends through (STARTTLS). The password is
    never in the file: ``REPORTKIT_SMTP_LOSENORD`` or a prompt."""

    server: str = Field(alias="server", min_length=1)
    port: int = Field(587, alias="port", ge=1, le=65535)
    user: str | None = Field(None, alias="användare")


class Meeting(_Model):
    """A sammanträde of a nämnd, KS or KF in the årshjul (``sammanträden``)."""

    body: str = Field(alias="organ", min_length=1)
    """A nämnd's or the kommun's id (its name is shown), or the body's name (e.g. KF)."""
    date: dt.date = Field(alias="datum")
    matter: str = Field("", alias="ärende")


class Party(_Model):
    """A party's seats in kommunfullmäktige (``politik: mandatfördelning:``)."""

    name: str = Field(alias="parti", min_length=1)
    short: str | None = Field(None, alias="förkortning")
    """As the documents abbreviate it (S, M, C …); explained in the ordlista."""
    seats: int = Field(alias="mandat", ge=0)


class Politics(_Model):
    """The political organisation the årsredovisning's reading aids show (``politik``)."""

    seats: list[Party] = Field(default_factory=list, alias="mandatfördelning")
    ruling: str = Field("", alias="styre")
    """Who governs, in the kommun's words (``S, C och L i majoritet``)."""


class GlossaryEntry(_Model):
    """A word of the documents' ordlista (``ordlista``): added to the default list, or
    replacing the default's explanation of the same word; an empty ``förklaring`` drops it."""

    term: str = Field(alias="ord", min_length=1)
    explanation: str = Field("", alias="förklaring")


class StyrmodellConfig(_Model):
    """The whole file ``styrmodell/<år>.yaml``."""

    version: int = Field(1, alias="version")
    year: int = Field(alias="år", ge=2000, le=2100)
    kommun: Kommun = Field(alias="kommun")
    levels: list[Level] = Field(default_factory=lambda: [
        Level(id="kommun", name="Kommun", goal_name="KF-mål"),
        Level(id="nämnd", name="Nämnd", goal_name="Nämndmål"),
        Level(id="verksamhet", name="Verksamhet", goal_name="Verksamhetsmål"),
        Level(id="enhet", name="Enhet", goal_name="Enhetsmål"),
    ], alias="nivåer", min_length=4, max_length=4)
    area_word: WordValue = Field("Målområde", alias="målområdesnamn")
    """What the goal areas are called (målområde, perspektiv, strategiskt område …)."""
    areas: list[Area] = Field(alias="målområden", min_length=1)
    assessment: Assessment = Field(default_factory=Assessment, alias="bedömning")
    documents: Documents = Field(default_factory=Documents, alias="dokument")
    periods: list[Period] = Field(alias="perioder", min_length=1)
    goals: list[Goal] = Field(default_factory=list, alias="mål")
    committees: list[Committee] = Field(default_factory=list, alias="nämnder")
    meetings: list[Meeting] = Field(default_factory=list, alias="sammanträden")
    smtp: Smtp | None = Field(None, alias="smtp")
    politics: Politics | None = Field(None, alias="politik")
    glossary: list[GlossaryEntry] = Field(default_factory=list, alias="ordlista")

    @property
    def mandate(self) -> Mandate:
        """The mandatperiod the year lies in (``kommun.mandatperiod``, or by the election
        calendar)."""
        return self.kommun.mandate_for(self.year)


_REASONS = {
    "int_parsing": ("ska vara ett heltal", "skriv ett heltal, till exempel 2026"),
    "int_type": ("ska vara ett heltal", "skriv ett heltal, till exempel 2026"),
    "float_parsing": ("ska vara ett tal", "skriv ett tal med punkt som decimaltecken, t.ex. 85.5"),
    "float_type": ("ska vara ett tal", "skriv ett tal med punkt som decimaltecken, t.ex. 85.5"),
    "string_type": ("ska vara text", "skriv texten inom citattecken"),
    "list_type": ("ska vara en lista", "skriv en lista, en rad per post som börjar med '- '"),
    "dict_type": ("ska vara en uppsättning nycklar", "se exempelfilen för hur det ska se ut"),
    "model_type": ("ska vara en uppsättning nycklar", "se exempelfilen för hur det ska se ut"),
    "date_from_datetime_parsing": ("ska vara ett datum", "skriv datum som ÅÅÅÅ-MM-DD"),
    "date_parsing": ("ska vara ett datum", "skriv datum som ÅÅÅÅ-MM-DD"),
    "date_type": ("ska vara ett datum", "skriv datum som ÅÅÅÅ-MM-DD"),
    "bool_parsing": ("ska vara ja eller nej", "skriv ja eller nej"),
    "bool_type": ("ska vara ja eller nej", "skriv ja eller nej"),
    "int_from_float": ("ska vara ett heltal", "skriv ett heltal, till exempel 2026"),
    "string_too_long": ("är för lång", "korta texten"),
    "greater_than": ("är för litet", "ange ett större värde"),
    "less_than": ("är för stort", "ange ett mindre värde"),
    "finite_number": ("ska vara ett tal", "skriv ett tal med punkt som decimaltecken, t.ex. 85.5"),
    "string_pattern_mismatch": ("har fel form",
                                "använd bokstäver, siffror, - och _ (högst 40 tecken)"),
    "string_too_short": ("får inte vara tom", "skriv en text"),
    "too_short": ("har för få poster", "lägg till fler poster"),
    "too_long": ("har för många poster", "ta bort poster"),
    "greater_than_equal": ("är för litet", "ange ett större värde"),
    "less_than_equal": ("är för stort", "ange ett mindre värde"),
}


_OTHER_REASON = ("har fel form", "se docs/styrmodell.md och exempelfilen")
"""For a pydantic error type the table above lacks: never pydantic's English message."""

_UNION_WORDS = {"float_parsing": "ett tal", "float_type": "ett tal", "int_parsing": "ett heltal",
                "int_type": "ett heltal", "bool_parsing": "ja/nej",
                "bool_type": "ja/nej", "string_type": "en text", "list_type": "en lista",
                "dict_type": "en uppsättning nycklar", "date_parsing": "ett datum"}
"""What one branch of a union (``float | bool``) asks for, to say it in one problem."""

_KEY_HINTS = {"målvärde": "skriv ett målvärde per år, t.ex. {2026: 95, 2027: 96} (ett värde i "
                          "% i procentenheter, utan %-tecken)"}
"""A key whose value has a shape of its own: what to write when it has another shape."""


def problems_from_pydantic(errors: list[ErrorDetails] | list[dict[str, Any]], file: str,
                           lines: Mapping[str, int]) -> list[Problem]:
    """pydantic's errors as Problems, one per value: the branches of a union that all
    refused the same value (``målvärde: {2026: "95 %"}``, neither a number nor ja/nej) become
    one problem that names every form the value may take."""
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for err in errors:
        groups.setdefault(_clean_loc(err["loc"]), []).append(err)
    out = []
    for found in groups.values():
        first = _problem_from_pydantic(found[0], file, lines)
        words = list(dict.fromkeys(_UNION_WORDS.get(e["type"], "") for e in found))
        if len(found) > 1 and all(words):
            first.values["reason"] = "ska vara " + _joined(words)
            first.values["expected"] = number_hint(found[0].get("input")) or \
                first.values["expected"]
        out.append(first)
    return out


def _joined(words: list[str]) -> str:
    """``['a', 'b', 'c']`` → ``a, b eller c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " eller " + words[-1]


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    # unions add the branch name to loc (e.g. 'float', 'bool'); drop it from the path
    return tuple(p for p in loc if not (isinstance(p, str) and p in (
        "function-after", "function-before", "float", "bool", "str", "int",
        "constrained-str", "list[str]", "date")))


def key_path(loc: tuple[Any, ...]) -> str:
    """``('nämnder', 2, 'verksamheter', 0, 'id')`` → ``nämnder[2].verksamheter[0].id``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _problem_from_pydantic(err: ErrorDetails | dict[str, Any], file: str, lines: Mapping[str, int]
                           ) -> Problem:
    loc = _clean_loc(err["loc"])
    path = key_path(loc)
    where = _with_line(path, lines)
    etype = err["type"]
    if etype == "missing":
        return problem("config-missing-key", file=file, key=where, name=path.rsplit(".", 1)[-1])
    if etype == "extra_forbidden":
        misplaced = _org_misplaced(loc)
        if misplaced is not None:
            return problem("config-org-misplaced", file=file, key=where, name=str(loc[-1]),
                           parent=misplaced[0], allowed=misplaced[1])
        return problem("config-unknown-key", file=file, key=where, name=path.rsplit(".", 1)[-1])
    value = err.get("input")
    if etype == "value_error":
        exc = err.get("ctx", {}).get("error")
        if isinstance(exc, TargetValueError):
            value, reason, hint = exc.value, exc.reason, exc.hint
        else:
            reason, hint = str(exc or err.get("msg", "")), "se docs/styrmodell.md"
    elif etype in ("literal_error", "enum"):
        # pydantic's ctx: "'högre' or 'lägre'", "'a', 'b' or 'c'": the values, in Swedish
        expected = _joined(re.findall(r"'(?:[^'\\]|\\.)*'|\d+",
                                      str(err.get("ctx", {}).get("expected", ""))) or ["?"])
        reason, hint = f"tillåtna värden är {expected}", f"välj ett av {expected}"
    else:
        reason, hint = _REASONS.get(etype, _OTHER_REASON)
        if etype in ("float_parsing", "int_parsing"):
            hint = number_hint(err.get("input")) or hint
    if etype in ("dict_type", "model_type") and str(loc[-1] if loc else "") in _KEY_HINTS:
        hint = _KEY_HINTS[str(loc[-1])]
    shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    if etype == "value_error" and isinstance(exc := err.get("ctx", {}).get("error"),
                                             TargetValueError) and exc.where:
        shown += f" för {exc.where}"
    return problem("config-invalid-value", file=file, key=where, value=shown, reason=reason,
                   expected=hint)


_ORG_KEYS = ("verksamheter", "enheter", "dotterbolag")
_ORG_ALLOWED = (
    "Under en nämnd, styrelse, gemensam nämnd, ett bolag eller ett kommunalförbund (under "
    "'nämnder') står antingen 'verksamheter' eller 'enheter' direkt; under en verksamhet står "
    "'enheter'; en enhet är lägsta nivån; 'dotterbolag' står bara under ett bolag.")


def _org_misplaced(loc: tuple[Any, ...]) -> tuple[str, str] | None:
    """An org key (verksamheter, enheter, dotterbolag) where the tree has no room for it:
    (what it stands under, what is allowed); ``None`` for any other unknown key."""
    if not loc or loc[-1] not in _ORG_KEYS:
        return None
    names = [p for p in loc[:-1] if isinstance(p, str)]
    parent = {"enheter": "en enhet", "verksamheter": "en verksamhet", "nämnder": "en nämnd",
              "dotterbolag": "ett dotterbolag", "kommun": "kommunen (kommun:)",
              "mål": "ett mål"}.get(names[-1], "") if names else ""
    return (parent or ("filens översta nivå" if not names else "den här nivån"), _ORG_ALLOWED)


def _with_line(path: str, lines: Mapping[str, int]) -> str:
    """``path (rad N)`` with the line of ``path`` or of its nearest ancestor that has one."""
    probe = path
    while probe:
        if probe in lines:
            return f"{path} (rad {lines[probe]})"
        shorter = re.sub(r"(\[\d+\]|\.[^.\[]+|^[^.\[]+)$", "", probe)
        if shorter == probe:
            break
        probe = shorter
    return path


def load_config(path: Path
                ) -> tuple[StyrmodellConfig | None, list[Problem], Mapping[str, int]]:
    """Read and validate one styrmodell file.

    Returns the config (``None`` if it is unusable), the problems found, and a map from key
    path to line for later checks (the chain) to point at.
    """
    from reportkit.yamlfile import load_yaml

    name = _display_name(path)
    data, lines, problems = load_yaml(path, file=name)
    if problems:
        return None, problems, {}
    if not isinstance(data, dict):
        return None, [problem("config-invalid-value", file=name, key="(hela filen)",
                              value=type(data).__name__, reason="filen ska bestå av nycklar",
                              expected="utgå från exempelfilen")], {}
    try:
        config = StyrmodellConfig.model_validate(data)
    except ValidationError as exc:
        return None, problems_from_pydantic(exc.errors(), name, lines), lines
    return config, [], lines


def _display_name(path: Path) -> str:
    parts = path.parts
    return "/".join(parts[-2:]) if len(parts) >= 2 else path.name
