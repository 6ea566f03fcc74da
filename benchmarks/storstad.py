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
  bedömning, perioder, politik with Storstad's 101 mandat, ordlista, KF-mål with their Kolada
  ids) and the YAML writer with its explaining comments are ``fixtures/make_exempelkommun.py``'s;
  ``kolada:`` (Liknande kommuner, socioekonomi, 2025); ``intern_kontroll:`` and
  ``givna_uppdrag:`` by ``fixtures/exempelkommun_control.py``'s writer: its risk scale and two
  kommungemensamma kontrollmoment, a plan for each nämnd (5–8 kontrollmoment) and bolag (3–5),
  48 uppdrag from KF, KS and the nämnder of every kind;
- ``historik/utfall.csv``: four years (2022–2025) of every indicator at every unit measuring it;
- ``data/2026-delår/``, ``data/2026-helår/``, ``data/2026-plan/`` and ``data/import.yaml``:
  drift per nämnd and verksamhet, investeringar, sjukfrånvaro per verksamhet and group, KF's
  ramar, investeringsplan, nyckeltal, bolag and the financial statements, written by
  ``fixtures/make_economy.py``'s functions with Storstad's organisation; the kommunal
  koncern's ``koncern.csv`` (also ``data/2025-helår/``) by ``fixtures/make_koncern.py``'s
  writer with Storstad's koncernföretag, named under ``koncern:`` in ``import.yaml``;
- ``kolada/inspelat.json``: Kolada's answers for Storstad, its comparison group and riket, as
  ``fixtures/make_kolada.py`` records Exempelkommun's, fetched into the project's store
  (``reportkit.sqlite``) at the end as ``reportkit demo`` does (:func:`replay_kolada`; a copy
  without the store needs it again);
- ``inkommet/2026-helår/`` and ``inkommet/2026-delår/`` (not with ``--utan-delår``): the filled
  workbooks of every level (1,636 each: 1,500 enheter, 120 verksamheter, 15 nämnder and bolag,
  the kommun), in ``--jobs`` worker processes. Each is written filled in one xlsxwriter pass:
  ``reportkit.demo.simulate``'s filler (its usual share of mistakes, ten activities each, the
  same seed; in the delår with prognoser) decides the answers on the workbook's content, and
  ``generate_workbook`` writes them as the prefill of the input cells, the nämnder's Intern
  kontroll and Uppdrag sheets too: the same values, as ``reportkit check`` reads them, as the
  simulator writes, at about half the cost;
- ``utskick/<period>/``: the blank workbooks of :data:`BLANK` only.

``--simulate`` takes the old, slower way that changes the files as a unit's spreadsheet program
would: every workbook generated blank into ``utskick/`` by
``reportkit.outputs.outbox.generate_workbooks``, then loaded, filled and saved by
``reportkit.demo.simulate`` with openpyxl.

Prints the seconds each step took; the issue's bound for the whole is 60 s.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import multiprocessing
import os
import random
import shutil
import sys
import time
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "fixtures"))

import make_economy as me  # noqa: E402
import make_exempelkommun as mx  # noqa: E402

DEFAULT_OUT = REPO / "benchmarks" / ".storstad"
PERIOD = f"{mx.YEAR}-helår"
DELAR = f"{mx.YEAR}-delår"
HISTORY_YEARS = (2022, 2023, 2024, 2025)
DOMAIN = "storstad.se"
ACTIVITIES_PER_UNIT = 10
SEED = 2026  # reportkit.demo.simulate's default seed: the answers are the ones it would write
# the blank workbooks written into utskick/ besides the filled ones (with --simulate: all);
# bench_consolidate.py fills ekbackens-forskola's again as "one workbook changed"
BLANK = ("kommun", "FSN", "fsn-soder", "ekbackens-forskola")
CHANGED_UNIT = "ekbackens-forskola"  # bench_consolidate.py's CHANGED: there at every size

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
        if CHANGED_UNIT not in used:  # small: the förskola the benchmarks change is the first
            first = self.committees[1]["ops"][0]["units"]  # FSN's first verksamhet's
            if first:
                first[0] = (CHANGED_UNIT, "Ekbackens förskola", first[0][2])

    @property
    def units(self) -> int:
        return sum(len(o["units"]) for c in self.committees for o in c["ops"])

    @property
    def ops(self) -> int:
        return sum(len(c["ops"]) for c in self.committees)


