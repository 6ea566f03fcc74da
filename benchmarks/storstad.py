"""Storstad: a seeded, fictive large kommun as a complete reportkit project, for the benchmarks.

    python benchmarks/storstad.py                      # into benchmarks/.storstad (git-ignored)
    python benchmarks/storstad.py --out /tmp/storstad --jobs 2
    python benchmarks/storstad.py --simulate          # filled by reportkit.demo.simulate (openpyxl)
    python benchmarks/storstad.py --enheter 3000      # another size (the scaling fit)

or from Python: ``make_storstad(Path("/tmp/storstad"))`` (``benchmarks/`` on ``sys.path``).

What it writes, the same every time (seeded):

- ``styrmodell/2026.yaml``: 12 nämnder and 3 bolag (15), 120 verksamheter (10 per nämnd, one
  per stadsdel), 1,500 enheter (12 or 13 per verksamhet); with ``--enheter N`` N enheter under
  about N / 12.5 verksamheter (at least one per nämnd). Each verksamhet has four
  verksamhetsmål with five indicators measured at every enhet; each enhet has two enhetsmål with
  two indicators of its own: 24 indicators per enhet. The head of the file (kommun, nivåer,
  bedömning, perioder, KF-mål) and the YAML writer with its explaining comments are
  ``fixtures/make_exempelkommun.py``'s;
- ``historik/utfall.csv``: four years (2022–2025) of every indicator at every unit measuring it;
- ``data/2026-delår/``, ``data/2026-helår/``, ``data/2026-plan/`` and ``data/import.yaml``:
  drift per nämnd and verksamhet, investeringar, sjukfrånvaro per verksamhet and group, KF's
  ramar, investeringsplan, nyckeltal, bolag and the financial statements, written by
  ``fixtures/make_economy.py``'s functions with Storstad's organisation;
- ``inkommet/2026-helår/``: the filled workbooks of every level (1,636: 1,500 enheter, 120
  verksamheter, 15 nämnder and bolag, the kommun), in ``--jobs`` worker processes. Each is
  written filled in one xlsxwriter pass: ``reportkit.demo.simulate``'s filler (its usual share of
  mistakes, ten activities each, the same seed) decides the answers on the workbook's content,
  and ``generate_workbook`` writes them as the prefill of the input cells: the same values, as
  ``reportkit check`` reads them, as the simulator writes, at about half the cost;
- ``utskick/2026-helår/``: the blank workbooks of :data:`BLANK` only.

``--simulate`` takes the old, slower way that changes the files as a unit's spreadsheet program
would: every workbook generated blank into ``utskick/`` by
``reportkit.outputs.outbox.generate_workbooks``, then loaded, filled and saved by
``reportkit.demo.simulate`` with openpyxl.

Prints the seconds each step took; the issue's bound for the whole is 60 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import shutil
import sys
import time
import types
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "fixtures"))

import make_economy as me  # noqa: E402
import make_exempelkommun as mx  # noqa: E402

DEFAULT_OUT = REPO / "benchmarks" / ".storstad"
PERIOD = f"{mx.YEAR}-helår"
HISTORY_YEARS = (2022, 2023, 2024, 2025)
DOMAIN = "storstad.se"
ACTIVITIES_PER_UNIT = 10
SEED = 2026  # reportkit.demo.simulate's default seed: the answers are the ones it would write
# the blank workbooks written into utskick/ besides the filled ones (with --simulate: all);
# bench_consolidate.py fills ekbackens-forskola's again as "one workbook changed"
BLANK = ("kommun", "FSN", "fsn-soder", "ekbackens-forskola")

DISTRICTS = ["Norr", "Söder", "Öster", "Väster", "Centrum", "Hamnen", "Dalen", "Kusten",
             "Åsen", "Slätten"]
PLACES = ["Ekbacken", "Björkhagen", "Lindvreten", "Almdalen", "Granlunda", "Tallbacken",
          "Rosendal", "Solhem", "Vallby", "Strandvik", "Kvarnholmen", "Mossen", "Hagaberg",
          "Brofästet", "Lövsta", "Ängsby", "Norrmalm", "Sjöstaden", "Stenhagen", "Fågelsång",
          "Kullen", "Bergsjön", "Lärkstaden", "Hästhagen", "Vårby", "Fruängen", "Ekudden",
          "Torpet", "Gärdet", "Källbrunn", "Ljungby", "Östermalm", "Västerhöjd", "Sandvik",
          "Enskede", "Myrängen", "Skogsåsen", "Furuvik", "Hammarby", "Dammtorp"]
# what the enheter of a verksamhet are called, per verksamhet template (make_exempelkommun's)
UNIT_NAMES = {
    "forskola": "{place}s förskola", "skola": "{place}skolan", "gymnasium": "{place}gymnasiet",
    "omsorg": "{place}s omsorg", "ifo": "Socialtjänst {place}", "arbete": "Jobbtorg {place}",
    "kultur": "{place}s kulturhus", "myndighet": "Handläggning {place}",
    "stod": "Stödenhet {place}", "teknik": "Driftenhet {place}",
}
# nämnd id, name, ansvar, the verksamhet templates of its ten verksamheter (alternating), ram
COMMITTEES = [
    ("KS", "Kommunstyrelsen", "10", ["stod", "teknik"], 1_850_000),
    ("FSN", "Förskolenämnden", "11", ["forskola"], 4_200_000),
    ("GSN", "Grundskolenämnden", "12", ["skola"], 7_900_000),
    ("GYN", "Gymnasienämnden", "13", ["gymnasium"], 2_600_000),
    ("ALN", "Äldrenämnden", "14", ["omsorg"], 6_800_000),
    ("FUN", "Funktionsstödsnämnden", "15", ["omsorg", "stod"], 3_100_000),
    ("SON", "Socialnämnden", "16", ["ifo"], 2_900_000),
    ("AMN", "Arbetsmarknadsnämnden", "17", ["arbete"], 1_200_000),
    ("KUN", "Kulturnämnden", "18", ["kultur"], 800_000),
    ("IDN", "Idrotts- och fritidsnämnden", "19", ["kultur", "teknik"], 950_000),
    ("SBN", "Stadsbyggnadsnämnden", "20", ["myndighet", "teknik"], 600_000),
    ("MHN", "Miljö- och hälsoskyddsnämnden", "21", ["myndighet"], 250_000),
]
COMPANIES = [("STBO", "Storstads Bostads AB"), ("STEN", "Storstad Energi AB"),
             ("STHA", "Storstads Hamn AB")]
TEMPLATE_LABEL = {
    "forskola": "Förskola", "skola": "Grundskola", "gymnasium": "Gymnasium",
    "omsorg": "Omsorg", "ifo": "Individ- och familjeomsorg", "arbete": "Arbetsmarknad",
    "kultur": "Kultur och fritid", "myndighet": "Myndighetsutövning", "stod": "Verksamhetsstöd",
    "teknik": "Teknisk förvaltning",
}
# (name, unit, direction, target type, target, typical, aggregation): extra indicators that
# fill a verksamhetsmål up to five, per goal kind
POOLS = {
    "kvalitet": [("Invånare som är nöjda med bemötandet", "%", "högre", "kvot", 90, 86, "medel"),
                 ("Synpunkter besvarade inom fem arbetsdagar", "%", "högre", "kvot", 95, 90,
                  "medel"),
                 ("Avvikelser som åtgärdats inom 14 dagar", "%", "högre", "kvot", 90, 84,
                  "medel"),
                 ("Genomförda egenkontroller enligt plan", "%", "högre", "kvot", 100, 93,
                  "medel")],
    "arbetsmiljö": [("Sjukfrånvaro i enheten", "%", "lägre", "kvot", 6, 7.1, "medel"),
                    ("Korttidssjukfrånvaro, dag 1–14", "%", "lägre", "kvot", 2.5, 2.9, "medel"),
                    ("Hållbart medarbetarengagemang (HME)", "index", "högre", "kvot", 80, 77,
                     "medel"),
                    ("Medarbetare med genomfört medarbetarsamtal", "%", "högre", "kvot", 100, 91,
                     "medel"),
                    ("Personalomsättning", "%", "lägre", "kvot", 10, 12.5, "medel")],
    "klimat": [("Energianvändning i lokalerna", "kWh/m²", "lägre", "kvot", 140, 151, "medel"),
               ("Andel fossilfria resor i tjänsten", "%", "högre", "kvot", 80, 71, "medel"),
               ("Andel ekologiska livsmedel", "%", "högre", "kvot", 40, 34, "medel"),
               ("Matsvinn per portion", "gram", "lägre", "kvot", 40, 47, "medel"),
               ("Antal utbildade miljöombud", "antal", "högre", "minst", 2, 2, "summa")],
    "ekonomi": [("Kostnad per invånare, index", "index", "lägre", "kvot", 100, 103, "medel"),
                ("Fakturor betalda i rätt tid", "%", "högre", "kvot", 98, 95, "medel"),
                ("Genomförda internkontrollpunkter", "%", "högre", "kvot", 100, 92, "medel"),
                ("Inköp hos avtalade leverantörer", "%", "högre", "kvot", 95, 88, "medel"),
                ("Timmar med övertid per årsarbetare", "antal", "lägre", "kvot", 20, 26,
                 "medel")],
}
# verksamhetsmål 2–4 (the first is make_exempelkommun's OP_GOAL): name, pool, nämndmål index
OP_GOALS_MORE = [("Medarbetarna är friska, engagerade och stannar kvar", "arbetsmiljö", 1),
                 ("Verksamheten använder resurserna klimatsmart", "klimat", 2),
                 ("Verksamheten håller budget och har en god intern kontroll", "ekonomi", 0)]
# nämndmål: name, area, KF parents, two indicators of the nämnd's own
COMMITTEE_GOALS = [
    ("Invånarna får en verksamhet med god kvalitet och ett gott bemötande", "verksamhet",
     ["KF2", "KF3"], [("Nöjd medborgar-index för nämndens verksamhet", "index", "högre", "kvot",
                       62, 58), ("Synpunkter som besvarats inom en vecka", "%", "högre", "kvot",
                                 95, 89)]),
    ("Nämndens medarbetare har en god och hälsosam arbetsmiljö", "arbetsmiljo", ["KF4"],
     [("Sjukfrånvaro i förvaltningen", "%", "lägre", "kvot", 6.5, 7.3),
      ("HME-index i förvaltningen", "index", "högre", "kvot", 80, 78)]),
    ("Nämndens verksamhet minskar sin klimatpåverkan", "hallbarhet", ["KF5"],
     [("Andel fossilfria fordon i förvaltningen", "%", "högre", "kvot", 80, 69),
      ("Energianvändning i förvaltningens lokaler", "kWh/m²", "lägre", "kvot", 135, 148)]),
]
COMPANY_GOALS = [
    ("Bolaget erbjuder en god service till sina kunder", "verksamhet", ["KF2"],
     [("Kunder som är nöjda med bolaget", "%", "högre", "kvot", 85, 82)]),
    ("Bolaget minskar sin klimatpåverkan", "hallbarhet", ["KF5"],
     [("Energianvändning i bolagets fastigheter", "kWh/m²", "lägre", "kvot", 130, 139)]),
]
UNIT_GOAL_2 = ("Vi har en god arbetsmiljö där alla bidrar", [
    ("Medarbetare som rekommenderar arbetsplatsen", "%", "högre", "kvot", 80, 74),
    ("Arbetsplatsträffar genomförda enligt plan", "%", "högre", "kvot", 100, 92)])


UNITS = 1_500  # enheter by default: Storstad as docs/performance.md measures it
UNITS_PER_OP = 12.5  # about as many enheter per verksamhet at any size


class Org:
    """Storstad's organisation as plain data, shared by the YAML and the exports.

    ``units`` enheter (default :data:`UNITS`) under about one verksamhet per
    :data:`UNITS_PER_OP` enheter, at least one per nämnd, spread evenly over the 12 nämnder;
    the first verksamheter get one enhet more when they do not divide evenly. At 1,500: 120
    verksamheter (10 per nämnd, one per stadsdel), 60 with 13 enheter and 60 with 12."""

    def __init__(self, units: int = UNITS) -> None:
        if units < 1:
            raise ValueError(f"at least one enhet, not {units}")
        self.committees: list[dict] = []
        used: set[str] = set()
        ops_total = max(len(COMMITTEES), round(units / UNITS_PER_OP))
        per_unit, extra_units = divmod(units, ops_total)
        per_committee, extra_ops = divmod(ops_total, len(COMMITTEES))
        n_op = 0
        for c, (cid, cname, code, templates, ram) in enumerate(COMMITTEES):
            ops = []
            n_ops = per_committee + (1 if c < extra_ops else 0)
            for d in range(n_ops):
                # the stadsdelar again, numbered, when a nämnd has more than ten verksamheter
                district = DISTRICTS[d % len(DISTRICTS)] + (
                    f" {d // len(DISTRICTS) + 1}" if d >= len(DISTRICTS) else "")
                tkey = templates[d % len(templates)]
                ocode = f"{code}{d}" if n_ops <= 10 else f"{code}{d:02d}"
                count = per_unit + (1 if n_op < extra_units else 0)
                n_op += 1
                units_of_op = []
                for u in range(count):
                    place = PLACES[(d * 13 + u * 7 + int(code)) % len(PLACES)]
                    name = UNIT_NAMES[tkey].format(place=place)
                    uid, k = mx.slug(name)[:20].strip("-"), 1
                    while uid in used:  # the same place under another nämnd: number it
                        k += 1
                        name = f"{UNIT_NAMES[tkey].format(place=place)} {k}"
                        uid = f"{mx.slug(name)[:17].strip('-')}-{k}"
                    used.add(uid)
                    units_of_op.append((uid, name, f"{ocode}{u + 1:02d}"))
                ops.append({"id": f"{cid.lower()}-{mx.slug(district)}", "code": ocode,
                            "name": f"{TEMPLATE_LABEL[tkey]} {district}",
                            "template": tkey, "units": units_of_op})
            self.committees.append({"id": cid, "name": cname, "code": code, "ram": ram,
                                    "ops": ops})

    @property
    def units(self) -> int:
        return sum(len(o["units"]) for c in self.committees for o in c["ops"])

    @property
    def ops(self) -> int:
        return sum(len(c["ops"]) for c in self.committees)


def _count(n: int) -> str:
    """``1 500``: a count as the styrmodell's comments write it."""
    return f"{n:,}".replace(",", " ")


