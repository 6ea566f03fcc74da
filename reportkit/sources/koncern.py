"""``koncern.csv``: the kommun's and its koncernföretag's own accounts (docs/koncern.md).

One row per figure: ``Företag`` (the kommun's own rows say ``Kommunen``, see
``koncern.kommunen``), ``Rapport`` (``RR``, ``BR``, ``KF``, ``Ägande``, ``Internt``), ``Post``
(a fixed id, :data:`POSTS`), ``Motpart`` (on ``Internt`` rows: the other party of an internal
item) and ``Belopp`` (tkr; ``Ägande`` in %). Each company's accounts are checked as they
come: the RR adds up to årets resultat, the BR balances, the kassaflöde ends in the likvida
medel; a fel names the file, row and column.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

from reportkit.errors import Problem, problem
from reportkit.formats import format_number
from reportkit.sources.context import PeriodCheck, ReadContext
from reportkit.sources.records import KoncernRow
from reportkit.sources.tables import Rows, Table, normalize_label

KOMMUN = "kommunen"
"""The kommun's own id in the koncern records (whatever the export's Företag column says)."""


@dataclass(frozen=True)
class Post:
    key: str
    statement: str  # RR, BR, KF
    label: str
    side: str = ""  # BR: "tillgång" or "skuld" (eget kapital, avsättningar, skulder)


POSTS: tuple[Post, ...] = (
    Post("verksamhetens_intäkter", "RR", "Verksamhetens intäkter"),
    Post("verksamhetens_kostnader", "RR", "Verksamhetens kostnader"),
    Post("avskrivningar", "RR", "Avskrivningar"),
    Post("skatteintäkter", "RR", "Skatteintäkter"),
    Post("generella_statsbidrag", "RR", "Generella statsbidrag och utjämning"),
    Post("finansiella_intäkter", "RR", "Finansiella intäkter"),
    Post("finansiella_kostnader", "RR", "Finansiella kostnader"),
    Post("skatt", "RR", "Skatt på årets resultat"),
    Post("årets_resultat", "RR", "Årets resultat"),
    Post("immateriella_anläggningstillgångar", "BR", "Immateriella anläggningstillgångar",
         "tillgång"),
    Post("mark_byggnader", "BR", "Mark, byggnader och tekniska anläggningar", "tillgång"),
    Post("maskiner_inventarier", "BR", "Maskiner och inventarier", "tillgång"),
    Post("finansiella_anläggningstillgångar", "BR", "Finansiella anläggningstillgångar",
         "tillgång"),
    Post("förråd", "BR", "Förråd", "tillgång"),
    Post("fordringar", "BR", "Fordringar", "tillgång"),
    Post("kortfristiga_placeringar", "BR", "Kortfristiga placeringar", "tillgång"),
    Post("kassa_bank", "BR", "Kassa och bank", "tillgång"),
    Post("eget_kapital", "BR", "Eget kapital", "skuld"),
    Post("avsättningar_pensioner", "BR", "Avsättningar för pensioner och liknande "
         "förpliktelser", "skuld"),
    Post("andra_avsättningar", "BR", "Andra avsättningar", "skuld"),
    Post("långfristiga_skulder", "BR", "Långfristiga skulder", "skuld"),
    Post("kortfristiga_skulder", "BR", "Kortfristiga skulder", "skuld"),
    Post("kassaflöde_löpande", "KF", "Medel från den löpande verksamheten"),
    Post("kassaflöde_investering", "KF", "Medel från investeringsverksamheten"),
    Post("kassaflöde_finansiering", "KF", "Medel från finansieringsverksamheten"),
    Post("likvida_medel_början", "KF", "Likvida medel vid årets början"),
    Post("likvida_medel_slut", "KF", "Likvida medel vid årets slut"),
)
POST = MappingProxyType({p.key: p for p in POSTS})
HOLDING = "andelar_i_koncernföretag"
"""An ``Internt`` post only: the owner's shares in the company it owns, booked under
finansiella anläggningstillgångar and eliminated against the company's eget kapital."""
BOOKED_ON = MappingProxyType({HOLDING: "finansiella_anläggningstillgångar"})


