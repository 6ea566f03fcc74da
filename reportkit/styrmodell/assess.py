"""Måluppfyllelse: the status rules, as pure functions (stdlib only, no I/O).

Four steps, each one function:

- :func:`assess_indicator` — one indicator's utfall against its målvärde → degree and status;
- :func:`combine_indicators` — a goal's indicators → the goal's computed status;
- :func:`roll_up` — the statuses of the goals below (enhet → verksamhet → nämnd → KF) → counts
  and a proposed status (förslag) that the level above confirms or overrides;
- :func:`needs_motivation` — a bedömning that differs from the förslag must be motivated.

A *degree* is an unrounded ratio (1.0 = 100 %). Statuses are short stable ids; the Swedish labels,
colours and symbols come from the :class:`Scale`, which is configuration. Every result carries a
Swedish ``rule`` text with the formula and the numbers, so a revisor can trace each status.
``docs/bedomning.md`` lists every rule with its formula.

Arithmetic is done in :class:`~decimal.Decimal` on the shortest repr of each value, so an utfall
of exactly 80 % of the målvärde is exactly on the 80 % threshold (binary floats would put
``0.1 * 8 / 1.0`` a hair below it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, localcontext
from fractions import Fraction

from reportkit.caching import Memo
from reportkit.formats import DASH, NBSP, format_number, format_value
from reportkit.styrmodell.targets import Target, TargetRange, TargetTrend

__all__ = [
    "UPPFYLLT",
    "DELVIS",
    "EJ_UPPFYLLT",
    "EJ_MATT",
    "MATS_VID_HELAR",
    "EJ_AKTUELL",
    "SAKNAR_MALVARDE",
    "SPECIAL_STATUSES",
    "DIRECTIONS",
    "TARGET_TYPES",
    "COMBINE_RULES",
    "ROLL_UP_RULES",
    "MIN_CONTRAST",
    "Step",
    "Scale",
    "make_scale",
    "DEFAULT_SCALE",
    "contrast_ratio",
    "text_color_on",
    "MIN_TEXT_CONTRAST",
    "IndicatorResult",
    "assess_indicator",
    "display_degree",
    "GoalResult",
    "combine_indicators",
    "Underlag",
    "roll_up",
    "needs_motivation",
]

UPPFYLLT = "uppfyllt"
DELVIS = "delvis"
EJ_UPPFYLLT = "ej_uppfyllt"

EJ_MATT = "ej_matt"
"""Utfall missing although it was due: "Ej mätt" (black)."""
MATS_VID_HELAR = "mats_vid_helar"
"""Not measured in this period by design (an annual indicator in a delår): "Mäts vid helår"."""
EJ_AKTUELL = "ej_aktuell"
"""The indicator or goal does not apply to this unit: "Ej aktuell"."""
SAKNAR_MALVARDE = "saknar_malvarde"
"""Measured, but nothing to measure against (no målvärde, or no utgångsvärde for progression)."""
EJ_UPPFOLJT = "ej_uppfoljt"
"""The level that measures or assesses it hands in no styrkort this period (a KF goal in a
tertial the kommun does not report in): "Följs inte upp denna period", not the black Ej mätt."""

SPECIAL_STATUSES = (EJ_MATT, MATS_VID_HELAR, EJ_AKTUELL, SAKNAR_MALVARDE, EJ_UPPFOLJT)
"""Statuses outside the scale: never a scale step, never counted as a step, never voting."""

DIRECTIONS = ("högre", "lägre")
TARGET_TYPES = ("kvot", "minst", "högst", "janej", "progression")
COMBINE_RULES = ("medel", "andel", "svagast")
ROLL_UP_RULES = ("majoritet", "medel", "svagast", "andel")

MIN_CONTRAST = 3.0
"""WCAG 2.1 SC 1.4.11 (non-text contrast): a status mark needs 3:1 against the white page to
stand alone; a lighter colour (the kommun's own yellow FFFF00 is 1.1:1) is accepted as given
and drawn with an outline or pattern (:attr:`Step.light`), never refused."""
MIN_TEXT_CONTRAST = 4.5
"""WCAG 2.1 SC 1.4.3 (text contrast): text on a status colour is white when white reaches
4.5:1, else black (which then always does: the two ratios multiply to 21)."""

_STATUS_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Step:
    """One status: a scale step (with a threshold) or a special status (threshold ``None``).

    ``threshold`` is the lowest unrounded degree that reaches this step (1.0 = 100 %); the last
    step of a scale has ``None`` and takes everything below. ``forecast_label`` is used in delår
    and tertial, where the bedömning is a prognos ("Bedöms uppfyllas"). ``color`` is hex without
    ``#``; ``symbol`` is a character shown beside the label, so colour never carries status alone.
    """

    status: str
    label: str
    forecast_label: str
    threshold: float | None
    color: str
    symbol: str

    @property
    def text_color(self) -> str:
        """Black or white (hex, no ``#``) for text on this step's colour: at least 4.5:1."""
        return text_color_on(self.color)

    @property
    def light(self) -> bool:
        """Too light to stand on the white page as a line or mark (under 3:1): drawn with an
        outline or pattern, or as a shaded symbol in documents."""
        return contrast_ratio(self.color) < MIN_CONTRAST


@dataclass(frozen=True)
class Scale:
    """The configured steps, best first, and the special statuses. Validated on construction."""

    steps: tuple[Step, ...]
    specials: tuple[Step, ...]
    # lookups set in __post_init__: no argument, and left out of equality, hash and repr
    _limits: tuple[tuple[float, Step], ...] = field(init=False, repr=False, compare=False)
    _statuses: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _by_status: dict[str, Step] = field(init=False, repr=False, compare=False)
    _rank: dict[str, int] = field(init=False, repr=False, compare=False)
    _step_statuses: frozenset[str] = field(init=False, repr=False, compare=False)
    _display_texts: Memo[str] = field(init=False, repr=False, compare=False)
    """:func:`display_degree`'s texts for this scale, owned by it (made with it, gone with it)."""

    def __post_init__(self) -> None:
        _validate_scale(self.steps, self.specials)
        # lookups the roll-up makes hundreds of thousands of times (equality, hash and repr
        # stay the steps')
        everything = self.steps + self.specials
        lookups = {
            "_limits": tuple((s.threshold, s) for s in self.steps[:-1]),
            "_statuses": tuple(s.status for s in everything),
            "_by_status": {s.status: s for s in everything},
            "_rank": {s.status: i for i, s in enumerate(everything)},
            "_step_statuses": frozenset(s.status for s in self.steps),
            "_display_texts": Memo(65_536),
        }
        for name, value in lookups.items():
            object.__setattr__(self, name, value)

    def step_for(self, degree: float) -> Step:
        """The step an unrounded degree reaches: the first whose threshold is ≤ degree."""
        degree = _finite(degree, "degree")
        for threshold, step in self._limits:
            if degree >= threshold:
                return step
        return self.steps[-1]

    @property
    def reached(self) -> Step:
        """The step for exactly 100 % (målvärdet nått); a binary "reached" lands here."""
        return self.step_for(1.0)

    @property
    def statuses(self) -> tuple[str, ...]:
        """All status ids in rank order: steps best first, then the specials."""
        return self._statuses

    def is_step(self, status: str | None) -> bool:
        try:
            return status in self._step_statuses
        except TypeError:  # unhashable: no status
            return False

    def step(self, status: str) -> Step:
        """The step or special status with this id; ``ValueError`` if the scale has none."""
        try:
            found = self._by_status.get(status)
        except TypeError:  # unhashable: no status
            found = None
        if found is None:
            raise ValueError(
                f"unknown status {status!r}; this scale has {', '.join(self.statuses)}")
        return found

    def label(self, status: str, forecast: bool = False) -> str:
        """The Swedish label; ``forecast=True`` gives the prognos wording used in delår/tertial."""
        s = self.step(status)
        return s.forecast_label if forecast else s.label

    def rank(self, status: str) -> int:
        """0 = best step; specials rank after every step (for ordering, not for comparing)."""
        return self._rank[self.step(status).status]


def contrast_ratio(color: str, background: str = "FFFFFF") -> float:
    """WCAG 2.1 contrast ratio of two hex colours (``"B26A00"`` against white ≈ 4.0)."""

    def luminance(hex_color: str) -> float:
        channels = []
        for i in (0, 2, 4):
            c = int(hex_color[i : i + 2], 16) / 255
            channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        r, g, b = channels
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(color), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_color_on(color: str) -> str:
    """``FFFFFF`` when white text on ``color`` reaches :data:`MIN_TEXT_CONTRAST`, else
    ``000000`` (black then reaches it: the two contrast ratios multiply to 21)."""
    return "FFFFFF" if contrast_ratio("FFFFFF", color) >= MIN_TEXT_CONTRAST else "000000"


def _validate_step_look(step: Step, where: str) -> None:
    if not _STATUS_ID.match(step.status):
        raise ValueError(f"{where}: status id {step.status!r} must be lower-case a-z, 0-9 and _")
    if not step.label.strip() or not step.forecast_label.strip():
        raise ValueError(f"{where} ({step.status}): label and forecast_label must not be empty")
    if not _HEX.match(step.color):
        raise ValueError(
            f"{where} ({step.status}): color {step.color!r} must be 6 hex digits without #"
        )
    if not step.symbol.strip():
        raise ValueError(f"{where} ({step.status}): symbol must not be empty")


def _validate_scale(steps: tuple[Step, ...], specials: tuple[Step, ...]) -> None:
    if not 3 <= len(steps) <= 5:
        raise ValueError(f"a scale needs 3 to 5 steps, got {len(steps)}")
    for i, step in enumerate(steps):
        where = f"step {i + 1}"
        _validate_step_look(step, where)
        if step.status in SPECIAL_STATUSES:
            raise ValueError(f"{where}: {step.status!r} is a special status, not a scale step")
        last = i == len(steps) - 1
        if last:
            if step.threshold is not None:
                raise ValueError(
                    f"{where} ({step.status}): the last step takes everything below "
                    "and must have no threshold (None)"
                )
            continue
        t = step.threshold
        if t is None or isinstance(t, bool) or not isinstance(t, int | float):
            raise ValueError(f"{where} ({step.status}): threshold must be a number, got {t!r}")
        if not math.isfinite(t) or t <= 0:
            raise ValueError(
                f"{where} ({step.status}): threshold must be a finite ratio above 0 "
                f"(0.8 = 80 %), got {t!r}"
            )
        if i > 0:
            prev = steps[i - 1].threshold
            assert prev is not None
            if t >= prev:
                raise ValueError(
                    f"{where} ({step.status}): thresholds must fall strictly from "
                    f"the best step down, but {t!r} follows {prev!r}"
                )
    lowest = steps[-2].threshold
    assert lowest is not None
    if lowest > 1.0:
        raise ValueError(
            f"the lowest threshold is {lowest!r}: reaching 100 % of the målvärde "
            "would fall in the last step; at least one threshold must be ≤ 1.0"
        )
    if sorted(s.status for s in specials) != sorted(SPECIAL_STATUSES):
        raise ValueError(f"specials must be exactly {', '.join(SPECIAL_STATUSES)}")
    for special in specials:
        _validate_step_look(special, "special")
        if special.threshold is not None:
            raise ValueError(f"special ({special.status}): a special status has no threshold")
    everything = steps + specials
    for attr in ("status", "label", "symbol"):
        values = [getattr(s, attr) for s in everything]
        dupes = sorted({v for v in values if values.count(v) > 1})
        if dupes:
            raise ValueError(f"each status needs its own {attr}; repeated: {', '.join(dupes)}")


_DEFAULT_SPECIALS = (
    Step(EJ_MATT, "Ej mätt", "Ej mätt", None, "000000", "■"),
    Step(MATS_VID_HELAR, "Mäts vid helår", "Mäts vid helår", None, "616161", "□"),
    Step(EJ_AKTUELL, "Ej aktuell", "Ej aktuell", None, "616161", "–"),
    Step(SAKNAR_MALVARDE, "Målvärde saknas", "Målvärde saknas", None, "616161", "◇"),
    Step(EJ_UPPFOLJT, "Följs inte upp denna period", "Följs inte upp denna period", None,
         "616161", "◌"),
)

_STEP_KEYS = {"status", "label", "forecast_label", "threshold", "color", "symbol"}


def _step_from(data: Mapping[str, object], where: str, defaults: Step | None = None) -> Step:
    unknown = sorted(set(data) - _STEP_KEYS)
    if unknown:
        raise ValueError(
            f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_STEP_KEYS))}"
        )
    values: dict[str, object] = {}
    for key in ("status", "label", "forecast_label", "threshold", "color", "symbol"):
        if key in data:
            values[key] = data[key]
        elif defaults is not None:
            values[key] = getattr(defaults, key)
        elif key == "forecast_label" and "label" in data:
            values[key] = data["label"]
        elif key == "threshold":
            values[key] = None
        else:
            raise ValueError(f"{where}: {key!r} is missing")
    for key in ("status", "label", "forecast_label", "color", "symbol"):
        if not isinstance(values[key], str):
            raise ValueError(f"{where}: {key!r} must be text, got {values[key]!r}")
    return Step(**values)  # type: ignore[arg-type]