def styrmodell(org: Org) -> mx.Writer:
    """The styrmodell YAML and the history rows, in a make_exempelkommun Writer."""
    wr = mx.Writer(history_years=HISTORY_YEARS, seed=4120, domain=DOMAIN)
    rng = random.Random(41)
    mx.head(wr, name="Storstad", code="9998", inhabitants=412_380, chef="Birgitta Strandberg",
            vision=["Storstad 2035 – en stad för alla, där stadsdelarna växer ihop, barn och",
                    "unga lyckas i skolan och den som behöver stöd får det i tid."])
    wr.w(0, "")
    wr.w(0, f"# Nämnder och bolag ({len(org.committees) + len(COMPANIES)}) med verksamheter "
            f"({_count(org.ops)}) och enheter ({_count(org.units)}).")
    wr.kv(0, "fil", "nämnder")
    used: set[str] = set()

    def person() -> str:
        for _ in range(100):
            name = f"{rng.choice(mx.FIRST)} {rng.choice(mx.LAST)}"
            if name not in used:
                used.add(name)
                return name
        name = f"{rng.choice(mx.FIRST)} {rng.choice(mx.LAST)}-{rng.choice(mx.LAST)}"
        used.add(name)
        return name

    for c in org.committees:
        cid = c["id"]
        wr.org(1, "nämnd", cid, c["name"], c["code"], person())
        goal_ids = []
        for g, (gname, area, parents, inds) in enumerate(COMMITTEE_GOALS):
            gid = f"{cid}-M{g + 1}"
            goal_ids.append(gid)
            wr.goal(3, gid, gname, area=area, parents=parents, specific="nämndmål")
            for i, (iname, unit, direction, ttype, target, typical) in enumerate(inds):
                wr.indicator(5, f"{gid}-I{i + 1}", iname, unit, direction, ttype, target,
                             typical, owner=cid)
        wr.kv(2, "nämnd", "verksamheter")
        for op in c["ops"]:
            tkey = op["template"]
            wr.org(3, "verksamhet", op["id"], op["name"], op["code"], person())
            unit_ids = [uid for uid, _, _ in op["units"]]
            first_name, first_index = mx.OP_GOAL[tkey]
            template_inds = mx.TEMPLATES[tkey]
            goals = [(first_name, template_inds + POOLS["kvalitet"][:5 - len(template_inds)],
                      first_index)]
            goals += [(name, POOLS[pool][:5], index) for name, pool, index in OP_GOALS_MORE]
            vgids = []
            for v, (gname, inds, index) in enumerate(goals):
                vgid = f"{op['id'].upper()}-V{v + 1}"
                vgids.append(vgid)
                wr.goal(5, vgid, gname, parents=[goal_ids[min(index, len(goal_ids) - 1)]],
                        specific="verksamhetsmål")
                for i, (iname, unit, direction, ttype, target, typical, agg) in enumerate(inds):
                    wr.indicator(7, f"{vgid}-I{i + 1}", iname, unit, direction, ttype, target,
                                 typical, measured_at="enhet", aggregation=agg, units=unit_ids,
                                 specific="verksamhetsindikator",
                                 explicit=("verksamhetsindikator", "mäts_på") not in wr.seen)
            wr.kv(4, "verksamhet", "enheter")
            for uid, uname, ucode in op["units"]:
                wr.org(5, "enhet", uid, uname, ucode, person())
                for e, (gname, inds) in enumerate((mx.UNIT_GOAL[tkey], UNIT_GOAL_2)):
                    ugid = f"{uid}-E{e + 1}"
                    wr.goal(7, ugid, gname, parents=[vgids[e]], specific="enhetsmål")
                    for i, (iname, unit, direction, ttype, target, typical) in enumerate(inds):
                        wr.indicator(9, f"{ugid}-I{i + 1}", iname, unit, direction, ttype,
                                     target, typical, owner=uid)
    for cid, cname in COMPANIES:
        wr.org(1, "nämnd", cid, cname, None, person(), kind="bolag")
        for g, (gname, area, parents, inds) in enumerate(COMPANY_GOALS):
            gid = f"{cid}-M{g + 1}"
            wr.goal(3, gid, gname, area=area, parents=parents, specific="nämndmål")
            for i, (iname, unit, direction, ttype, target, typical) in enumerate(inds):
                wr.indicator(5, f"{gid}-I{i + 1}", iname, unit, direction, ttype, target,
                             typical, owner=cid)
    return wr


