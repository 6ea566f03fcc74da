"""The kansli and the nämnder writing their texts: the demo's section text files, from a seed.

``reportkit demo`` plays every role of the yearly cycle. After a period is consolidated,
:func:`write_section_texts` does what the kansli and the nämnder do before the document goes to
KF: it writes each section text the period's document asks for (``texter/<period>/<key>.docx``)
and each nämnd's own texts (``texter/<period>/<nämnd>/intern-kontroll.docx``,
``privata-utforare.docx``), in the format :mod:`reportkit.documents.sections` reads (paragraphs,
bold lines as sub-headings, bulleted lists; language sv-SE).

Rules it keeps:

- A file that already holds text is never written (the kansli owns it). A missing or empty file
  is written; an unreadable one is left for ``render`` to report.
- A section that sections.py drafts from the units' texts gets exactly that draft when the
  units wrote something; the kansli writes only what nothing else feeds.
- Every figure in a text comes from the period's economy and personnel exports or the
  consolidated goals (the same values, rounded the same way, as the document's tables), so it
  stays traceable; where no figure is at hand the text is qualitative.
- Same project, period and seed → byte-identical files (fixed core-property dates and zip
  timestamps via :func:`reportkit.files.normalize_zip`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportkit.documents.build import document_for
from reportkit.documents.coreprops import set_core_properties
from reportkit.files import atomic_path, normalize_zip
from reportkit.formats import NBSP, format_number, format_percent
from reportkit.styrmodell.model import LEVELS
from reportkit.texts import GOALS_OPERATIONAL

if TYPE_CHECKING:
    from reportkit.documents.reportdata import Committee, Goal, ReportData, SickLeave
    from reportkit.styrmodell.model import Styrmodell
    from reportkit.styrmodell.project import Project

__all__ = ["write_section_texts", "KANSLI"]

KANSLI = "Kansliet"
"""Author of the kansli's files (core properties); a nämnd's files carry the nämnd's name."""

Block = tuple[str, str]
"""``("rubrik", …)`` a bold line, ``("text", …)`` a paragraph, ``("punkt", …)`` a list item."""



def write_section_texts(project: Project | Path | str, period_id: str, *, seed: int = 2026
                        ) -> list[Path]:
    """Write the period's missing or empty section texts as the kansli and nämnder would.

    ``project`` is a :class:`~reportkit.styrmodell.project.Project` or its folder. The
    document is the one made for the period's type (plan → verksamhetsplan, delår/halvår →
    delårsrapport, helår → årsredovisning, månad/kvartal/tertial → uppföljning); sections its
    ``avsnitt.yaml`` switches off get no file. Reads the consolidated store, so call it after
    ``consolidate``. Returns the files written, sorted.
    """
    from reportkit.consolidate.rollup import compute
    from reportkit.documents.build import to_report_data
    from reportkit.documents.sections import SECTIONS, load_avsnitt, section_path, write_draft
    from reportkit.storage.access import opened

    with opened(project, period_id) as (project, model, period, conn):
        results = compute(conn, model, period.id)
    data = to_report_data(project, model, results, period)
    document = document_for(period.type)
    template_dir = project.docx_templates(model)
    shown = load_avsnitt(document, period.type, template_dir)
    folder = project.texts(period.id)
    facts = _Facts(data, model)
    written: list[Path] = []
    for section in SECTIONS.get(document, []):
        if not section.create or (shown is not None and section.switch not in shown):
            continue
        path = section_path(folder, section)
        if not _writable(path):
            continue
        drafted = section.draft(data) if section.draft else []
        if drafted:
            write_draft(path, section.title, drafted)
        else:
            rng = random.Random(f"{seed}:{period.id}:{section.key}")
            blocks = _KANSLI_TEXTS.get(section.key, _general)(facts, rng)
            _write(path, section.title, KANSLI, blocks)
        written.append(path)
    if period.type != "plan":
        written += _committee_files(data, folder, seed)
    return sorted(written)


def _writable(path: Path) -> bool:
    """Missing or empty: the kansli may write it. Text, or unreadable: leave it alone."""
    from reportkit.documents.sections import has_text

    if not path.exists():
        return True
    try:
        return not has_text(path)
    except Exception:  # noqa: BLE001 - render reports the broken file; we do not replace it
        return False