def booked(post: str) -> str:
    """The RR/BR/KF post an internal row's post is booked on (itself, or for
    :data:`HOLDING` finansiella anläggningstillgångar)."""
    return BOOKED_ON.get(post, post)

OWNERSHIP = ("ägarandel", "röstandel")
STATEMENTS = MappingProxyType({"rr": "RR", "br": "BR", "kf": "KF", "ägande": "ägande",
                               "internt": "internt"})
RESULT_PARTS = tuple(p.key for p in POSTS if p.statement == "RR" and p.key != "årets_resultat")
CASH_FLOWS = ("kassaflöde_löpande", "kassaflöde_investering", "kassaflöde_finansiering")


def parties(ctx: ReadContext) -> dict[str, str]:
    """Every text the Företag and Motpart columns may hold (normalised) → the party's id."""
    m = ctx.mapping.koncern
    known = {normalize_label(m.kommun): KOMMUN, KOMMUN: KOMMUN}
    for company in m.companies:
        known[normalize_label(company.id)] = company.id
        name = company.name or ctx.org.companies.get(company.id)
        if name:
            known[normalize_label(name)] = company.id
    return known


def read_koncern(table: Table, ctx: ReadContext, problems: list[Problem]) -> list[KoncernRow]:
    """The rows of ``koncern.csv``; every company's own accounts checked (module docs)."""
    m = ctx.mapping.koncern
    rows = Rows(table, problems, "koncern.kolumner")
    if not rows.require(m.columns, optional=("counterpart",)):
        return []
    known = parties(ctx)
    left_out = {c.id for c in m.companies if not c.included}
    check_period = PeriodCheck(ctx, rows)
    out: list[KoncernRow] = []
    broken: set[str] = set()  # a company with a row in fel: its sums are not checked
    for row, cells in table.rows:
        check_period(row, cells)
        before = len(problems)
        found = _row(rows, row, cells, known)
        if found is not None and found.company not in left_out:
            out.append(found)
        elif len(problems) > before:
            broken.add(known.get(normalize_label(rows.text(cells, "company") or ""), ""))
    for company in dict.fromkeys(r.company for r in out):
        if company not in broken:
            _check_accounts([r for r in out if r.company == company], rows, m.tolerance)
    _check_listed(out, ctx, rows)
    return out


def _row(rows: Rows, row: int, cells: tuple[object, ...], known: dict[str, str]
         ) -> KoncernRow | None:
    name = rows.text(cells, "company") or ""  # type: ignore[arg-type]
    company = known.get(normalize_label(name))
    if company is None:
        rows.fail("koncern-unknown-company", row, "company", name=name or "(tom)",
                  known=", ".join(sorted({v for v in known.values() if v != KOMMUN})))
        return None
    statement_text = rows.text(cells, "statement") or ""  # type: ignore[arg-type]
    statement = STATEMENTS.get(normalize_label(statement_text))
    if statement is None:
        rows.fail("export-invalid-value", row, "statement", value=statement_text,
                  reason="okänd rapport", expected="RR, BR, KF, Ägande eller Internt")
        return None
    post = normalize_label(rows.text(cells, "post") or "").replace(" ", "_")  # type: ignore
    allowed = OWNERSHIP if statement == "ägande" else tuple(
        p.key for p in POSTS if statement == "internt" or p.statement == statement) + (
        (HOLDING,) if statement == "internt" else ())
    if post not in allowed:
        rows.fail("export-invalid-value", row, "post", value=post or "(tom)",
                  reason=f"ingen post i {statement_text}",
                  expected="en av " + ", ".join(allowed))
        return None
    counterpart = ""
    if statement == "internt":
        other = rows.text(cells, "counterpart") or ""  # type: ignore[arg-type]
        counterpart = known.get(normalize_label(other), "")
        if not counterpart or counterpart == company:
            rows.fail("export-invalid-value", row, "counterpart", value=other or "(tom)",
                      reason="en intern post ska ha den andra parten i koncernen som motpart",
                      expected="kommunen eller ett annat koncernföretag")
            return None
    value = rows.number(row, cells, "amount")  # type: ignore[arg-type]
    if value is None:
        return None
    if value.value is None:
        rows.fail("export-not-number", row, "amount", value="(tom)")
        return None
    if statement == "ägande" and not 0 <= value.value <= 100:
        rows.fail("export-invalid-value", row, "amount", value=format_number(value.value, 1),
                  reason="en andel är mellan 0 och 100 %", expected="andelen i procent")
        return None
    if not rows.first((company, statement, post, counterpart), row, "post",
                      f"{name} {statement_text} {post} {counterpart}".rstrip()):
        return None
    return KoncernRow(company, statement, post, counterpart, value)