def exports(org: Org, out: Path) -> None:
    """``data/``: make_economy's exports with Storstad's nämnder, verksamheter and projects."""
    rng = random.Random(41_2026)
    me.COMMITTEES = []
    me.STAFF = {}
    me.DEVIATION = {}
    me.PROJECTS = []
    me.DRIFT_VARIANT.clear()
    for c in org.committees:
        weights = [rng.uniform(0.6, 1.4) for _ in c["ops"]]
        shares = [w / sum(weights) for w in weights]
        me.COMMITTEES.append((c["code"], c["name"], c["ram"],
                              [(op["code"], op["name"], share, 0)
                               for op, share in zip(c["ops"], shares, strict=True)]))
        for op, share in zip(c["ops"], shares, strict=True):
            me.STAFF[op["code"]] = (max(12, round(c["ram"] * share / 850)),
                                    round(rng.uniform(0.35, 0.92), 2))
            if rng.random() < 0.3:
                me.DEVIATION[op["code"]] = round(rng.uniform(-0.03, 0.05), 3)
        for p in range(5):
            budget = round(c["ram"] * rng.uniform(0.002, 0.02))
            decided = round(budget * rng.uniform(2, 4)) if p < 2 else None
            me.PROJECTS.append((f"P26{c['code']}{p}", f"{c['name']}, projekt {p + 1}",
                                c["code"], budget, decided))
    data = out / "data"
    drift_rows = me.drift(rng)
    inv_rows, inv_totals = me.investments(rng)
    hr_rows = me.personnel(rng)
    kf = me.key_figures(inv_totals)
    for pid in me.PERIODS:
        folder = data / pid
        helar = pid.endswith("helår")
        head = ["Period", "Nivå", "Ansvar", "Benämning", "KF-ram", "Internbudget",
                "Anslagsförändringar", "Utfall perioden"]
        me.write_csv(folder / "ekonomi-drift.csv", head if helar else [*head, "Helårsprognos"],
                     drift_rows[pid], "utf-8-sig")
        me.write_csv(folder / "ekonomi-investeringar.csv",
                     ["Period", "Projekt-id", "Projekt", "Ansvar", "Budget", "Utfall", "Prognos",
                      "Beslutad totalutgift", "Beräknad totalutgift", "Flerårigt"],
                     inv_rows[pid], "utf-8-sig")
        me.write_csv(folder / "hr-sjukfranvaro.csv", me.HR_HEADER,
                     me.hr_csv(hr_rows[pid], " "), "utf-8-sig")
        header, lines = kf[pid]
        me.write_csv(folder / "nyckeltal.csv", header, lines, "utf-8-sig")
        me.plans(folder)
        companies = [[str(year), cid, me.fmt(turnover * k), me.fmt(result * k),
                      me.fmt(assets * k), me.fmt(19.1 + k, 1), str(round(staff * k))]
                     for cid, turnover, result, assets, staff in
                     [("STBO", 2_412_000, 131_000, 18_400_000, 410),
                      ("STEN", 3_905_000, 212_000, 9_800_000, 620),
                      ("STHA", 512_000, 38_000, 2_100_000, 140)]
                     for year, k in ((2024, 0.94), (2025, 0.97), (2026, 1.0))
                     if helar or year < 2026]
        me.write_csv(folder / "bolag.csv", ["År", "Bolag", "Omsättning tkr",
                                            "Resultat efter finansiella poster tkr",
                                            "Balansomslutning tkr", "Soliditet %",
                                            "Antal anställda"], companies, "utf-8-sig")
        me.statements(folder / f"finansiella-rapporter-{pid.split('-', 1)[1]}.docx", helar)
    me.plans(data / "2026-plan")
    shutil.copyfile(REPO / "fixtures" / "exempelkommun" / "data" / "import.yaml",
                    data / "import.yaml")