def _committee_files(data: ReportData, folder: Path, seed: int) -> list[Path]:
    from reportkit.documents.sections import COMMITTEE_FILES

    written = []
    for c in data.committees:
        for key, title in COMMITTEE_FILES:
            if key == "privata_utforare" and c.kind == "bolag":
                continue  # a bolag has no privata utförare; the chapter leaves it out
            if c.texts.get(key, "").strip():
                continue  # the workbook carries it; the chapter shows that text
            path = folder / c.id / f"{key.replace('_', '-')}.docx"
            if not _writable(path):
                continue
            rng = random.Random(f"{seed}:{data.period.id}:{c.id}:{key}")
            make = _committee_internal_control if key == "intern_kontroll" \
                else _committee_private_providers
            _write(path, f"{title} – {c.name}", c.name, make(data, c, rng))
            written.append(path)
    return written


def _write(path: Path, title: str, author: str, blocks: Sequence[Block]) -> None:
    """A section file as a person writes it in Word: paragraphs, bold sub-headings, bullets."""
    from reportkit.documents.sections import empty_swedish_document

    doc = empty_swedish_document()
    for kind, text in blocks:
        if kind == "rubrik":
            para = doc.add_paragraph()
            para.add_run(text).bold = True
            para.paragraph_format.keep_with_next = True
            para.paragraph_format.space_after = 0
        elif kind == "punkt":
            doc.add_paragraph(text, style="List Bullet")
        else:
            doc.add_paragraph(text)
    set_core_properties(doc, title=title, author=author, fixed_dates=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
        normalize_zip(tmp)


class _Facts:
    """The figures a text may quote, looked up once, formatted as the document's tables."""

    def __init__(self, data: ReportData, model: Styrmodell) -> None:
        self.data = data
        self.model = model
        self.year = data.period.year
        self.forecast = data.period.is_forecast
        self.steps = {s.status: s for s in tuple(data.scale.steps) + tuple(data.scale.specials)}

    def figure(self, start: str, year: int | None = None) -> tuple[float, int] | None:
        """(value, decimals) of the flerårsöversikt row whose label starts with ``start``."""
        for row in self.data.economy.key_figures:
            if row.label.startswith(start):
                value = row.values.get(self.year if year is None else year)
                return None if value is None else (value, row.decimals)
        return None

    def mnkr(self, start: str, year: int | None = None) -> str | None:
        found = self.figure(start, year)
        return None if found is None else format_number(found[0], found[1]) + NBSP + "mnkr"

    def balance(self, key: str, year: int | None = None) -> float | None:
        for line in self.data.economy.balanskrav:
            if line.key == key:
                return line.values.get(self.year if year is None else year)
        return None

    def label(self, status: str | None) -> str:
        step = self.steps.get(status or "")
        if step is None:
            return "ej bedömt"
        return step.forecast_label if self.forecast else step.label

    def counts(self, goals: Sequence[Any]) -> str:
        """``2 ”Uppfyllt”, 4 ”Delvis uppfyllt” och 2 ”Ej uppfyllt”`` in scale order."""
        order = list(self.steps)
        found: dict[str, int] = {}
        for g in goals:
            found[g.status or ""] = found.get(g.status or "", 0) + 1
        parts = [f"{n} ”{self.label(s)}”" for s, n in
                 sorted(found.items(), key=lambda kv: order.index(kv[0])
                        if kv[0] in order else len(order))]
        return _join(parts)

    def reached(self, goal: Goal) -> bool:
        return goal.status == self.data.scale.steps[0].status

    def at_least_second(self, goal: Goal) -> bool:
        return goal.status in [s.status for s in self.data.scale.steps[:2]]

    @property
    def sick(self) -> SickLeave | None:
        return next((s for s in self.data.economy.sick_leave if s.year == self.year), None)

    @property
    def sick_before(self) -> SickLeave | None:
        return next((s for s in self.data.economy.sick_leave if s.year == self.year - 1), None)


def _join(parts: Sequence[str]) -> str:
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


_NUMBERS = {2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex"}


def _follow_ups(model: Styrmodell) -> list[str]:
    """The follow-up periods' names as they read mid-sentence (``delårsrapport januari–…``)."""
    return [p.name[:1].lower() + p.name[1:] for p in model.config.periods if p.type != "plan"]


def _mnkr(value: float) -> str:
    return format_number(value, 1) + NBSP + "mnkr"


def _tkr(value: float) -> str:
    return format_number(round(value), 0) + NBSP + "tkr"


def _pick(rng: random.Random, options: Sequence[str]) -> str:
    return options[rng.randrange(len(options))]


def _period_phrase(f: _Facts) -> str:
    data = f.data
    if not f.forecast:
        return f"under {f.year}"
    end = data.period.end
    months = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
              "september", "oktober", "november", "december")
    return f"under januari–{months[end.month - 1]}" if end is not None else "under perioden"


def _inledning(f: _Facts, rng: random.Random) -> list[Block]:
    data, model = f.data, f.model
    kf = data.kf_goals()
    finance = data.kf_goals("finansiellt")
    committee_goals = [g for g in data.goals if g.level == "nämnd"]
    follow = _follow_ups(model)
    blocks: list[Block] = [("text", (
        f"{data.period.name} beskriver hur {data.kommun.name}s nämnder och bolag ska arbeta "
        f"under året för att förverkliga visionen och kommunfullmäktiges mål. Planen bygger "
        f"på den budget och de ramar som kommunfullmäktige har beslutat."))]
    text = (f"Kommunfullmäktige har beslutat {len(kf)} mål inom "
            f"{data.words.area.lower().bestämd_plural} {_join([a.lower() for a in data.areas])}")
    if finance:
        text += f", varav {len(finance)} finansiella mål för god ekonomisk hushållning"
    text += "."
    if committee_goals:
        text += (f" Nämnderna och bolagen har brutit ned dem i {len(committee_goals)} nämnd- och "
                 "bolagsmål, som verksamheterna och enheterna i sin tur har konkretiserat i egna "
                 "mål och aktiviteter.")
    blocks.append(("text", text))
    if follow:
        blocks.append(("text", "Planen följs upp i " + _join(follow) + ". " + _pick(rng, (
            "Där redovisas måluppfyllelse, ekonomi och personal för hela kommunen.",
            "Uppföljningen visar hur långt arbetet har kommit och var insatser behövs."))))
    return blocks


def _overview(f: _Facts, rng: random.Random) -> list[Block]:
    data = f.data
    sentences = []
    result = f.mnkr("Årets resultat")
    if result:
        before = f.mnkr("Årets resultat", f.year - 1)
        sentences.append(f"Årets resultat blev {result}" + (
            f" jämfört med {before} {f.year - 1}." if before else "."))
    taxes = f.mnkr("Skatteintäkter")
    if taxes:
        sentences.append(f"Skatteintäkter, generella statsbidrag och utjämning uppgick till "
                         f"{taxes}.")
    invest = f.mnkr("Nettoinvesteringar")
    if invest:
        sentences.append(f"Nettoinvesteringarna uppgick till {invest}.")
    solidity = f.figure("Soliditet, %")
    if solidity:
        sentences.append(f"Soliditeten var {format_number(solidity[0], solidity[1])}{NBSP}% "
                         "vid årets slut.")
    blocks: list[Block] = []
    if sentences:
        blocks.append(("text", " ".join(sentences)))
    kf = data.kf_goals()
    if kf:
        blocks.append(("text", (
            f"Av kommunfullmäktiges {len(kf)} mål har {f.counts(kf)} som bedömning för året. "
            + _pick(rng, ("Måluppfyllelsen redovisas per mål i avsnittet om måluppfyllelse.",
                          "Bedömningarna och deras underlag redovisas i avsnittet om "
                          "måluppfyllelse och i nämndernas avsnitt.")))))
    people = f.figure("Antal invånare")
    if people:
        last_year = f.figure("Antal invånare", f.year - 1)
        text = (f"{data.kommun.name} hade {format_number(people[0], 0)} invånare den "
                f"31 december {f.year}")
        if last_year:
            change = round(people[0]) - round(last_year[0])
            word = "fler" if change >= 0 else "färre"
            text += f", {format_number(abs(change), 0)} {word} än ett år tidigare"
        blocks.append(("text", text + "."))
    return blocks or _general(f, rng)


def _group(f: _Facts, rng: random.Random) -> list[Block]:
    from reportkit.styrmodell.kinds import group_of

    data = f.data
    committees = [c for c in data.committees if group_of(c.kind) == "nämnd"]
    companies = [c for c in data.committees if group_of(c.kind) == "bolag"]
    federations = [c for c in data.committees if group_of(c.kind) == "kommunalförbund"]
    owned = (f"{len(federations)} kommunalförbund" if len(federations) > 1 else
             "ett kommunalförbund")
    blocks: list[Block] = [("text", (
        f"Den kommunala koncernen består av {data.kommun.name} med kommunfullmäktige, "
        f"{len(committees)} nämnder" + (f" och {len(companies)} kommunala bolag" if
                                         len(companies) > 1 else
                                         " och ett kommunalt bolag" if companies else "")
        + ". Kommunfullmäktige styr bolagen genom bolagsordning och ägardirektiv, och "
        "kommunstyrelsen har uppsikt över nämnderna och bolagen."
        + (f" {data.kommun.name} är också medlem i {owned}, som redovisas i egna avsnitt."
           if federations else "")))]
    blocks.append(("rubrik", "Nämnder"))
    blocks += [("punkt", c.name) for c in committees]
    if companies:
        blocks.append(("rubrik", "Kommunala bolag"))
        blocks += [("punkt", c.name) for c in companies]
    if federations:
        blocks.append(("rubrik", "Kommunalförbund"))
        blocks += [("punkt", c.name) for c in federations]
    koncern = getattr(getattr(data, "economy", None), "koncern", None)
    if koncern is not None:  # the sammanställda räkenskaper have more than the chapters
        blocks.append(("text", "Hela den kommunala koncernen, med de koncernföretag som inte "
                               "har egna avsnitt och ägarandelarna, visas i "
                               "organisationsschemat och tabellen nedan."))
    blocks.append(("text", _pick(rng, (
        "Verksamheten i koncernen redovisas per nämnd och bolag i nämndernas avsnitt.",
        "Nämndernas och bolagens verksamhet, mål och ekonomi redovisas i deras egna "
        "avsnitt."))))
    return blocks


def _conditions(f: _Facts, rng: random.Random) -> list[Block]:
    sentences = []
    for start, name in (("Skatteintäkter", "Skatteintäkter, generella statsbidrag och "
                                             "utjämning"),
                        ("Verksamhetens kostnader", "Verksamhetens kostnader")):
        now, before = f.figure(start), f.figure(start, f.year - 1)
        if now and before:
            a, b = abs(round(now[0], 1)), abs(round(before[0], 1))
            verb = "ökade" if a >= b else "minskade"
            sentences.append(f"{name} {verb} med {_mnkr(abs(a - b))} till {_mnkr(a)}.")
    blocks: list[Block] = []
    if sentences:
        blocks.append(("text", " ".join(sentences)))
    blocks.append(("text", _pick(rng, (
        "Kommunens ekonomi påverkas framför allt av skatteunderlagets utveckling, av "
        "befolkningens ålderssammansättning och av ränteläget. Fler äldre och fler barn i "
        "skolåldern ökar behoven i vård, omsorg och skola.",
        "Skatteunderlagets utveckling, pensionskostnaderna och ränteläget är de faktorer som "
        "påverkar resultatet mest. Behoven inom äldreomsorgen och skolan ökar när befolkningen "
        "åldras och fler barn börjar skolan."))))
    return blocks


def _governance(f: _Facts, rng: random.Random) -> list[Block]:
    data, model = f.data, f.model
    levels = [model.words.level(lv).lower().grundform for lv in LEVELS]
    steps = [s.label for s in data.scale.steps]
    follow = _follow_ups(model)
    n_levels = _NUMBERS.get(len(levels), str(len(levels)))
    n_steps = _NUMBERS.get(len(steps), str(len(steps)))
    blocks: list[Block] = [("text", (
        f"Styrningen utgår från visionen och kommunfullmäktiges mål inom "
        f"{data.words.area.lower().bestämd_plural} "
        f"{_join([a.lower() for a in data.areas])}. Målen bryts ned i {n_levels} nivåer, "
        f"{_join(levels)}, så att varje enhets mål bidrar till ett mål på nivån ovanför."))]
    blocks.append(("text", (
        f"Måluppfyllelsen bedöms i {n_steps} steg: {_join(steps)}. Förslaget till bedömning "
        "beräknas ur indikatorernas utfall och målvärden eller ur bedömningarna på nivån "
        "under. Den som ansvarar för målet gör den slutliga bedömningen och motiverar den när "
        "den avviker från förslaget.")))
    if follow:
        blocks.append(("text", "Verksamheten följs upp i " + _join(follow) + ". " + _pick(rng, (
            "Nämnderna rapporterar till kommunstyrelsen, som sammanställer uppföljningen till "
            "kommunfullmäktige.",
            "Uppföljningen sammanställs av kommunledningskontoret och behandlas av "
            "kommunstyrelsen innan den går till kommunfullmäktige."))))
    return blocks


def _private_providers(f: _Facts, rng: random.Random) -> list[Block]:
    return [("text", (
        "Kommunfullmäktige har antagit ett program med mål och riktlinjer för verksamhet som "
        "utförs av privata utförare (kommunallagen 5 kap. 3 §). Programmet anger hur avtalen "
        "följs upp och hur allmänheten får insyn.")),
        ("text", _pick(rng, (
            "Varje nämnd ansvarar för uppföljningen av sina avtal och redovisar den i sitt "
            "avsnitt av rapporten.",
            "Nämnderna redovisar uppföljningen av sina avtal med privata utförare i sina egna "
            "avsnitt.")))]


def _internal_control(f: _Facts, rng: random.Random) -> list[Block]:
    return [("text", (
        "Kommunstyrelsen har uppsikt över nämndernas och bolagens interna kontroll. Varje "
        f"nämnd och bolagsstyrelse har antagit en internkontrollplan för {f.year} utifrån en "
        "risk- och väsentlighetsanalys, och följer upp planen i delårsrapporten och "
        "årsredovisningen.")),
        ("text", _pick(rng, (
            "Nämndernas uppföljning redovisas i deras avsnitt. Brister som har upptäckts "
            "åtgärdas av den nämnd som ansvarar för rutinen.",
            "Resultatet av nämndernas kontroller redovisas i nämndernas avsnitt, tillsammans "
            "med de åtgärder som har beslutats.")))]


def _good_housekeeping(f: _Facts, rng: random.Random) -> list[Block]:
    data = f.data
    finance = data.kf_goals("finansiellt")
    business = data.kf_goals("verksamhet")
    when = "prognosen för helåret" if f.forecast else "bedömningen för året"
    blocks: list[Block] = [("text", (
        "Kommunfullmäktige har beslutat mål för god ekonomisk hushållning: finansiella mål "
        f"och {GOALS_OPERATIONAL.lower()}. Av de {len(finance)} finansiella målen har "
        f"{f.counts(finance)} som {when}, och av de {len(business)} målen för verksamheten "
        f"{f.counts(business)}."))]
    blocks += [("punkt", f"{g.name}: {f.label(g.status)}") for g in finance]
    result = f.mnkr("Årets resultat")
    fin_ok = bool(finance) and all(f.reached(g) for g in finance)
    biz_ok = bool(business) and sum(f.at_least_second(g) for g in business) * 2 >= len(business)
    verb = "kommer att ha" if f.forecast else "har"
    if fin_ok and biz_ok:
        verdict = f"Den samlade bedömningen är att kommunen {verb} en god ekonomisk hushållning"
    else:
        verdict = (f"Den samlade bedömningen är att kommunen {verb} en god ekonomisk "
                   "hushållning i delar men inte fullt ut")
    text = verdict + (f" under {f.year}." if not f.forecast else f" för {f.year}.")
    if result:
        text += (f" {'Prognosen för årets' if f.forecast else 'Årets'} resultat "
                 f"{'är' if f.forecast else 'blev'} {result}.")
    blocks.append(("text", text))
    return blocks


def _balance(f: _Facts, rng: random.Random) -> list[Block]:
    result = f.balance("årets_resultat")
    adjusted = f.balance("resultat_efter_justeringar")
    final = f.balance("balanskravsresultat")
    if result is None or final is None:
        return [("text", (
            "Balanskravsutredningen visar årets resultat efter de justeringar som lagen om "
            "kommunal bokföring och redovisning föreskriver. Utredningen redovisas i tabellen "
            "nedan."))]
    if f.forecast:
        text = f"Prognosen för årets resultat enligt resultaträkningen är {_mnkr(result)}."
    else:
        text = f"Årets resultat enligt resultaträkningen är {_mnkr(result)}."
    if adjusted is not None and round(adjusted, 1) != round(result, 1):
        text += f" Efter balanskravsjusteringar blir resultatet {_mnkr(adjusted)}."
    if adjusted is not None and round(adjusted, 1) != round(final, 1):
        text += " Därefter görs avsättningar till eller uttag ur resultatreserverna."
    met = final >= 0
    if f.forecast:
        text += (f" Det prognostiserade balanskravsresultatet är {_mnkr(final)}, och balanskravet "
                 f"{'bedöms uppfyllas' if met else 'bedöms inte uppfyllas'}.")
    else:
        text += (f" Årets balanskravsresultat är {_mnkr(final)}, och balanskravet är "
                 f"{'uppfyllt' if met else 'inte uppfyllt'}.")
    blocks: list[Block] = [("text", text)]
    line = next(ln for ln in f.data.economy.balanskrav if ln.key == "balanskravsresultat")
    years = sorted(y for y, v in line.values.items() if v is not None and y < f.year)
    deficits = [y for y in years if (line.values[y] or 0) < 0]
    if deficits:
        y = deficits[-1]
        later = sum(v for yy, v in line.values.items() if v is not None and y < yy <= f.year
                    and v > 0)
        restored = later >= -(line.values[y] or 0)
        blocks.append(("text", f"Underskottet {y} på {_mnkr(-(line.values[y] or 0))} "
                       + ("är återställt genom överskotten åren därefter." if restored else
                          "är ännu inte helt återställt.")))
    elif years:
        blocks.append(("text", f"Balanskravsutredningen visar inga underskott åren "
                       f"{years[0]}–{years[-1]} som behöver återställas."))
    return blocks


def _personnel(f: _Facts, rng: random.Random) -> list[Block]:
    blocks: list[Block] = []
    sick = f.sick
    if sick is not None and sick.total is not None:
        text = (f"Den totala sjukfrånvaron var {format_percent(sick.total, 1)} av den ordinarie "
                f"arbetstiden {_period_phrase(f)}")
        before = f.sick_before
        if before is not None and before.total is not None:
            text += f" jämfört med {format_percent(before.total, 1)} {f.year - 1}"
        text += "."
        if sick.women is not None and sick.men is not None:
            text += (f" Kvinnornas sjukfrånvaro var {format_percent(sick.women, 1)} och männens "
                     f"{format_percent(sick.men, 1)}.")
        if sick.long_term_share is not None:
            text += (f" Av sjukfrånvaron avsåg {format_percent(sick.long_term_share, 1)} "
                     "frånvaro i 60 dagar eller mer.")
        blocks.append(("text", text))
    staff = f.figure("Antal årsarbetare")
    if staff:
        last_year = f.figure("Antal årsarbetare", f.year - 1)
        blocks.append(("text", f"Kommunen hade {format_number(staff[0], 0)} årsarbetare"
                       + (f" mot {format_number(last_year[0], 0)} året innan." if last_year
                          else ".")))
    blocks.append(("text", _pick(rng, (
        "Kompetensförsörjningen är en av kommunens största utmaningar. Det är fortsatt svårt "
        "att rekrytera legitimerad personal, särskilt lärare, sjuksköterskor och socionomer. "
        "Arbetet med heltid som norm och ett hållbart arbetsliv fortsätter.",
        "Arbetet med en hälsofrämjande arbetsmiljö fortsätter med tidiga insatser vid "
        "upprepad korttidsfrånvaro och stöd till chefer i rehabiliteringsarbetet. "
        "Rekryteringsläget är fortsatt svårt för flera yrkesgrupper."))))
    return blocks


def _investments(f: _Facts, rng: random.Random) -> list[Block]:
    # (project, budget, prognos or utfall) of the projects that have both
    rows = [(r.project, b, c) for r in f.data.economy.investments
            if (b := r.budget) is not None
            and (c := r.forecast if f.forecast else r.actual) is not None]
    if not rows:
        return _general(f, rng)
    budget = sum(b for _, b, _ in rows)
    spent = sum(c for _, _, c in rows)
    verb = "beräknas uppgå" if f.forecast else "uppgick"
    text = (f"Investeringarna i de {len(rows)} projekten {verb} till {_tkr(spent)} mot en "
            f"budget på {_tkr(budget)}.")
    far, far_budget, far_spent = max(rows, key=lambda r: (abs(r[1] - r[2]), r[0]))
    text += (f" Den största avvikelsen gäller {far}: "
             f"{_tkr(far_spent)} mot budgeterade {_tkr(far_budget)}.")
    blocks: list[Block] = [("text", text)]
    blocks.append(("text", _pick(rng, (
        "Projekt som inte har slutförts under året fortsätter nästa år inom den totalutgift "
        "som kommunfullmäktige har beslutat.",
        "Förseningar i upphandlingar och byggstarter förklarar de flesta avvikelserna mot "
        "budget."))))
    return blocks


def _operations(f: _Facts, rng: random.Random) -> list[Block]:
    # (nämnd, budget, prognos or utfall) of the rows that have both
    rows = [(r.name, b, c) for r in f.data.economy.drift
            if (b := r.budget) is not None
            and (c := r.forecast if f.forecast else r.actual) is not None]
    if not rows:
        return _general(f, rng)
    diff = round(sum(b for _, b, _ in rows)) - round(sum(c for _, _, c in rows))
    word = "överskott" if diff >= 0 else "underskott"
    subject = ("Nämnderna beräknas sammantaget få" if f.forecast
               else "Nämnderna redovisar sammantaget")
    over = [name for name, b, c in rows if b - c < 0]
    text = f"{subject} ett {word} mot budget på {_tkr(abs(diff))}."
    if over:
        text += " Kostnaderna överstiger budget i " + _join(over) + "."
    return [("text", text)]


def _general(f: _Facts, rng: random.Random) -> list[Block]:
    return [("text", _pick(rng, (
        f"Avsnittet sammanfattar {f.data.kommun.name}s arbete {_period_phrase(f)}. "
        "Nämndernas egna redovisningar finns i deras avsnitt.",
        f"Nämnderna och bolagen redovisar sitt arbete {_period_phrase(f)} i sina egna "
        "avsnitt; här sammanfattas det som gäller hela kommunen.")))]


def _events(f: _Facts, rng: random.Random) -> list[Block]:
    return [("text", _pick(rng, (
        f"{_period_phrase(f).capitalize()} har verksamheterna i stort kunnat bedrivas som "
        "planerat. Nämndernas viktigaste händelser redovisas i deras avsnitt.",
        f"Inga händelser {_period_phrase(f)} har haft väsentlig betydelse för kommunens "
        "ekonomi eller verksamhet utöver dem som nämnderna redovisar i sina avsnitt.")))]


def _outlook(f: _Facts, rng: random.Random) -> list[Block]:
    return [("text", _pick(rng, (
        "De kommande åren ökar behoven i äldreomsorgen och skolan samtidigt som skatteunderlaget "
        "växer långsammare. Det ställer krav på prioriteringar och på effektivare arbetssätt.",
        "Befolkningen väntas fortsätta att växa, och andelen äldre ökar. Kommunen behöver "
        "planera för fler platser i skola och omsorg och för en fortsatt stram ekonomi.")))]


def _economic_conditions(f: _Facts, rng: random.Random) -> list[Block]:
    frames = f.data.economy.frames
    if not frames:
        return _general(f, rng)
    years = sorted({y for r in frames for y in r.values})
    return [("text", (
        f"Kommunfullmäktige har fastställt ramar för nämnderna för {years[0]}–{years[-1]}. "
        "Ramarna och investeringsplanen redovisas i tabellerna nedan."
        if len(years) > 1 else
        "Kommunfullmäktige har fastställt nämndernas ramar. De redovisas i tabellen nedan."))]


def _foreword(f: _Facts, rng: random.Random) -> list[Block]:
    """The kommunstyrelsens ordförande's förord, as a kansli drafts it for them."""
    data = f.data
    result = f.mnkr("Årets resultat")
    blocks: list[Block] = [("text", (
        f"{data.period.year} har varit ett år då {data.kommun.name} har fortsatt att växa och "
        "utvecklas. Medarbetarna i kommunens verksamheter har gjort ett stort arbete för "
        "invånarna, och jag vill tacka alla som har bidragit.")),
        ("text", (f"Årets resultat blev {result}. " if result else "") + _pick(rng, (
            "Ekonomin ger oss förutsättningar att möta de investeringar som väntar, men kräver "
            "fortsatt god kostnadskontroll.",
            "Vi behöver fortsätta att prioritera för att klara de kommande årens utmaningar."))),
        ("text", "Kommunstyrelsens ordförande")]
    return blocks


def _principle_change(f: _Facts, rng: random.Random) -> list[Block]:
    """The note a change of principle needs (docs/avstamningar.md): what, why, the effect."""
    year = f.data.period.year
    return [("text", f"Från {year} redovisas exploateringsfastigheter som omsättningstillgångar "
                     "och de bidrag till statlig infrastruktur som tidigare kostnadsfördes tas "
                     "upp och löses upp enligt RKR:s rekommendationer. Bytet krävs för att "
                     "följa rekommendationerna. Den ackumulerade effekten har förts mot "
                     "ingående eget kapital; jämförelsetalen för "
                     f"{year - 1} är inte omräknade.")]


_KANSLI_TEXTS: dict[str, Callable[[_Facts, random.Random], list[Block]]] = {
    "forord": _foreword,
    "inledning": _inledning,
    "ekonomiska-forutsattningar": _economic_conditions,
    "oversikt": _overview,
    "kommunala-koncernen": _group,
    "viktiga-forhallanden": _conditions,
    "handelser": _events,
    "styrning": _governance,
    "privata-utforare": _private_providers,
    "intern-kontroll": _internal_control,
    "god-ekonomisk-hushallning": _good_housekeeping,
    "balanskrav": _balance,
    "personal": _personnel,
    "forvantad-utveckling": _outlook,
    "driftredovisning": _operations,
    "ekonomi": _operations,
    "investeringsredovisning": _investments,
    "andrad-redovisningsprincip": _principle_change,
}
"""What the kansli writes per section key when no unit's text feeds it."""

_CONTROLS = {
    "KS": ("Attest och utanordning av leverantörsfakturor",
           "Efterlevnad av upphandlingsreglerna vid direktupphandling",
           "Behörigheter i ekonomi- och personalsystemen",
           "Hantering av allmänna handlingar och diarieföring"),
    "BUN": ("Anmälan och utredning av kränkande behandling",
            "Rätt elevpeng till fristående skolor",
            "Registerkontroll vid anställning i förskola och skola",
            "Hantering av ekonomiskt stöd till elever"),
    "VON": ("Avvikelsehantering enligt lex Sarah",
            "Läkemedelshantering i särskilt boende",
            "Aktuella genomförandeplaner för brukarna",
            "Debitering av omsorgsavgifter"),
    "SN": ("Utredningstider för barnavårdsutredningar",
           "Kontroll av rätt till ekonomiskt bistånd",
           "Uppföljning av placeringar i HVB och familjehem",
           "Dokumentation enligt socialtjänstlagen"),
    "KFN": ("Föreningsbidrag enligt antagna regler",
            "Kassahantering i simhallen och på biblioteken",
            "Säkerhetsrutiner vid evenemang",
            "Avtalstrohet vid inköp"),
    "MBN": ("Handläggningstider för bygglov",
            "Debitering av tillsynsavgifter",
            "Jäv och delegation i myndighetsutövningen",
            "Uppföljning av planerad tillsyn"),
    "EXBO": ("Attest av fakturor och avtal",
             "Hantering av hyresavier och kravärenden",
             "Systematiskt brandskyddsarbete i fastigheterna",
             "Underhållsplanens genomförande"),
}
_CONTROLS_ANY = ("Attest och utanordning av leverantörsfakturor",
                 "Efterlevnad av delegationsordningen",
                 "Behörigheter i verksamhetssystemen",
                 "Avtalstrohet vid inköp")
_CONTROL_RESULTS = (
    "kontrollen visade inga avvikelser.",
    "inga avvikelser.",
    "mindre brister; rutinen har förtydligats och berörda medarbetare har fått information.",
    "några avvikelser; en åtgärdsplan är framtagen och följs upp nästa år.",
)

_PRIVATE = {
    "KS": ("Kommunstyrelsen har avtal med privata utförare för vinterväghållning på delar av "
           "det kommunala vägnätet och för fastighetsskötsel i några av kommunens lokaler. "
           "Avtalen följs upp vid regelbundna uppföljningsmöten och genom stickprov på utfört "
           "arbete."),
    "BUN": ("I kommunen finns fristående förskolor och en fristående grundskola. Nämnden "
            "följer upp att de fristående förskolorna uppfyller kraven för sitt godkännande "
            "och genomför tillsyn enligt en plan. Skolinspektionen har tillsyn över den "
            "fristående grundskolan."),
    "VON": ("Personlig assistans enligt LSS utförs både av kommunen och av privata "
            "assistansanordnare som brukarna själva väljer. Nämnden har avtal med en privat "
            "utförare för korttidsvistelse och följer upp avtalet genom kvalitetsuppföljningar "
            "och brukarenkäter."),
    "SN": ("Socialnämnden köper platser i hem för vård eller boende (HVB) och "
           "familjehemsvård från privata utförare inom ramavtal. Varje placering följs upp "
           "genom vårdplaner och regelbundna uppföljningsmöten."),
    "KFN": ("Kultur- och fritidsnämnden har inga verksamheter som drivs av privata "
            "utförare. Föreningar som får bidrag för att driva anläggningar följs upp enligt "
            "reglerna för föreningsbidrag."),
    "MBN": ("Miljö- och byggnämnden har inga verksamheter som drivs av privata utförare."),
}


def _committee_internal_control(data: ReportData, committee: Committee, rng: random.Random
                                ) -> list[Block]:
    pool = list(_CONTROLS.get(committee.id, _CONTROLS_ANY))
    chosen = rng.sample(pool, 3)
    year = data.period.year
    # a bolag's board; a kommunalförbund's förbundsdirektion; a nämnd itself
    who = {"bolag": "Styrelsen", "kommunalförbund": "Förbundsdirektionen"}.get(
        committee.kind, "Nämnden")
    if data.period.is_forecast:
        intro = (f"{who} antog internkontrollplanen för {year} i början av året. Följande "
                 "kontrollpunkter har följts upp under perioden; övriga följs upp till "
                 "årsredovisningen.")
    else:
        intro = (f"{who} har följt upp samtliga kontrollpunkter i internkontrollplanen för "
                 f"{year}. Resultatet för de viktigaste kontrollpunkterna:")
    blocks: list[Block] = [("text", intro)]
    blocks += [("punkt", f"{c}: {_pick(rng, _CONTROL_RESULTS)}") for c in chosen]
    blocks.append(("text", _pick(rng, (
        f"{who} bedömer att den interna kontrollen i huvudsak är tillräcklig.",
        f"{who} bedömer att den interna kontrollen är tillräcklig och att de brister som har "
        "upptäckts hanteras."))))
    return blocks


def _committee_private_providers(data: ReportData, committee: Committee,
                                 rng: random.Random) -> list[Block]:
    text = _PRIVATE.get(committee.id, f"{committee.name} har inga verksamheter som drivs av "
                                      "privata utförare.")
    return [("text", text)]