def _count(n: int) -> str:
    """``1 500``: a count as the styrmodell's comments write it."""
    return f"{n:,}".replace(",", " ")


KOMMUNKOD = "9998"
PARTIES = (("Socialdemokraterna", "S", 32), ("Moderaterna", "M", 22),
           ("Sverigedemokraterna", "SD", 18), ("Vänsterpartiet", "V", 9),
           ("Centerpartiet", "C", 6), ("Kristdemokraterna", "KD", 5), ("Liberalerna", "L", 5),
           ("Miljöpartiet", "MP", 4))
"""The mandatfördelning in Storstad's kommunfullmäktige (101 mandat)."""

# -- intern kontroll and uppdrag (fixtures/exempelkommun_control.py's writer) ------------------
# Exempelkommun's plan whose kontrollmoment a Storstad nämnd starts from, by nämnd
CONTROL_FROM = {"KS": "KS", "FSN": "BUN", "GSN": "BUN", "GYN": "BUN", "ALN": "VON",
                "FUN": "VON", "SON": "SN", "AMN": "SN", "KUN": "KFN", "IDN": "KFN",
                "SBN": "MBN", "MHN": "MBN", "STBO": "EXBO", "STEN": "EXBO", "STHA": "EXBO"}
# kontrollmoment any nämnd may add: process, risk, sannolikhet, konsekvens, metod, ansvarig,
# frekvens
MORE_CONTROLS = [
    ("Avtalstrohet", "Inköp görs utanför upphandlade avtal", 3, 2,
     "Analys av leverantörsreskontran", "Controller", "Halvår"),
    ("Bisysslor", "Anmälda bisysslor prövas inte", 2, 2, "Genomgång av bisyssleregistret",
     "HR-specialist", "En gång per år"),
    ("Diarieföring", "Allmänna handlingar registreras inte", 2, 3,
     "Stickprov i diariet", "Registrator", "Halvår"),
    ("Inköpskort", "Inköpskort används för privata köp", 1, 3,
     "Stickprov på korttransaktioner", "Ekonom", "Kvartal"),
    ("Systematiskt arbetsmiljöarbete", "Skyddsronder genomförs inte", 2, 3,
     "Genomgång av protokoll från skyddsronder", "Förvaltningschef", "En gång per år"),
    ("Behörigheter", "Avslutade medarbetare har kvar sina behörigheter", 3, 3,
     "Avstämning mot HR-systemet", "Systemförvaltare", "Kvartal"),
    ("Delegationsbeslut", "Beslut anmäls inte till nämnden", 2, 2,
     "Jämförelse mellan beslut och anmälningar", "Nämndsekreterare", "Tertialvis"),
    ("Kontanthantering", "Kontanter hanteras utan kvittens", 2, 2,
     "Oanmäld kassainventering", "Enhetschef", "Halvår"),
]
# uppdrag descriptions, with {n} for the nämnd's name where it fits
ASSIGNMENT_TEXTS = [
    "Ta fram en lokalförsörjningsplan för de kommande tio åren",
    "Minska kostnaderna för inhyrd personal med 20 procent",
    "Utreda samordnad varudistribution för {n}",
    "Införa e-tjänster för de vanligaste ansökningarna",
    "Åtgärda revisorernas iakttagelser om intern kontroll",
    "Ta fram en handlingsplan för minskad sjukfrånvaro",
    "Utvärdera stadsdelsorganisationen inom {n}",
    "Ta fram en plan för minskad energianvändning i lokalerna",
    "Utreda gemensam lokalbokning för stadens verksamheter",
    "Redovisa hur {n} arbetar med barnkonventionen",
    "Se över taxor och avgifter inför nästa år",
    "Förbättra behörighetskontrollen i verksamhetssystemen",
    "Utreda ett trygghetsprogram för stadsdelarna",
    "Ta fram en plan för kompetensförsörjning",
    "Pröva längre öppettider (medborgarförslag)",
    "Kartlägga det administrativa stödet inom {n}",
]