def _fill_ten_activities() -> None:
    """Make ``reportkit.demo.simulate`` write :data:`ACTIVITIES_PER_UNIT` activities per workbook
    (it draws 2–4): the number it draws is the first ``randint(2, 4)`` of fill_activities."""
    from reportkit.demo import simulate

    base = simulate._Filler
    if getattr(base, "storstad", False):
        return

    class Filler(base):  # type: ignore[misc, valid-type]
        storstad = True

        def fill_activities(self) -> None:
            draw = self.rng.randint

            def randint(a: int, b: int) -> int:
                del self.rng.randint  # only the first draw, the count
                return ACTIVITIES_PER_UNIT if (a, b) == (2, 4) else draw(a, b)

            self.rng.randint = randint
            try:
                super().fill_activities()
            finally:
                self.rng.__dict__.pop("randint", None)

    simulate._Filler = Filler


_PROJECT = None  # the opened project, parsed once before the workers are forked


def _remember_formulas() -> None:
    """Let xlsxwriter prepare each distinct formula once per process.

    ``Worksheet._prepare_formula`` runs some 30 regular expressions over every formula (250
    for a conditional format's, which expands the "future functions"), and Storstad's 1,636
    workbooks hold about 84 distinct formulas, each thousands of times: about a quarter of a
    worker's CPU. The result depends only on the formula and whether future functions are
    expanded, so the workbooks are byte for byte the same. (``reportkit.workbook.generate``
    could do the same with its own ``worksheet_class``.)
    """
    from xlsxwriter.worksheet import Worksheet

    prepare = Worksheet._prepare_formula
    if getattr(prepare, "storstad", False):
        return
    known: dict[tuple[str, bool], str] = {}

    def prepare_once(self: Worksheet, formula: str, expand_future_functions: bool = False) -> str:
        key = (formula, bool(expand_future_functions or self.use_future_functions))
        if key not in known:
            known[key] = prepare(self, formula, expand_future_functions)
        return known[key]

    prepare_once.storstad = True  # type: ignore[attr-defined]
    Worksheet._prepare_formula = prepare_once  # type: ignore[method-assign]