def make_scale(
    steps: Sequence[Mapping[str, object]], specials: Sequence[Mapping[str, object]] = ()
) -> Scale:
    """Build and validate a scale from plain dicts (as the styrmodell YAML holds them).

    Each step: ``status``, ``label``, ``forecast_label`` (defaults to ``label``), ``threshold``
    (a ratio, 0.8 = 80 %; omitted or ``None`` on the last step), ``color`` (hex, no ``#``) and
    ``symbol``. 3–5 steps, best first, thresholds strictly falling, all above 0, the lowest ≤ 1.0;
    any colour (a light one is drawn with an outline: :attr:`Step.light`). ``specials`` may
    override the label, colour or symbol of
    the four special statuses by ``status``; the rest keep their defaults.
    Raises ``ValueError`` with an English message; the config layer maps it to Swedish.
    """
    built = tuple(_step_from(d, f"step {i + 1}") for i, d in enumerate(steps))
    overrides: dict[str, Mapping[str, object]] = {}
    for d in specials:
        status = d.get("status")
        if status not in SPECIAL_STATUSES:
            raise ValueError(
                f"special: status {status!r} is not one of {', '.join(SPECIAL_STATUSES)}"
            )
        overrides[str(status)] = d
    special_steps = tuple(
        _step_from(overrides[s.status], "special", s) if s.status in overrides else s
        for s in _DEFAULT_SPECIALS
    )
    return Scale(built, special_steps)