def amounts(rows: Iterable[KoncernRow], statement: str) -> dict[str, float]:
    return {r.post: r.value.value or 0.0 for r in rows if r.statement == statement}


def _check_accounts(own: list[KoncernRow], rows: Rows, tolerance: float) -> None:
    """RR posts add up to årets resultat; BR assets equal eget kapital, avsättningar and
    skulder; the kassaflöde from the likvida medel at the start to those at the end."""
    by_post = {(r.statement, r.post): r for r in own}
    rr, br, kf = (amounts(own, s) for s in ("RR", "BR", "KF"))
    result = by_post.get(("RR", "årets_resultat"))
    if result is not None:
        found = sum(rr.get(k, 0.0) for k in RESULT_PARTS)
        _compare(rows, result, found, "resultaträkningens poster mot årets resultat",
                 tolerance)
    if br:
        assets = sum(v for k, v in br.items() if POST[k].side == "tillgång")
        other = sum(v for k, v in br.items() if POST[k].side == "skuld")
        anchor = by_post.get(("BR", "eget_kapital")) or next(
            r for r in own if r.statement == "BR")
        if abs(assets - other) > tolerance:
            rows.fail("koncern-unbalanced", anchor.value.source.row, "amount",
                      company=_party_name(anchor.company), assets=_tkr(assets),
                      other=_tkr(other), diff=_tkr(assets - other))
    end = by_post.get(("KF", "likvida_medel_slut"))
    if end is not None and "likvida_medel_början" in kf:
        found = kf["likvida_medel_början"] + sum(kf.get(k, 0.0) for k in CASH_FLOWS)
        _compare(rows, end, found, "kassaflödet mot likvida medel vid årets slut", tolerance)


def _compare(rows: Rows, total: KoncernRow, found: float, what: str, tolerance: float) -> None:
    value = total.value.value or 0.0
    if abs(found - value) > tolerance:
        rows.fail("export-total-mismatch", total.value.source.row, "amount",
                  what=f"{_party_name(total.company)}, {what}", sum=_tkr(found),
                  total=_tkr(value), diff=_tkr(found - value))


def _check_listed(out: list[KoncernRow], ctx: ReadContext, rows: Rows) -> None:
    """Every company import.yaml includes has its accounts and its ägarandel/röstandel."""
    have = {(r.company, r.post) for r in out}
    for company in ctx.mapping.koncern.companies:
        if not company.included:
            continue
        missing = [k for k in ("årets_resultat", "eget_kapital", *OWNERSHIP)
                   if (company.id, k) not in have]
        if missing:
            rows.problems.append(problem(
                "koncern-company-incomplete", file=rows.table.file, company=company.id,
                missing=", ".join(missing)))


def _party_name(company: str) -> str:
    return "Kommunen" if company == KOMMUN else company


def _tkr(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 1)