def _read_history_once(project: Any) -> None:
    """Read ``historik/utfall.csv`` once, before the fork: generate_workbooks reads it on every
    call (previous_outcomes), and 144,000 rows take seconds."""
    from reportkit.outputs import outbox

    read = getattr(outbox.previous_outcomes, "__wrapped__", outbox.previous_outcomes)
    known: dict[str, dict] = {}

    def previous_outcomes(project: Any, model: Any, period: Any, conn: Any = None) -> dict:
        if period.id not in known:
            known[period.id] = read(project, model, period)
        return known[period.id]

    previous_outcomes.__wrapped__ = read  # type: ignore[attr-defined]
    outbox.previous_outcomes = previous_outcomes
    previous_outcomes(project, *project.period(PERIOD))


def _workbooks_part(args: tuple[str, list[str]]) -> int:
    """Generate and fill the workbooks of ``units`` (one worker's share): ``--simulate``'s way,
    a blank workbook into ``utskick/`` that ``reportkit.demo.simulate`` fills with openpyxl."""
    root, units = args
    from reportkit.demo.simulate import fill_workbooks
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.styrmodell.project import Project

    _fill_ten_activities()
    out = Path(root)
    project = _PROJECT or Project.open(out)
    started = time.perf_counter()
    paths = generate_workbooks(project, PERIOD, units=units, out_dir=out / "utskick" / PERIOD)
    generated = time.perf_counter()
    fill_workbooks(paths, out / "inkommet" / PERIOD)
    if os.environ.get("STORSTAD_VERBOSE"):
        print(f"    arbetare {os.getpid()}: {len(paths)} styrkort, skapa "
              f"{generated - started:.1f} s, fyll i {time.perf_counter() - generated:.1f} s",
              flush=True)
    return len(paths)


