"""The sammanställda räkenskaper: proportional consolidation of the kommunal koncern (pure).

From ``koncern.csv`` (:mod:`reportkit.sources.koncern`) and ``koncern:`` in
``data/import.yaml``, following LKBR 12 kap and RKR R16 as docs/koncern.md cites them:

1. every koncernföretag listed with ``ingår`` (default) whose röstandel reaches the
   ``röstgräns`` (20 %) is consolidated; a dotterbolag through its owner, its share the
   product of the shares down the chain (100 % × 100 %);
2. **proportional consolidation**: the kommun's own accounts plus, for each company, its
   owned share of each RR, BR and KF post (a 40 % bolag adds 40 % of each post);
3. **eliminations**: each internal item (``Internt`` row) is taken out at the owned share
   of the smaller party (kommunen counts 100 %); an owner's holding of shares in the company
   it owns is taken out at the owner's own share, against the owned share of the company's
   eget kapital at acquisition (its ``Internt`` eget kapital row);
4. where the two parties' internal items differ after the share, a varning, and in the BR
   the difference is booked on eget kapital (``differens``), so the BR always balances.

Every step is a :class:`Step` with its export row (file, row, column), so ``explain``
goes from a koncern figure to the company's row; :func:`reconcile` gives the reconciliation
from the kommun's figure to the koncern's, its items adding up to the difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from reportkit.errors import Problem, problem
from reportkit.formats import format_number, format_percent
from reportkit.sources.koncern import HOLDING, KOMMUN, OWNERSHIP, POST, POSTS, booked
from reportkit.sources.koncern_config import KoncernMapping
from reportkit.sources.records import KoncernRow, SourceRef

if TYPE_CHECKING:
    from reportkit.sources.mapping import ImportMapping
    from reportkit.sources.records import ExportData
    from reportkit.styrmodell.config import Period
    from reportkit.styrmodell.model import Styrmodell

# (label, posts summed, kind): kind "" a post, "sum" a bold summa row
Layout = tuple[tuple[str, tuple[str, ...], str], ...]
_NET_COST = ("verksamhetens_intäkter", "verksamhetens_kostnader", "avskrivningar")
_OPERATING = (*_NET_COST, "skatteintäkter", "generella_statsbidrag")
_FINANCIAL = (*_OPERATING, "finansiella_intäkter", "finansiella_kostnader")
RR_LAYOUT: Layout = (
    ("Verksamhetens intäkter", ("verksamhetens_intäkter",), ""),
    ("Verksamhetens kostnader", ("verksamhetens_kostnader",), ""),
    ("Avskrivningar", ("avskrivningar",), ""),
    ("Verksamhetens nettokostnad", _NET_COST, "sum"),
    ("Skatteintäkter", ("skatteintäkter",), ""),
    ("Generella statsbidrag och utjämning", ("generella_statsbidrag",), ""),
    ("Verksamhetens resultat", _OPERATING, "sum"),
    ("Finansiella intäkter", ("finansiella_intäkter",), ""),
    ("Finansiella kostnader", ("finansiella_kostnader",), ""),
    ("Resultat efter finansiella poster", _FINANCIAL, "sum"),
    ("Skatt på årets resultat", ("skatt",), ""),
    ("Årets resultat", (*_FINANCIAL, "skatt"), "sum"),
)
ASSETS = tuple(p.key for p in POSTS if p.side == "tillgång")
FIXED = ASSETS[:4]
CURRENT = ASSETS[4:]
PROVISIONS = ("avsättningar_pensioner", "andra_avsättningar")
DEBTS = ("långfristiga_skulder", "kortfristiga_skulder")
OTHER_SIDE = ("eget_kapital", *PROVISIONS, *DEBTS)
BR_LAYOUT: Layout = (
    *((POST[k].label, (k,), "") for k in FIXED),
    ("Summa anläggningstillgångar", FIXED, "sum"),
    *((POST[k].label, (k,), "") for k in CURRENT),
    ("Summa omsättningstillgångar", CURRENT, "sum"),
    ("Summa tillgångar", ASSETS, "sum"),
    ("Eget kapital", ("eget_kapital",), "sum"),
    *((POST[k].label, (k,), "") for k in PROVISIONS),
    ("Summa avsättningar", PROVISIONS, "sum"),
    *((POST[k].label, (k,), "") for k in DEBTS),
    ("Summa skulder", DEBTS, "sum"),
    ("Summa eget kapital, avsättningar och skulder", OTHER_SIDE, "sum"),
)
KF_LAYOUT: Layout = (
    ("Medel från den löpande verksamheten", ("kassaflöde_löpande",), ""),
    ("Medel från investeringsverksamheten", ("kassaflöde_investering",), ""),
    ("Medel från finansieringsverksamheten", ("kassaflöde_finansiering",), ""),
    ("Årets kassaflöde", ("kassaflöde_löpande", "kassaflöde_investering",
                          "kassaflöde_finansiering"), "sum"),
    ("Likvida medel vid årets början", ("likvida_medel_början",), ""),
    ("Likvida medel vid årets slut", ("likvida_medel_slut",), "sum"),
)
RECONCILED = MappingProxyType({
    "årets_resultat": ("Årets resultat", RR_LAYOUT[-1][1]),
    "eget_kapital": ("Eget kapital", ("eget_kapital",)),
    "balansomslutning": ("Balansomslutning", ASSETS)})
"""The figures :func:`reconcile` takes from the kommun to the koncern: label and posts."""


@dataclass(frozen=True)
class Party:
    """The kommun or a koncernföretag. ``ownership`` and ``votes`` are the direct owner's
    shares (fractions); ``share`` the kommun's share through the chain (what is
    consolidated). ``reason`` says why a company is not consolidated."""

    id: str
    name: str
    kind: str
    owner: str
    ownership: float | None
    votes: float | None
    share: float
    included: bool
    reason: str = ""
    sources: tuple[SourceRef, ...] = ()


@dataclass(frozen=True)
class Step:
    """One step into a koncern figure: ``kind`` ``kommunen`` (the kommun's own post),
    ``andel`` (a company's post × its share), ``eliminering`` (an internal item × the
    share, negated) or ``differens`` (what the parties' internal items lack of agreeing,
    BR only, on eget kapital). ``amount`` is the step's effect on the koncern figure;
    ``own`` the export's amount; ``source`` its row."""

    post: str
    kind: str
    party: str
    counterpart: str
    own: float
    share: float
    amount: float
    source: SourceRef | None


@dataclass
class Koncern:
    parties: list[Party]
    steps: list[Step]
    problems: list[Problem] = field(default_factory=list)

    def party(self, party_id: str) -> Party | None:
        return next((p for p in self.parties if p.id == party_id), None)

    def name(self, party_id: str) -> str:
        found = self.party(party_id)
        return found.name if found is not None else party_id

    def kommun(self, post: str) -> float:
        return sum(s.amount for s in self.steps if s.post == post and s.kind == "kommunen")

    def total(self, post: str) -> float:
        return sum(s.amount for s in self.steps if s.post == post)

    def figure(self, posts: Iterable[str], *, kommun: bool = False) -> float:
        get = self.kommun if kommun else self.total
        return sum(get(p) for p in posts)

    @property
    def included(self) -> list[Party]:
        return [p for p in self.parties if p.included and p.id != KOMMUN]

    @property
    def has_cash_flow(self) -> bool:
        return any(POST[s.post].statement == "KF" for s in self.steps)


def consolidate(rows: Iterable[KoncernRow], mapping: KoncernMapping,
                names: Mapping[str, str] | None = None, kinds: Mapping[str, str] | None = None,
                kommun_name: str = "Kommunen") -> Koncern:
    """The koncern of ``rows`` (one period's ``koncern.csv``) by the module's rules.
    ``names`` and ``kinds`` are the styrmodell's (bolag id → name, typ) for companies whose
    ``namn``/``typ`` import.yaml leaves out."""
    rows = list(rows)
    problems: list[Problem] = []
    parties = _parties(rows, mapping, names or {}, kinds or {}, kommun_name, problems)
    by_id = {p.id: p for p in parties}
    steps: list[Step] = []
    for r in rows:
        party = by_id.get(r.company)
        if party is None or not party.included or r.statement not in ("RR", "BR", "KF"):
            continue
        if r.post == "årets_resultat":
            continue  # the sum of the RR's posts; checked when the export was read
        kind = "kommunen" if party.id == KOMMUN else "andel"
        value = r.value.value or 0.0
        steps.append(Step(r.post, kind, party.id, "", value, party.share,
                          party.share * value, r.value.source))
    steps.extend(_eliminations(rows, by_id, mapping.tolerance, problems))
    return Koncern(parties, steps, problems)


def _parties(rows: list[KoncernRow], mapping: KoncernMapping, names: Mapping[str, str],
             kinds: Mapping[str, str], kommun_name: str, problems: list[Problem]
             ) -> list[Party]:
    shares = {(r.company, r.post): r for r in rows if r.statement == "ägande"}
    with_accounts = {r.company for r in rows if r.statement in ("RR", "BR")}
    out: dict[str, Party] = {KOMMUN: Party(KOMMUN, kommun_name, "kommun", "", None, None,
                                           1.0, True)}
    pending = list(mapping.companies)
    while pending:  # owners before the companies they own
        ready = [c for c in pending if (c.owner or KOMMUN) in out] or pending[:1]
        for c in ready:
            pending.remove(c)
            owner = out.get(c.owner or KOMMUN)
            own_row, vote_row = (shares.get((c.id, k)) for k in OWNERSHIP)
            ownership = own_row.value.value / 100 if own_row and own_row.value.value is not None \
                else (c.ownership / 100 if c.ownership is not None else None)
            votes = vote_row.value.value / 100 if vote_row and vote_row.value.value is not None \
                else None
            share = (owner.share if owner else 0.0) * (ownership or 0.0)
            reason = _left_out(c.included, c.reason, owner, votes, mapping.threshold,
                               c.id in with_accounts)
            if reason.startswith("röstandel") and vote_row is not None:
                problems.append(problem(
                    "koncern-below-threshold", file=vote_row.value.source.file,
                    row=vote_row.value.source.row, column=vote_row.value.source.column,
                    company=c.name or names.get(c.id, c.id),
                    votes=format_number((votes or 0) * 100, 1),
                    threshold=format_number(mapping.threshold, 0)))
            out[c.id] = Party(
                c.id, c.name or names.get(c.id, c.id), c.kind or kinds.get(c.id, "bolag"),
                c.owner or KOMMUN, ownership, votes, share, not reason, reason,
                tuple(r.value.source for r in (own_row, vote_row) if r is not None))
    return _tree_order(list(out.values()))


def _tree_order(parties: list[Party]) -> list[Party]:
    """The kommun, then each company followed by the companies it owns (import.yaml order)."""
    out: list[Party] = []

    def walk(owner: str) -> None:
        for p in parties:
            if p.owner == owner and p not in out:
                out.append(p)
                walk(p.id)

    out.append(parties[0])
    walk(KOMMUN)
    return out + [p for p in parties if p not in out]


def _left_out(included: bool, reason: str | None, owner: Party | None, votes: float | None,
              threshold: float, has_accounts: bool) -> str:
    if not included:
        return reason or ""
    if owner is None or not owner.included:
        return "ägaren ingår inte i de sammanställda räkenskaperna"
    if votes is not None and votes * 100 < threshold:
        return f"röstandel {format_percent(votes, 1)}, under {format_number(threshold, 0)} %"
    if not has_accounts:
        return "räkenskaperna saknas i exporten"
    return ""


def _share_of(row: KoncernRow, by_id: Mapping[str, Party]) -> float:
    """The share an internal row is eliminated at (module docs, step 3)."""
    mine, other = by_id[row.company], by_id[row.counterpart]
    if row.post == HOLDING and other.owner == mine.id:
        return mine.share
    return min(mine.share, other.share)


def _pair(a: str, b: str) -> tuple[str, str]:
    """Two parties in a fixed order, the kommun first."""
    first, second = sorted((a, b), key=lambda x: (x != KOMMUN, x))
    return first, second


def _sign(post: str) -> float:
    """+1 for a tillgång (and RR, KF), −1 for the other side of the BR: internal items of
    two parties cancel when their signed amounts add up to 0."""
    return -1.0 if POST[post].side == "skuld" else 1.0


def _eliminations(rows: list[KoncernRow], by_id: Mapping[str, Party], tolerance: float,
                  problems: list[Problem]) -> list[Step]:
    steps: list[Step] = []
    pairs: dict[tuple[str, str, str], list[tuple[float, KoncernRow]]] = {}
    for r in rows:
        if r.statement != "internt":
            continue
        mine, other = by_id.get(r.company), by_id.get(r.counterpart)
        if mine is None or other is None or not (mine.included and other.included):
            continue  # an item towards a company outside the koncern is not internal
        share = _share_of(r, by_id)
        value = r.value.value or 0.0
        post = booked(r.post)
        steps.append(Step(post, "eliminering", r.company, r.counterpart, value, share,
                          -share * value, r.value.source))
        key = (*_pair(r.company, r.counterpart), POST[post].statement)
        pairs.setdefault(key, []).append((share * value * _sign(post), r))
    for (first, second, statement), items in pairs.items():
        diff = sum(v for v, _ in items)
        if abs(diff) <= tolerance:
            continue
        problems.append(problem(
            "koncern-internal-mismatch", file=items[0][1].value.source.file,
            first=by_id[first].name, second=by_id[second].name, statement=statement,
            diff=format_number(diff, 0),
            rows=", ".join(f"rad {r.value.source.row}" for _, r in items)))
        if statement == "BR":
            steps.append(Step("eget_kapital", "differens", first, second, diff, 1.0, -diff,
                              None))
    return steps


@dataclass(frozen=True)
class Item:
    """One row of a reconciliation: ``amount`` in tkr, ``sources`` its export rows."""

    label: str
    amount: float
    sources: tuple[SourceRef, ...] = ()
    total: bool = False
    key: str = ""
    """``kommunen``, ``andel:<id>``, ``eliminering:<a>:<b>`` or ``koncernen``: the same
    item in the reconciliations of other figures has the same key."""


def reconcile(k: Koncern, key: str) -> list[Item]:
    """From the kommun's figure ``key`` (:data:`RECONCILED`) to the koncern's: the kommun's,
    each company's owned share, the eliminations per pair of parties, the differences, and
    the koncern's. The items between the first and the last add up to the difference."""
    label, posts = RECONCILED[key]
    wanted = set(posts)
    own = [s for s in k.steps if s.post in wanted]
    out = [Item(f"{label}, kommunen", sum(s.amount for s in own if s.kind == "kommunen"),
                tuple(s.source for s in own if s.kind == "kommunen" and s.source), True,
                "kommunen")]
    for party in k.included:
        mine = [s for s in own if s.kind == "andel" and s.party == party.id]
        if mine:
            out.append(Item(f"{party.name}, ägd andel {format_percent(party.share, 0)}",
                            sum(s.amount for s in mine),
                            tuple(s.source for s in mine if s.source), key=f"andel:{party.id}"))
    pairs: dict[tuple[str, str], list[Step]] = {}
    for s in own:
        if s.kind in ("eliminering", "differens"):
            pairs.setdefault(_pair(s.party, s.counterpart), []).append(s)
    for (a, b), steps in pairs.items():
        if abs(sum(s.amount for s in steps)) < 0.05:
            continue  # internal items that cancel within the figure (a sale and a purchase)
        what = "Elimineringsdifferens" if all(s.kind == "differens" for s in steps) \
            else "Eliminering av interna poster"
        out.append(Item(f"{what} {k.name(a)} – {k.name(b)}", sum(s.amount for s in steps),
                        tuple(s.source for s in steps if s.source), key=f"eliminering:{a}:{b}"))
    out.append(Item(f"{label}, koncernen", sum(s.amount for s in own), (), True, "koncernen"))
    return out


def key_figures(k: Koncern, *, kommun: bool = False) -> dict[str, float | None]:
    """The koncern's (or, ``kommun=True``, the kommun's) figures for the flerårsöversikt and
    the analysis of the ekonomisk ställning, in tkr and %."""
    assets = k.figure(ASSETS, kommun=kommun)
    equity = k.figure(("eget_kapital",), kommun=kommun)
    investing = k.figure(("kassaflöde_investering",), kommun=kommun)
    return {
        "verksamhetens_intäkter": k.figure(("verksamhetens_intäkter",), kommun=kommun),
        "verksamhetens_kostnader": k.figure(("verksamhetens_kostnader",), kommun=kommun),
        "årets_resultat": k.figure(RR_LAYOUT[-1][1], kommun=kommun),
        "balansomslutning": assets,
        "eget_kapital": equity,
        "soliditet": equity / assets * 100 if assets else None,
        "långfristiga_skulder": k.figure(("långfristiga_skulder",), kommun=kommun),
        "avsättningar_pensioner": k.figure(("avsättningar_pensioner",), kommun=kommun),
        "investeringar": -investing if k.has_cash_flow else None,
    }


def statement_rows(k: Koncern, layout: Layout) -> list[tuple[str, float, float, str]]:
    """``(label, kommunen, koncernen, kind)`` per row of a statement's layout, tkr."""
    return [(label, k.figure(posts, kommun=True), k.figure(posts), kind)
            for label, posts, kind in layout]


def company_figures(rows: Iterable[KoncernRow], company: str) -> dict[str, float]:
    """A company's own (100 %) RR and BR amounts, by post."""
    return {r.post: r.value.value or 0.0 for r in rows
            if r.company == company and r.statement in ("RR", "BR", "KF")}


def explain_lines(k: Koncern, ref: str) -> list[str] | None:
    """``koncern:<post>`` (a post of :data:`reportkit.sources.koncern.POSTS`) or
    ``koncern:<årets_resultat|eget_kapital|balansomslutning>`` down to the export rows;
    ``None`` for an unknown post."""
    def where(source: SourceRef | None) -> str:
        return "" if source is None else \
            f" [{source.file}, rad {source.row}, kolumn {source.column}]"

    key = ref.strip().casefold().replace(" ", "_")
    if key in RECONCILED:
        items = reconcile(k, key)
        out = [f"Koncernen, {RECONCILED[key][0].lower()}: {_tkr(items[-1].amount)}"]
        for item in items[:-1]:
            out.append(f"  {item.label}: {_tkr(item.amount)}")
            out.extend(f"    {where(s).strip()}" for s in item.sources[:12])
        return out
    if key not in POST or key == "årets_resultat":
        return None
    steps = [s for s in k.steps if s.post == key]
    out = [f"Koncernen, {POST[key].label.lower()}: {_tkr(k.total(key))}"]
    for s in steps:
        if s.kind == "kommunen":
            text = f"Kommunen: {_tkr(s.amount)}"
        elif s.kind == "andel":
            text = (f"+ {k.name(s.party)}, {format_percent(s.share, 0)} av {_tkr(s.own)} = "
                    f"{_tkr(s.amount)}")
        elif s.kind == "eliminering":
            text = (f"− eliminering {k.name(s.party)} mot {k.name(s.counterpart)}, "
                    f"{format_percent(s.share, 0)} av {_tkr(s.own)} = {_tkr(s.amount)}")
        else:
            text = (f"elimineringsdifferens {k.name(s.party)} – {k.name(s.counterpart)}: "
                    f"{_tkr(s.amount)}")
        out.append(f"  {text}{where(s.source)}")
    return out


def explain(model: Styrmodell, period: Period | None, data: ExportData,
            mapping: ImportMapping, arg: str, interim: bool) -> list[str] | None:
    """``reportkit explain koncern:<post>`` (:func:`explain_lines`) on a period's loaded
    ``koncern.csv``."""
    names = {u.id: u.name for u in model.units.values()}
    kinds = {u.id: u.kind for u in model.units.values()}
    k = consolidate(data.koncern, mapping.koncern, names, kinds, model.kommun.name)
    return explain_lines(k, arg)


def _tkr(value: float) -> str:
    decimals = 0 if float(value).is_integer() else 1
    return f"{format_number(value, decimals, unicode_minus=True)} tkr"