DEFAULT_SCALE = make_scale(
    [
        {
            "status": UPPFYLLT,
            "label": "Uppfyllt",
            "forecast_label": "Bedöms uppfyllas",
            "threshold": 1.0,
            "color": "2E7D32",
            "symbol": "●",
        },
        {
            "status": DELVIS,
            "label": "Delvis uppfyllt",
            "forecast_label": "Bedöms delvis uppfyllas",
            "threshold": 0.8,
            "color": "B26A00",
            "symbol": "◐",
        },
        {
            "status": EJ_UPPFYLLT,
            "label": "Ej uppfyllt",
            "forecast_label": "Bedöms inte uppfyllas",
            "threshold": None,
            "color": "C62828",
            "symbol": "○",
        },
    ]
)
"""≥ 100 % Uppfyllt, ≥ 80 % Delvis uppfyllt, below Ej uppfyllt (DOMAIN.md, seed 000)."""


def _finite(value: object, name: str) -> float:
    if type(value) is float and math.isfinite(value):  # the common case, as below
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{name} must be a number, got {value!r}")
    f = float(value)
    if not math.isfinite(f):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return f


def _dec(value: object, name: str) -> Decimal:
    return Decimal(repr(_finite(value, name)))


def _flag(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    return _finite(value, name) != 0


def _num(value: Decimal) -> str:
    text = format_value(float(value))
    return text.replace("-", "−")


def _floor_percent(degree: float, places: int) -> Decimal:
    # Decimal on the repr, not degree * 100: 0.57 * 100 is 56.99999999999999 in binary floats,
    # which floors to 56 and would show a degree exactly on a 57 % threshold below it.
    exp = Decimal(1).scaleb(-places)
    return (Decimal(repr(float(degree))) * 100).quantize(exp, rounding=ROUND_FLOOR)


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's assessment. ``degree`` is ``None`` exactly when ``status`` is special."""

    degree: float | None
    status: str
    rule: str


@dataclass(frozen=True)
class GoalResult:
    """A goal's computed status from its indicators; ``counts`` per indicator status."""

    degree: float | None
    status: str
    rule: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Underlag:
    """What the level above sees: ``counts`` per child status and the proposed status (förslag)."""

    counts: dict[str, int]
    proposal: str | None
    rule: str


def display_degree(
    value: IndicatorResult | GoalResult | float | None,
    status: str | None = None,
    scale: Scale = DEFAULT_SCALE,
    decimals: int = 0,
) -> str:
    """A degree as a Swedish percent that never contradicts its status: ``0.996`` → ``99 %``.

    Truncated toward minus infinity (a degree is never shown above what it is), so 0.7999 shows
    ``79 %`` and 0.996 (Delvis) never ``100 %``. Where a threshold has more decimals than asked
    for (a 80,5 % threshold), one more decimal is shown until the figure lands in its step.
    ``status`` defaults to the result's status, or the step of the degree; it is only used when
    it is a scale step matching the degree (a manual bedömning is not forced into the figure).
    Degrees above 100 % are shown as they are (``112 %``). ``None`` shows an en dash.
    """
    if isinstance(value, IndicatorResult | GoalResult):
        degree, status = value.degree, status or value.status
    else:
        degree = value
    if degree is None:
        return DASH
    degree = _finite(degree, "degree")
    # remembered by the scale (a roll-up shows the same few thousand degrees tens of thousands
    # of times); 0.0 and -0.0 share a key and both show as 0 %
    return scale._display_texts.get((degree, status, decimals), _display_degree, degree,
                                    status, scale, decimals)


def _display_degree(degree: float, status: str | None, scale: Scale, decimals: int) -> str:
    wanted = scale.step(status) if status is not None and scale.is_step(status) else None
    if wanted is None:
        wanted = scale.step_for(degree)
    places = decimals
    for extra in range(7):
        shown = _floor_percent(degree, decimals + extra)
        if scale.step_for(float(shown / 100)) is wanted:
            places = decimals + extra
            break
    shown = _floor_percent(degree, places)
    return format_number(float(shown), places) + NBSP + "%"


def _pct(degree: float, scale: Scale) -> str:
    return display_degree(degree, None, scale, decimals=1)


def _binary(reached: bool, rule: str, scale: Scale) -> IndicatorResult:
    if reached:
        return IndicatorResult(1.0, scale.reached.status, f"{rule} → uppnått (100{NBSP}%)")
    return IndicatorResult(0.0, scale.steps[-1].status, f"{rule} → ej uppnått (0{NBSP}%)")


def _holds(a: Decimal, t: Decimal, higher: bool) -> tuple[bool, str]:
    reached = a >= t if higher else a <= t
    op = {(True, True): "≥", (True, False): "<", (False, True): "≤", (False, False): ">"}
    return reached, f"utfall {_num(a)} {op[higher, reached]} målvärde {_num(t)}"


def _ratio_result(degree: Decimal, formula: str, scale: Scale) -> IndicatorResult:
    floored = ""
    if degree < 0:
        degree, floored = Decimal(0), f" (golv 0{NBSP}%)"
    d = float(degree)
    return IndicatorResult(d, scale.step_for(d).status, f"{formula} = {_pct(d, scale)}{floored}")


def assess_indicator(
    actual: float | bool | None,
    target: Target | None,
    *,
    direction: str = "högre",
    target_type: str = "kvot",
    baseline: float | None = None,
    scale: Scale = DEFAULT_SCALE,
    due: bool = True,
    applicable: bool = True,
    previous: float | None = None,
) -> IndicatorResult:
    """Assess one indicator's utfall (``actual``) against its målvärde (``target``).

    ``direction``: ``"högre"`` (higher is better) or ``"lägre"`` (e.g. sjukfrånvaro).
    ``target_type``:

    - ``"kvot"``: degree = utfall / målvärde; lower-is-better mirrors it, 2 − utfall / målvärde,
      floored at 0. Målvärde 0, or a negative målvärde or utfall, has no meaningful ratio: the
      indicator is then reached (1.0) or not (0.0) and ``rule`` says so.
    - ``"minst"`` / ``"högst"``: a limit, reached or not (1.0 / 0.0, never Delvis); the type
      carries its own direction, so ``direction`` is not used.
    - ``"janej"``: reached when utfall and målvärde are both true or both false (bool or 0/1).
    - ``"progression"``: degree = (utfall − utgångsvärde) / (målvärde − utgångsvärde), floored at
      0; the sign of målvärde − utgångsvärde gives the direction. Målvärde = utgångsvärde means
      "hold the level": reached when utfall is at least as good by ``direction``.

    A målvärde that is a range or a direction has its own rule, whatever ``target_type`` says
    (the styrmodell allows neither with janej or progression):

    - :class:`~reportkit.styrmodell.targets.TargetRange`: reached when från ≤ utfall ≤ till
      (edges included), else not; never Delvis.
    - :class:`~reportkit.styrmodell.targets.TargetTrend`: ``ska öka`` is reached when utfall >
      ``previous`` (the value compared with: the year before's), ``ska minska`` when utfall <
      ``previous``; an unchanged value is not reached; never Delvis.

    Order of precedence: ``applicable=False`` → Ej aktuell; ``due=False`` → Mäts vid helår (any
    utfall is ignored); målvärde ``None`` (or utgångsvärde ``None`` for progression, or
    ``previous`` ``None`` for a direction) → Målvärde saknas; utfall ``None`` → Ej mätt. The
    status is decided on the unrounded degree.
    Raises ``ValueError`` for an unknown direction or type, NaN, infinity or a non-number.
    """
    _check_options(direction, target_type)
    if not applicable:
        return IndicatorResult(None, EJ_AKTUELL, "ej aktuell för enheten")
    if not due:
        return IndicatorResult(None, MATS_VID_HELAR, "mäts inte denna period (mäts vid helår)")
    if target is None:
        return IndicatorResult(None, SAKNAR_MALVARDE, "målvärde saknas: kan inte bedömas")
    if target_type == "progression" and baseline is None:
        return IndicatorResult(
            None, SAKNAR_MALVARDE, "utgångsvärde saknas: progression kan inte bedömas"
        )
    if isinstance(target, TargetTrend) and previous is None:
        return IndicatorResult(
            None, SAKNAR_MALVARDE, "föregående värde saknas: riktningen kan inte bedömas")
    if actual is None:
        return IndicatorResult(None, EJ_MATT, "utfall saknas")
    if isinstance(target, TargetRange | TargetTrend):
        return _assess_range_or_trend(actual, target, previous, scale)
    if target_type == "janej":
        return _assess_yes_no(actual, target, scale)
    higher = direction == "högre"
    with localcontext() as ctx:
        ctx.prec = 28
        a, t = _dec(actual, "actual"), _dec(target, "target")
        if target_type in ("minst", "högst"):
            reached, text = _holds(a, t, target_type == "minst")
            return _binary(reached, f"{target_type} {_num(t)}: {text}", scale)
        if target_type == "progression":
            return _assess_progression(a, t, _dec(baseline, "baseline"), higher, scale)
        return _assess_ratio(a, t, higher, scale)


def _check_options(direction: str, target_type: str) -> None:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
    if target_type not in TARGET_TYPES:
        raise ValueError(
            f"target_type must be one of {', '.join(TARGET_TYPES)}, got {target_type!r}"
        )


def _assess_range_or_trend(actual: float | bool, target: TargetRange | TargetTrend,
                           previous: float | None, scale: Scale) -> IndicatorResult:
    """A range (inside, edges included) or a direction (strictly past the value compared
    with): reached or not, compared as decimals of the values as written."""
    a = _dec(actual, "actual")
    if isinstance(target, TargetRange):
        low, high = _dec(target.low, "target"), _dec(target.high, "target")
        inside = low <= a <= high
        where = "inom" if inside else ("under" if a < low else "över")
        return _binary(inside, f"intervall {_num(low)}–{_num(high)}: utfall {_num(a)} {where}",
                       scale)
    p = _dec(previous, "previous")
    reached = a > p if target.increase else a < p
    op = "=" if a == p else (">" if a > p else "<")
    return _binary(reached, f"{target.text.lower()}: utfall {_num(a)} {op} föregående "
                            f"värde {_num(p)}", scale)


def _assess_yes_no(actual: float | bool, target: float | bool, scale: Scale) -> IndicatorResult:
    a_flag, t_flag = _flag(actual, "actual"), _flag(target, "target")
    yn = {True: "ja", False: "nej"}
    rule = f"ja/nej: utfall {yn[a_flag]}, målvärde {yn[t_flag]}"
    return _binary(a_flag == t_flag, rule, scale)


def _assess_progression(a: Decimal, t: Decimal, b: Decimal, higher: bool,
                        scale: Scale) -> IndicatorResult:
    """Progression from utgångsvärde ``b`` (in the caller's decimal context)."""
    if t == b:
        reached, text = _holds(a, t, higher)
        return _binary(
            reached,
            f"progression, målvärde = utgångsvärde {_num(b)} (nivån ska hållas): {text}",
            scale,
        )
    formula = (
        f"progression: (utfall {_num(a)} − utgångsvärde {_num(b)}) / "
        f"(målvärde {_num(t)} − utgångsvärde {_num(b)})"
    )
    return _ratio_result((a - b) / (t - b), formula, scale)


def _assess_ratio(a: Decimal, t: Decimal, higher: bool, scale: Scale) -> IndicatorResult:
    """Kvot: utfall / målvärde, mirrored when lower is better (in the caller's decimal
    context)."""
    if t == 0 or t < 0 or a < 0:
        reason = "målvärde 0" if t == 0 else "negativt målvärde" if t < 0 else "negativt utfall"
        reached, text = _holds(a, t, higher)
        return _binary(reached, f"{reason}, kvot går inte att använda: {text}", scale)
    if higher:
        return _ratio_result(a / t, f"utfall {_num(a)} / målvärde {_num(t)}", scale)
    # Mirrored, not målvärde / utfall: 10 % above a lower-is-better target then scores 90 %,
    # exactly like 10 % below a higher-is-better one, and utfall 0 stays defined.
    formula = f"lägre är bättre: 2 − utfall {_num(a)} / målvärde {_num(t)}"
    return _ratio_result((2 * t - a) / t, formula, scale)


def _counts(statuses: Sequence[str], scale: Scale) -> dict[str, int]:
    for s in statuses:
        scale.step(s)
    return {s: statuses.count(s) for s in scale.statuses if s in statuses}


def _counts_text(counts: dict[str, int], scale: Scale) -> str:
    return ", ".join(f"{n} {scale.label(s)}" for s, n in counts.items())


def _special_outcome(statuses: Sequence[str]) -> str:
    # Ej aktuell ones do not matter; if the rest agree, keep their reason; otherwise Ej mätt.
    rest = [s for s in statuses if s != EJ_AKTUELL]
    if not rest:
        return EJ_AKTUELL
    return rest[0] if all(s == rest[0] for s in rest) else EJ_MATT


def combine_indicators(
    results: Sequence[IndicatorResult], rule: str = "medel", scale: Scale = DEFAULT_SCALE
) -> GoalResult:
    """A goal's computed status from its indicators.

    - ``"medel"``: mean of the degrees, each capped at 1.0, over indicators with a degree;
    - ``"andel"``: share of those indicators at or above the step for 100 % → status by scale;
    - ``"svagast"``: the weakest indicator (lowest degree) decides.

    Special statuses never count. If no indicator has a degree: all Ej aktuell → Ej aktuell;
    else, ignoring Ej aktuell, one shared special (all Mäts vid helår, say) → that one; a mix →
    Ej mätt. No indicators at all → Ej mätt, ``rule`` "inga indikatorer". ``counts`` holds every
    indicator status present, in scale rank order (zero counts left out).
    """
    if rule not in COMBINE_RULES:
        raise ValueError(f"rule must be one of {', '.join(COMBINE_RULES)}, got {rule!r}")
    counts = _counts([r.status for r in results], scale)
    if not results:
        return GoalResult(None, EJ_MATT, "inga indikatorer", counts)
    assessed = []
    for r in results:
        if scale.is_step(r.status):
            if r.degree is None:
                raise ValueError(f"an indicator result with step status {r.status!r} has no degree")
            assessed.append(r)
    if not assessed:
        status = _special_outcome([r.status for r in results])
        text = f"ingen indikator kan bedömas ({_counts_text(counts, scale)})"
        return GoalResult(None, status, text, counts)
    skipped = len(results) - len(assessed)
    note = f"; {skipped} utan grad räknas inte" if skipped else ""
    degrees = [_dec(r.degree, "degree") for r in assessed]
    n = len(degrees)
    with localcontext() as ctx:
        ctx.prec = 28
        if rule == "medel":
            capped = [min(d, Decimal(1)) for d in degrees]
            degree = float(sum(capped) / n)
            terms = " + ".join(_pct(float(d), scale) for d in capped)
            text = f"medel (varje indikator högst 100{NBSP}%): ({terms}) / {n}"
        elif rule == "andel":
            top = scale.rank(scale.reached.status)
            hits = sum(1 for r in assessed if scale.rank(r.status) <= top)
            degree = float(Decimal(hits) / n)
            text = f"andel indikatorer {scale.reached.label}: {hits} av {n}"
        else:
            degree = float(min(degrees))
            text = "svagaste indikatorn"
    status = scale.step_for(degree).status
    return GoalResult(degree, status, f"{text} = {_pct(degree, scale)}{note}", counts)


def roll_up(
    child_statuses: Sequence[str | None], rule: str = "majoritet", scale: Scale = DEFAULT_SCALE
) -> Underlag:
    """Counts and a proposed status (förslag) from the statuses of the goals below.

    ``None`` (a child without any status yet) is counted as Ej mätt. Special statuses are counted
    but never vote. Rules over the voting children:

    - ``"majoritet"``: the most common step; a tie goes to the worse step;
    - ``"medel"``: mean of step points (best = number of steps − 1 … worst = 0), to the nearest
      step, a tie (exactly halfway) to the worse;
    - ``"svagast"``: the worst step present;
    - ``"andel"``: share of children at or above the step for 100 % → status by the scale.

    No voting children: the same special outcome as :func:`combine_indicators`. No children at
    all: ``proposal`` is ``None`` (no underlag). A goal with two parents is passed to both by the
    caller. ``counts`` as in :func:`combine_indicators`.
    """
    if rule not in ROLL_UP_RULES:
        raise ValueError(f"rule must be one of {', '.join(ROLL_UP_RULES)}, got {rule!r}")
    statuses = [EJ_MATT if s is None else s for s in child_statuses]
    counts = _counts(statuses, scale)
    if not statuses:
        return Underlag(counts, None, "inget underlag")
    voting = [s for s in statuses if scale.is_step(s)]
    if not voting:
        proposal = _special_outcome(statuses)
        text = f"ingen bedömning att väga ({_counts_text(counts, scale)})"
        return Underlag(counts, proposal, f"{text} → {scale.label(proposal)}")
    n = len(voting)
    steps = scale.steps
    if rule == "majoritet":
        best_n = max(voting.count(s.status) for s in steps)
        step = [s for s in steps if voting.count(s.status) == best_n][-1]
        text = f"flest: {step.label} ({best_n} av {n})"
    elif rule == "svagast":
        step = steps[max(scale.rank(s) for s in voting)]
        text = "svagaste underliggande"
    elif rule == "medel":
        top = len(steps) - 1
        mean = Fraction(sum(top - scale.rank(s) for s in voting), n)
        points = math.floor(mean) + (1 if mean - math.floor(mean) > Fraction(1, 2) else 0)
        step = steps[top - points]
        legend = ", ".join(f"{s.label} = {top - i}" for i, s in enumerate(steps))
        text = (
            f"medel av stegpoäng ({legend}): {sum(top - scale.rank(s) for s in voting)} / "
            f"{n} = {format_value(float(mean))}"
        )
    else:
        top_rank = scale.rank(scale.reached.status)
        hits = sum(1 for s in voting if scale.rank(s) <= top_rank)
        share = float(Fraction(hits, n))
        step = scale.step_for(share)
        text = f"andel {scale.reached.label}: {hits} av {n} = {_pct(share, scale)}"
    return Underlag(counts, step.status, f"{text} → {step.label}")


def needs_motivation(proposal: str | None, assessment: str | None) -> bool:
    """True when a bedömning is set and differs from the förslag (``None`` = no förslag).

    No bedömning yet (``None``) needs nothing; a bedömning without any förslag needs one, since
    nothing computed backs it.
    """
    return assessment is not None and assessment != proposal