class _Sheet:
    """Just enough of an openpyxl worksheet for ``simulate._Filler`` to read ``_meta``."""

    def __init__(self, values: list[str]):
        self.values = values

    def cell(self, row: int, column: int) -> object:
        return types.SimpleNamespace(value=self.values[row - 1][column - 1])


class _Book:
    """Just enough of an openpyxl workbook: its sheet names and ``_meta``."""

    def __init__(self, sheets: dict[str, _Sheet], names: list[str]):
        self.sheets = sheets
        self.sheetnames = names

    def __getitem__(self, name: str) -> _Sheet:
        return self.sheets[name]


def _answers(content: object, seed: int = SEED) -> object:
    """What ``reportkit.demo.simulate`` would write into ``content``'s blank workbook, as the
    :class:`~reportkit.workbook.content.Prefill` the generator writes into the input cells.

    The simulator's own filler (ten activities, its share of mistakes, the same seed per unit)
    runs on the workbook's rows and model instead of an openpyxl workbook: its ``put`` and
    ``get`` address a dict by (sheet, field, row) rather than a cell."""
    from reportkit.demo import simulate
    from reportkit.workbook import layout
    from reportkit.workbook.content import Prefill
    from reportkit.workbook.generate import _model_meta

    _fill_ten_activities()
    c = content
    rows: dict[str, list[str]] = {layout.GOALS_SHEET: [g.id for g in c.goals],
                                  layout.INDICATORS_SHEET: [i.id for i in c.indicators]}
    if c.has_activities:
        rows[layout.ACTIVITIES_SHEET] = [str(n + 1) for n in range(layout.ACTIVITY_ROWS)]
    rows[layout.TEXTS_SHEET] = [key for key, _, _ in c.texts]
    meta = {"unit_id": c.unit_id, "unit_name": c.unit_name, "level": c.level,
            "period_type": c.period_type, "year": c.year, "deadline": c.deadline,
            "scale": json.dumps({"steps": c.scale, "forecast": c.forecast_labels}),
            "rows": json.dumps(rows), "locked": "{}", "model": json.dumps(_model_meta(c))}
    names = {(layout.GOALS_SHEET, "name", n): g.name for n, g in enumerate(c.goals)}
    names.update({(layout.INDICATORS_SHEET, "name", n): i.name
                  for n, i in enumerate(c.indicators)})

    class Answers(simulate._Filler):  # type: ignore[misc, name-defined]
        def __init__(self, wb: object, seed: int):
            self.cells: dict[tuple[str, str, int], object] = {}
            super().__init__(wb, seed)

        def put(self, sheet: str, key: str, n: int, value: object) -> str:
            if isinstance(value, str):
                value = value.lstrip("=")
            self.cells[sheet, key, n] = value
            return layout.cell_of(sheet, self.pt, key, n, self.targets, self.genders)

        def get(self, sheet: str, key: str, n: int) -> object:
            return self.cells.get((sheet, key, n), names.get((sheet, key, n)))

    wb = _Book({layout.META_SHEET: _Sheet([[k, meta.get(k, "")] for k in layout.META_KEYS])},
               [*rows])
    filler = Answers(wb, seed)
    filler.fill("auto")
    cells = filler.cells
    status_of = {filler.label(s.status): s.status for s in filler.scale.steps}
    out = Prefill()
    for n, ind in enumerate(c.indicators):
        got = {k: cells.get((layout.INDICATORS_SHEET, k, n)) for k in
               ("actual", *layout.GENDER_KEYS.values(), "forecast", "comment")}
        if any(v is not None for v in got.values()):
            out.indicators[ind.id] = {**got, "comment": got["comment"] or ""}
    for n, goal in enumerate(c.goals):
        label = cells.get((layout.GOALS_SHEET, "assessment", n))
        got = {k: cells.get((layout.GOALS_SHEET, k, n)) or "" for k in
               ("motivation", "analysis", "actions", "plan_comment")}
        out.goals[goal.id] = {"assessment": status_of.get(label) if label else None, **got}
    for n in range(len(rows.get(layout.ACTIVITIES_SHEET, []))):
        row = {k: cells.get((layout.ACTIVITIES_SHEET, k, n)) for k in
               ("goal", "description", "responsible", "start", "end", "status", "comment")}
        if not row["description"]:
            break
        out.activities.append({k: v.isoformat() if isinstance(v, dt.date) else (v or "")
                               for k, v in row.items()})
    out.texts = {key: cells[layout.TEXTS_SHEET, "text", n]
                 for n, key in enumerate(rows[layout.TEXTS_SHEET])
                 if (layout.TEXTS_SHEET, "text", n) in cells}
    return out