def control_plans(org: Org) -> dict[str, tuple[str, str, list[tuple]]]:
    """An internkontrollplan for each nämnd (5–8 kontrollmoment) and bolag (3–5): the
    Exempelkommun plan of the same kind of work, filled up from :data:`MORE_CONTROLS`."""
    ctrl = mx._control_module()
    rng = random.Random(32_2026)
    out = {}
    ids = [c["id"] for c in org.committees] + [cid for cid, _ in COMPANIES]
    for k, cid in enumerate(ids):
        base = [p[1:] for p in ctrl.PLANS[CONTROL_FROM[cid]][2]]
        count = rng.randint(3, 5) if cid in dict(COMPANIES) else rng.randint(5, 8)
        extra = [p for p in MORE_CONTROLS if p[0] not in {b[0] for b in base}]
        rng.shuffle(extra)
        points = (base + extra)[:count]
        out[cid] = (f"{mx.YEAR - 1}-12-{1 + k % 20:02d}", f"§ {140 + 7 * k}",
                    [(f"IK-{cid}-{i + 1}", *p) for i, p in enumerate(points)])
    return out


def assignments(org: Org, count: int = 48) -> list[tuple]:
    """``count`` uppdrag given by KF, KS and the nämnder, of every kind, to every nämnd and
    some bolag, due across the year (some before the delår's end, some after the year's)."""
    rng = random.Random(33_2026)
    names = {c["id"]: c["name"] for c in org.committees} | dict(COMPANIES)
    takers = [c["id"] for c in org.committees] + [cid for cid, _ in COMPANIES]
    kinds = ("budget", "beslut", "motion", "revision")
    out = []
    for i in range(count):
        resp = takers[i % len(takers)]
        # a bolag gets its uppdrag from KF or KS (ägardirektiv), a nämnd from any
        origin = ("KF", "KS")[i % 2] if resp in dict(COMPANIES) else ("KF", "KS", "nämnd")[i % 3]
        kind = kinds[(i // 3) % 4]
        body = {"KF": "KF", "KS": "KS"}.get(origin, resp)
        given = dt.date(mx.YEAR - 1, 10, 1) + dt.timedelta(days=rng.randint(0, 200))
        due = given + dt.timedelta(days=rng.randint(60, 420))
        text = ASSIGNMENT_TEXTS[rng.randrange(len(ASSIGNMENT_TEXTS))].format(n=names[resp])
        if kind == "motion" and "(" not in text:
            text += " (bifallen motion)"
        out.append((f"U{mx.YEAR}-{i + 1:02d}", origin, resp if origin == "nämnd" else None,
                    kind, f"{body} {given.isoformat()} § {rng.randint(5, 220)}", text, resp,
                    due.isoformat()))
    return out


def write_control(wr: mx.Writer, org: Org) -> None:
    """``intern_kontroll:`` and ``givna_uppdrag:`` by Exempelkommun's writer, with its risk
    scale and kommungemensamma kontrollmoment and Storstad's plans and uppdrag."""
    ctrl = mx._control_module()  # a fresh module: its plans and uppdrag replaced here only
    ctrl.PLANS = control_plans(org)
    ctrl.ASSIGNMENTS = assignments(org)
    ctrl.write_control(wr.w)


def write_kolada_settings(wr: mx.Writer) -> None:
    """``kolada:``: RKA's Liknande kommuner, socioekonomi, of 2025, five years."""
    wr.w(0, "")
    wr.w(0, "# Jämförelsen med andra kommuner i Kolada (reportkit kolada hämta).")
    wr.w(0, "kolada:")
    wr.w(1, "jämförelse: liknande", "RKA:s grupp Liknande kommuner")
    wr.w(1, "aspekt: socioekonomi")
    wr.w(1, "gruppår: 2025")
    wr.w(1, "år: 5", "antal år till och med budgetåret")


# -- Kolada (fixtures/make_kolada.py's answers, for Storstad) ---------------------------------
KOLADA_MEMBERS = [("9911", "Älvstaden"), ("9912", "Hamnstad"), ("9913", "Bergstad"),
                  ("9914", "Slättköping"), ("9915", "Norrhamn"), ("9916", "Sjöstad"),
                  ("9917", "Dalby")]
KOLADA_RECORDING = Path("kolada") / "inspelat.json"
"""Where Storstad's recorded Kolada answers go in the project (as a fixture kommun's)."""


def _fixture(name: str) -> types.ModuleType:
    """``fixtures/<name>.py`` as a fresh module object: its constants may be replaced for
    Storstad without touching the module the rest of the process imports."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"storstad_{name}",
                                                  REPO / "fixtures" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def kolada_recording(wr: mx.Writer) -> dict[str, Any]:
    """Recorded Kolada v3 answers for Storstad (as ``fixtures/make_kolada.py`` makes
    Exempelkommun's): its comparison group, the KPIs' titles and the values of the kommun
    (its own history, 2022–2025), the group and riket."""
    mk = _fixture("make_kolada")
    own: dict[str, dict[int, float]] = {}
    kpi_of = {ind[0]: ind[7] for _g, _n, _a, _k, inds in mx.KF_GOALS for ind in inds if ind[7]}
    for year, unit_id, iid, value in wr.history:
        if unit_id == "kommun" and iid in kpi_of:
            own.setdefault(kpi_of[iid], {})[year] = value
    for values in own.values():
        values[mx.YEAR] = round(values[max(values)] * 1.02, 1)
    mk.KOMMUN, mk.MEMBERS, mk.OWN = (KOMMUNKOD, "Storstad"), KOLADA_MEMBERS, own
    client = mk.Client()
    base = len(client.base_url)
    codes = [KOMMUNKOD, *[c for c, _ in KOLADA_MEMBERS], mk.RIKET]
    kpis = list(mk.KPIS)
    values = mk._data(random.Random(34))
    title = "Liknande kommuner socioekonomi, Storstad"
    answers = {
        client.url("/municipality_groups", title=title)[base:]: {
            "count": 2, "next_url": None, "values": [
                {"id": "G999824", "title": f"{title}, 2024",
                 "members": [{"id": c, "title": n} for c, n in KOLADA_MEMBERS[:6]]},
                {"id": "G999825", "title": f"{title}, 2025",
                 "members": [{"id": c, "title": n} for c, n in KOLADA_MEMBERS]}]},
        client.url(f"/kpi/{','.join(kpis)}")[base:]: {
            "count": len(kpis), "next_url": None, "values": [
                {"id": k, "title": t, "municipality_type": "K",
                 "is_divided_by_gender": int(k == "N15428"), "operating_area": "Storstad"}
                for k, (t, *_r) in mk.KPIS.items()]},
        client.url(f"/data/kpi/{','.join(kpis)}/municipality/{','.join(codes)}/year/"
                   f"{','.join(str(y) for y in mk.YEARS)}")[base:]: {
            "count": len(values), "next_url": None, "values": values},
    }
    return {"date": mk.DATE, "answers": answers}


def replay_kolada(root: Path) -> int:
    """Fetch Storstad's recorded Kolada answers (``kolada/inspelat.json``) into the project's
    store as ``reportkit kolada hämta`` would, without a network (as ``reportkit demo`` does);
    the number of values. A copy of the project without its store needs this again."""
    from reportkit.outputs.kolada import fetch_kolada
    from reportkit.sources.kolada_api import replay_transport

    recording = json.loads((root / KOLADA_RECORDING).read_text(encoding="utf-8"))
    report = fetch_kolada(root, PERIOD, transport=replay_transport(recording), rate=0)
    if report.has_errors:
        raise RuntimeError(f"Kolada: {report.problems}")
    return report.values


# -- the kommunal koncern (fixtures/make_koncern.py's writer) ----------------------------------
# Storstad's koncernföretag: id → (Exempelkommun's company whose accounts it takes, factor)
KONCERN_FROM = {"STBO": ("EXBO", 1), "STFAST": ("EXFAST", 1), "STEN": (
    "Exempeldalens Energi AB", 2), "STHA": ("EXFAST", 3), "STVATTEN": (
    "Exempeldalens Energi AB", 1), "RTJ": ("RTJ", 1)}
KONCERN_OWNERSHIP = {"STBO": (100, 100), "STFAST": (100, 100), "STEN": (100, 100),
                     "STHA": (100, 100), "STVATTEN": (40, 40), "RTJ": (25, 25)}
KONCERN_RENAMED = {"EXBO": "STBO", "EXFAST": "STFAST", "Exempeldalens Energi AB": "STVATTEN"}
KONCERN_MORE = [("Kommunen", "andelar_i_koncernföretag", "STEN", 4_000),
                ("STEN", "eget_kapital", "Kommunen", 4_000),
                ("Kommunen", "verksamhetens_kostnader", "STEN", -3_000),
                ("STEN", "verksamhetens_intäkter", "Kommunen", 3_000),
                ("Kommunen", "andelar_i_koncernföretag", "STHA", 2_000),
                ("STHA", "eget_kapital", "Kommunen", 2_000)]
KONCERN_IMPORT = """  företag:
    - id: STBO                          # bolaget i styrmodellen; namnet tas därifrån
    - id: STFAST
      namn: Storstads Fastighetsförvaltning AB
      ägare: STBO                       # dotterbolag till STBO
    - id: STEN
    - id: STHA
    - id: STVATTEN
      namn: Storstadsregionens Vatten AB  # delägt med grannkommunerna
    - id: RTJ
      namn: Räddningstjänsten Storstadsregionen
      typ: kommunalförbund
    - id: STEVENT
      namn: Storstads Evenemang AB
      ägarandel: 100
      ingår: false
      skäl: >-
        Ringa betydelse: omsättning 3,1 mnkr och balansomslutning 4,2 mnkr, mindre än
        en procent av koncernens; bolaget har inga lån och kommunen har inga borgensåtaganden
        för det.
"""


def koncern(data: Path) -> None:
    """``koncern.csv`` for 2025 helår, 2026 delår and helår (make_koncern's writer, the
    kommun's rows from make_economy's statements) and ``import.yaml`` with Storstad's
    koncernföretag: STBO with its dotterbolag STFAST, STEN and STHA (100 %), a vattenbolag
    owned to 40 % and a räddningstjänstförbund to 25 %, an evenemangsbolag left out."""
    mkc = _fixture("make_koncern")
    exempel = mkc.COMPANIES
    mkc.COMPANIES = {cid: {k: v * factor for k, v in exempel[src].items()}
                     for cid, (src, factor) in KONCERN_FROM.items()}
    mkc.OWNERSHIP = KONCERN_OWNERSHIP
    mkc.INTERNAL = [(KONCERN_RENAMED.get(a, a), post, KONCERN_RENAMED.get(b, b), amount)
                    for a, post, b, amount in mkc.INTERNAL] + KONCERN_MORE
    income = me._income_interim()
    mkc.write(data, me.write_csv, me.fmt, me.INCOME_STATEMENT, me.BALANCE_SHEET, me.CASH_FLOW,
              income, me._balance_interim(income[-1][2] or 0.0))
    text = (REPO / "fixtures" / "exempelkommun" / "data" / "import.yaml").read_text(
        encoding="utf-8")
    head, rest = text.split("  företag:\n", 1)
    tail = rest[rest.index("\nbalanskrav:"):]
    (data / "import.yaml").write_text(head + KONCERN_IMPORT + tail, encoding="utf-8")


def _mission(name: str) -> str:
    """A nämnd's or bolag's ``uppdrag`` (the text its chapter starts with)."""
    if name.endswith(" AB"):
        return (f"Enligt ägardirektivet ska {name} driva sin verksamhet enligt affärsmässiga "
                "principer med en långsiktigt hållbar ekonomi, bidra till att staden växer och "
                "minska sin klimatpåverkan i takt med stadens klimatmål.")
    return (f"{name} fullgör stadens uppgifter inom sitt område enligt lag och reglemente, i "
            "alla stadsdelar. Nämnden ansvarar för att verksamheten håller god kvalitet, är "
            "likvärdig över staden och bedrivs inom den ram fullmäktige har beslutat.")


def styrmodell(org: Org) -> mx.Writer:
    """The styrmodell YAML and the history rows, in a make_exempelkommun Writer."""
    wr = mx.Writer(history_years=HISTORY_YEARS, seed=4120, domain=DOMAIN)
    rng = random.Random(41)
    parties = mx.PARTIES
    mx.PARTIES = PARTIES  # write_politics' mandatfördelning: Storstad's 101 mandat
    try:
        mx.head(wr, name="Storstad", code=KOMMUNKOD, inhabitants=412_380,
                chef="Birgitta Strandberg",
                vision=["Storstad 2035 – en stad för alla, där stadsdelarna växer ihop, barn och",
                        "unga lyckas i skolan och den som behöver stöd får det i tid."])
    finally:
        mx.PARTIES = parties
    write_kolada_settings(wr)
    write_control(wr, org)
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
        wr.org(1, "nämnd", cid, c["name"], c["code"], person(), mission=_mission(c["name"]))
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
        wr.org(1, "nämnd", cid, cname, None, person(), kind="bolag", mission=_mission(cname))
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
    koncern(data)


def _ten_activities(base: type) -> type:
    """``base`` (``reportkit.demo.simulate``'s filler) writing :data:`ACTIVITIES_PER_UNIT`
    activities per workbook (it draws 2–4): the number it draws is the first ``randint(2, 4)``
    of fill_activities."""

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

    return Filler


@contextlib.contextmanager
def _speedups(project: Any, periods: tuple[str, ...], simulate: bool) -> Iterator[None]:
    """While the workbooks are written (and inherited by the forked workers): xlsxwriter
    prepares each distinct formula once, the history is read once per period, and with
    ``simulate`` the simulator writes ten activities; all put back afterwards, so that a
    process that goes on (a test) is left as it was."""
    from xlsxwriter.worksheet import Worksheet

    from reportkit.demo import simulate as sim
    from reportkit.outputs import outbox

    saved = Worksheet._prepare_formula, outbox.previous_outcomes, sim._Filler
    _remember_formulas()
    _read_history_once(project, periods)
    if simulate:
        sim._Filler = _ten_activities(sim._Filler)  # type: ignore[misc]
    try:
        yield
    finally:
        Worksheet._prepare_formula = saved[0]  # type: ignore[method-assign]
        outbox.previous_outcomes, sim._Filler = saved[1], saved[2]  # type: ignore[misc]


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


def _read_history_once(project: Any, periods: tuple[str, ...]) -> None:
    """Read ``historik/utfall.csv`` once per period, before the fork: generate_workbooks reads
    it on every call (previous_outcomes), and 144,000 rows take seconds."""
    from reportkit.outputs import outbox

    read = getattr(outbox.previous_outcomes, "__wrapped__", outbox.previous_outcomes)
    known: dict[str, dict] = {}

    def previous_outcomes(project: Any, model: Any, period: Any, conn: Any = None) -> dict:
        if period.id not in known:
            known[period.id] = read(project, model, period)
        return known[period.id]

    previous_outcomes.__wrapped__ = read  # type: ignore[attr-defined]
    outbox.previous_outcomes = previous_outcomes
    for period_id in periods:
        previous_outcomes(project, *project.period(period_id))


def _workbooks_part(args: tuple[str, str, list[str]]) -> int:
    """Generate and fill the workbooks of ``units`` for ``period`` (one worker's share):
    ``--simulate``'s way, a blank workbook into ``utskick/`` that ``reportkit.demo.simulate``
    fills with openpyxl."""
    root, period_id, units = args
    from reportkit.demo.simulate import fill_workbooks
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.styrmodell.project import Project

    out = Path(root)
    project = _PROJECT or Project.open(out)
    started = time.perf_counter()
    paths = generate_workbooks(project, period_id, units=units,
                               out_dir=out / "utskick" / period_id)
    generated = time.perf_counter()
    fill_workbooks(paths, out / "inkommet" / period_id)
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
    from reportkit.workbook.generate import _model_meta

    c = content
    rows: dict[str, list[str]] = {layout.GOALS_SHEET: [g.id for g in c.goals],
                                  layout.INDICATORS_SHEET: [i.id for i in c.indicators]}
    if c.has_activities:
        rows[layout.ACTIVITIES_SHEET] = [str(n + 1) for n in range(layout.ACTIVITY_ROWS)]
    rows[layout.TEXTS_SHEET] = [key for key, _, _ in c.texts]
    if c.controls:
        rows[layout.CONTROL_SHEET] = [r.id for r in c.controls]
    if c.assignments:
        rows[layout.ASSIGNMENTS_SHEET] = [r.id for r in c.assignments]
    meta = {"unit_id": c.unit_id, "unit_name": c.unit_name, "level": c.level,
            "period_type": c.period_type, "year": c.year, "deadline": c.deadline,
            "scale": json.dumps({"steps": c.scale, "forecast": c.forecast_labels}),
            "rows": json.dumps(rows), "locked": "{}", "model": json.dumps(_model_meta(c))}
    names = {(layout.GOALS_SHEET, "name", n): g.name for n, g in enumerate(c.goals)}
    names.update({(layout.INDICATORS_SHEET, "name", n): i.name
                  for n, i in enumerate(c.indicators)})

    class Answers(_ten_activities(simulate._Filler)):  # type: ignore[misc]
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
    out = _prefill(c, filler)
    _control_answers(c, filler.cells, out)
    return out


def _prefill(c: Any, filler: Any) -> Any:
    """The filler's answers in the indicator, goal, activity and text cells as a Prefill."""
    from reportkit.workbook import layout
    from reportkit.workbook.content import Prefill

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
    for n in range(layout.ACTIVITY_ROWS if c.has_activities else 0):
        row = {k: cells.get((layout.ACTIVITIES_SHEET, k, n)) for k in
               ("goal", "description", "responsible", "start", "end", "status", "comment")}
        if not row["description"]:
            break
        out.activities.append({k: v.isoformat() if isinstance(v, dt.date) else (v or "")
                               for k, v in row.items()})
    out.texts = {key: cells[layout.TEXTS_SHEET, "text", n]
                 for n, (key, _, _) in enumerate(c.texts)
                 if (layout.TEXTS_SHEET, "text", n) in cells}
    return out


def _control_answers(c: Any, cells: dict[tuple[str, str, int], object], out: Any) -> None:
    """The Intern kontroll and Uppdrag sheets' answers (a nämnd's follow-up) into ``out``:
    a result or status as its code, a date as ISO, as a re-prefill carries them."""
    from reportkit.styrmodell.control import RESULTS, STATUSES
    from reportkit.workbook import layout

    for sheet, rows, target, choice, codes, words in (
            (layout.CONTROL_SHEET, c.controls, out.controls, "result", RESULTS,
             c.control_words),
            (layout.ASSIGNMENTS_SHEET, c.assignments, out.assignments, "status", STATUSES,
             c.status_words)):
        code_of = dict(zip(words, codes, strict=False))
        keys = [col.key for col in layout.columns_for(sheet, c.period_type) if col.is_input]
        for n, row in enumerate(rows):
            got = {}
            for key in keys:
                value = cells.get((sheet, key, n))
                if isinstance(value, dt.date):
                    value = value.isoformat()
                elif key == choice and value is not None:
                    value = code_of.get(str(value), value)
                if value is not None:
                    got[key] = value
            if got:
                target[row.id] = got


def _filled_part(args: tuple[str, str, list[str]]) -> int:
    """Write the workbooks of ``units`` already filled (one worker's share): the blank
    workbook's content with the simulator's answers as its prefill, in one xlsxwriter pass
    straight into ``inkommet/``; blank ones into ``utskick/`` only for :data:`BLANK`."""
    root, period_id, units = args
    from reportkit.outputs import outbox
    from reportkit.styrmodell.project import Project
    from reportkit.workbook.content import build_content
    from reportkit.workbook.generate import generate_workbook

    out = Path(root)
    project = _PROJECT or Project.open(out)
    started = time.perf_counter()
    model, period = project.period(period_id)
    styles = outbox.project_styles(project, model)
    previous = outbox.previous_outcomes(project, model, period)
    inbox, blank = out / "inkommet" / period_id, out / "utskick" / period_id
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
        print(f"    arbetare {os.getpid()}: {len(units)} ifyllda styrkort {period_id} på "
              f"{time.perf_counter() - started:.1f} s (varav svaren {filling:.1f} s)",
              flush=True)
    return len(units)


def workbooks(out: Path, org: Org, jobs: int = 2, simulate: bool = False,
              periods: tuple[str, ...] = (PERIOD,),
              done: Callable[[str], None] | None = None) -> dict[str, int]:
    """Every level's workbooks of each of ``periods``, filled, in ``jobs`` processes (forked
    after the styrmodell and the history are parsed, so that each is parsed once): written
    filled in one pass, or with ``simulate`` generated blank and filled by
    ``reportkit.demo.simulate``. ``done(period)`` after each period; the count per period."""
    global _PROJECT
    from reportkit.styrmodell.project import Project

    ids = ["kommun"] + [c["id"] for c in org.committees] + [cid for cid, _ in COMPANIES]
    ids += [op["id"] for c in org.committees for op in c["ops"]]
    ids += [uid for c in org.committees for op in c["ops"] for uid, _, _ in op["units"]]
    part = _workbooks_part if simulate else _filled_part
    _PROJECT = Project.open(out)
    for period_id in periods:
        _PROJECT.period(period_id)
    counts = {}
    try:
        with _speedups(_PROJECT, periods, simulate), contextlib.ExitStack() as stack:
            pool = stack.enter_context(multiprocessing.get_context("fork").Pool(jobs)) \
                if jobs > 1 else None
            for period_id in periods:
                parts = [(str(out), period_id, ids[i::jobs]) for i in range(jobs)]
                counts[period_id] = sum(pool.map(part, parts)) if pool else part(parts[0])
                if done:
                    done(period_id)
    finally:
        _PROJECT = None
    return counts


def make_storstad(out: Path = DEFAULT_OUT, *, jobs: int = 2, with_workbooks: bool = True,
                  simulate: bool = False, verbose: bool = False, units: int = UNITS,
                  delar: bool = True) -> dict[str, float]:
    """Write the Storstad project into ``out`` (emptied first) with ``units`` enheter; seconds
    per step, and ``workbooks_count`` (every period's) and ``kolada_values``.

    ``delar``: the delår's workbooks too (:data:`DELAR`), not only the helår's.
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
            print(f"  {name:20} {times[name]:6.1f} s", flush=True)

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    org = Org(units)
    wr = styrmodell(org)
    mx.write_project(out, wr)
    write_bytes(out / KOLADA_RECORDING, json.dumps(
        kolada_recording(wr), ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    step("styrmodell")
    exports(org, out)
    step("exporter")
    if with_workbooks:
        periods = (PERIOD, DELAR) if delar else (PERIOD,)
        counts = workbooks(out, org, jobs, simulate, periods,
                           done=lambda period_id: step(f"styrkort {period_id}"))
        times["workbooks_count"] = sum(counts.values())
    # into the store, after the workbooks: nothing in them depends on it
    times["kolada_values"] = replay_kolada(out)
    step("kolada")
    times["total"] = time.perf_counter() - start
    return times


def write_bytes(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="project folder, emptied first (default benchmarks/.storstad)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--enheter", type=int, default=UNITS, metavar="N",
                        help=f"enheter (default {UNITS}; about one verksamhet per "
                             f"{UNITS_PER_OP:g}, at least one per nämnd)")
    parser.add_argument("--no-workbooks", action="store_true", help="styrmodell and data only")
    parser.add_argument("--utan-delår", "--no-delar", dest="no_delar", action="store_true",
                        help=f"only the helår's workbooks, not {DELAR}'s (about half the time)")
    parser.add_argument("--simulate", action="store_true",
                        help="generate blank workbooks and fill them with reportkit.demo.simulate "
                             "(openpyxl; about twice as slow) instead of writing them filled")
    opts = parser.parse_args()
    print(f"Skapar Storstad i {opts.out} …", flush=True)
    os.environ["STORSTAD_VERBOSE"] = "1"
    times = make_storstad(opts.out, jobs=opts.jobs, with_workbooks=not opts.no_workbooks,
                          simulate=opts.simulate, verbose=True, units=opts.enheter,
                          delar=not opts.no_delar)
    count = int(times.get("workbooks_count", 0))
    where = f"inkommet/{PERIOD}/" + ("" if opts.no_delar else f" och inkommet/{DELAR}/")
    print(f"Klart på {times['total']:.1f} s: {count} styrkort i {where}, "
          f"{int(times['kolada_values'])} Kolada-värden")
    return 0


if __name__ == "__main__":
    sys.exit(main())