def _filled_part(args: tuple[str, list[str]]) -> int:
    """Write the workbooks of ``units`` already filled (one worker's share): the blank
    workbook's content with the simulator's answers as its prefill, in one xlsxwriter pass
    straight into ``inkommet/``; blank ones into ``utskick/`` only for :data:`BLANK`."""
    root, units = args
    from reportkit.outputs import outbox
    from reportkit.styrmodell.project import Project
    from reportkit.workbook.content import build_content
    from reportkit.workbook.generate import generate_workbook

    out = Path(root)
    project = _PROJECT or Project.open(out)
    started = time.perf_counter()
    model, period = project.period(PERIOD)
    styles = outbox.project_styles(project, model)
    previous = outbox.previous_outcomes(project, model, period)
    inbox, blank = out / "inkommet" / PERIOD, out / "utskick" / PERIOD
    filling = 0.0
    for unit_id in units:
        content = build_content(model, unit_id, period, previous)
        if unit_id in BLANK:
            generate_workbook(content, blank / content.file_name, styles)
        t = time.perf_counter()
        content.prefill = _answers(content)
        filling += time.perf_counter() - t
        generate_workbook(content, inbox / content.file_name, styles)
    if os.environ.get("STORSTAD_VERBOSE"):
        print(f"    arbetare {os.getpid()}: {len(units)} ifyllda styrkort på "
              f"{time.perf_counter() - started:.1f} s (varav svaren {filling:.1f} s)",
              flush=True)
    return len(units)


def workbooks(out: Path, org: Org, jobs: int = 2, simulate: bool = False) -> int:
    """Every level's helår workbooks, filled, in ``jobs`` processes (forked after the
    styrmodell and the history are parsed, so that each is parsed once): written filled in one
    pass, or with ``simulate`` generated blank and filled by ``reportkit.demo.simulate``."""
    global _PROJECT
    from reportkit.styrmodell.project import Project

    ids = ["kommun"] + [c["id"] for c in org.committees] + [cid for cid, _ in COMPANIES]
    ids += [op["id"] for c in org.committees for op in c["ops"]]
    ids += [uid for c in org.committees for op in c["ops"] for uid, _, _ in op["units"]]
    parts = [(str(out), ids[i::jobs]) for i in range(jobs)]
    part = _workbooks_part if simulate else _filled_part
    _PROJECT = Project.open(out)
    _PROJECT.period(PERIOD)
    _read_history_once(_PROJECT)
    _remember_formulas()
    try:
        if jobs == 1:
            return part(parts[0])
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return sum(pool.map(part, parts))
    finally:
        _PROJECT = None


def make_storstad(out: Path = DEFAULT_OUT, *, jobs: int = 2, with_workbooks: bool = True,
                  simulate: bool = False, verbose: bool = False, units: int = UNITS
                  ) -> dict[str, float]:
    """Write the Storstad project into ``out`` (emptied first) with ``units`` enheter; seconds
    per step.

    ``simulate``: generate every workbook blank into ``utskick/`` and fill it with
    ``reportkit.demo.simulate`` (openpyxl load and save, as a unit's Excel would change the file)
    instead of writing it filled in one pass."""
    times: dict[str, float] = {}
    start = last = time.perf_counter()

    def step(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        times[name] = now - last
        last = now
        if verbose:
            print(f"  {name:12} {times[name]:6.1f} s", flush=True)

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    org = Org(units)
    wr = styrmodell(org)
    mx.write_project(out, wr)
    step("styrmodell")
    exports(org, out)
    step("exporter")
    if with_workbooks:
        times["workbooks_count"] = workbooks(out, org, jobs, simulate)
        step("styrkort")
    times["total"] = time.perf_counter() - start
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="project folder, emptied first (default benchmarks/.storstad)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--enheter", type=int, default=UNITS, metavar="N",
                        help=f"enheter (default {UNITS}; about one verksamhet per "
                             f"{UNITS_PER_OP:g}, at least one per nämnd)")
    parser.add_argument("--no-workbooks", action="store_true", help="styrmodell and data only")
    parser.add_argument("--simulate", action="store_true",
                        help="generate blank workbooks and fill them with reportkit.demo.simulate "
                             "(openpyxl; about twice as slow) instead of writing them filled")
    opts = parser.parse_args()
    print(f"Skapar Storstad i {opts.out} …", flush=True)
    os.environ["STORSTAD_VERBOSE"] = "1"
    times = make_storstad(opts.out, jobs=opts.jobs, with_workbooks=not opts.no_workbooks,
                          simulate=opts.simulate, verbose=True, units=opts.enheter)
    count = int(times.get("workbooks_count", 0))
    print(f"Klart på {times['total']:.1f} s: {count} styrkort i inkommet/{PERIOD}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
