"""Intern kontroll and uppdrag year after year (issue #32): ``nytt-år`` drops the uppdrag
decided finished, keeps the open ones with their dates, carries the kontrollmoment and clears
each plan's adoption; ``diff`` shows changed kontrollmoment and uppdrag in the kommun's words."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from reportkit.styrmodell.diff import compare
from reportkit.styrmodell.model import load_styrmodell
from reportkit.styrmodell.next_year import next_year

REPO = Path(__file__).resolve().parents[2]
EXEMPEL = REPO / "fixtures" / "exempelkommun"
FYRKANTA_YAML = REPO / "fixtures" / "fyrkanta" / "styrmodell" / "2026.yaml"


def _project(tmp_path: Path, source: Path) -> Path:
    root = tmp_path / "projekt"
    (root / "styrmodell").mkdir(parents=True)
    shutil.copy(source, root / "styrmodell" / "2026.yaml")
    return root


@pytest.mark.parametrize(("source", "done", "kept"), [
    (EXEMPEL / "styrmodell" / "2026.yaml", "U2026-01", "U2026-02"),
    (FYRKANTA_YAML, "FU-2", "FU-3")], ids=["exempel", "fyrkanta"])
def test_finished_uppdrag_are_dropped_open_ones_kept_and_plans_cleared(
        tmp_path: Path, source: Path, done: str, kept: str) -> None:
    root = _project(tmp_path, source)
    before = yaml.safe_load(source.read_text(encoding="utf-8"))
    result = next_year(root, closed={done: "Genomfört, KF 2026-12-14 § 140"})
    text = (root / "styrmodell" / "2027.yaml").read_text(encoding="utf-8")
    after = yaml.safe_load(text)

    ids = [a["id"] for a in after["givna_uppdrag"]["lista"]]
    assert done not in ids and kept in ids
    assert len(ids) == len(before["givna_uppdrag"]["lista"]) - 1
    assert any(f"{done} (Genomfört, KF 2026-12-14 § 140)" in line for line in result.changed)
    # a kept uppdrag keeps its date, passed or not: it shows as försenat until a new one
    old = {a["id"]: a for a in before["givna_uppdrag"]["lista"]}
    for item in after["givna_uppdrag"]["lista"]:
        assert item["återrapportering"] == old[item["id"]]["återrapportering"]
    assert any("visas som försenade" in line and kept in line for line in result.to_decide)

    plans = after["intern_kontroll"]["planer"]
    old_plans = before["intern_kontroll"]["planer"]
    assert all(p["antagen"] is None and p["paragraf"] == "" for p in plans)
    assert [[k["id"] for k in p["kontrollmoment"]] for p in plans] == \
        [[k["id"] for k in p["kontrollmoment"]] for p in old_plans]
    assert after["intern_kontroll"]["kommungemensamma"] == \
        before["intern_kontroll"]["kommungemensamma"]
    lines = text.splitlines()
    marks = [i for i, line in enumerate(lines) if "ATT BESLUTA: nämnden antar" in line]
    assert len(marks) == len(plans)
    assert all(lines[i + 1].strip().startswith("- nämnd:") for i in marks)
    first = old_plans[0]
    assert f"(för 2026: {first['antagen']} {first['paragraf']})" in lines[marks[0]]
    assert any(f"{len(plans)} internkontrollplaner ska antas för 2027" in line
               for line in result.to_decide)

    model, problems = load_styrmodell(root / "styrmodell" / "2027.yaml")
    assert model is not None and not [p for p in problems if p.is_error]


def test_the_plans_comments_stay_and_a_second_year_adds_no_mark(tmp_path: Path) -> None:
    root = _project(tmp_path, EXEMPEL / "styrmodell" / "2026.yaml")
    next_year(root)
    text = (root / "styrmodell" / "2027.yaml").read_text(encoding="utf-8")
    assert "# datum då planen antogs" in text and "# paragrafen i protokollet" in text
    assert "# stabilt id för uppdraget" in text  # the uppdrag's comments stay too
    result = next_year(root)  # the coordinator did not adopt the plans: the marks stay single
    again = (root / "styrmodell" / "2028.yaml").read_text(encoding="utf-8")
    assert again.count("ATT BESLUTA: nämnden antar") == text.count("ATT BESLUTA: nämnden antar")
    assert any("internkontrollplaner ska antas för 2028" in line for line in result.to_decide)


def _edited(tmp_path: Path, source: Path, edits: list[tuple[str, str]]) -> tuple[Path, Path]:
    new = tmp_path / "ny.yaml"
    text = source.read_text(encoding="utf-8")
    for old, replacement in edits:
        assert old in text
        text = text.replace(old, replacement, 1)
    new.write_text(text, encoding="utf-8")
    return source, new


def _models(old: Path, new: Path):
    a, _ = load_styrmodell(old)
    b, problems = load_styrmodell(new)
    assert a is not None and b is not None, problems
    return a, b


def test_diff_shows_changed_kontrollmoment_and_uppdrag_in_fyrkantas_words(
        tmp_path: Path) -> None:
    old, new = _edited(tmp_path, FYRKANTA_YAML, [
        ("sannolikhet: 2,\n           konsekvens: 3, kontrollmetod: Genomgång av ärenden",
         "sannolikhet: 4,\n           konsekvens: 3, kontrollmetod: Genomgång av ärenden"),
        ("kontrollmetod: Avstämning", "kontrollmetod: Avstämning mot taxebeslut"),
        ("""        - {id: TN-K1,""", """        - {id: TN-K3, process: Bidrag, risk: Fel mottagare,
           sannolikhet: 1, konsekvens: 1}
        - {id: TN-K1,"""),
        ("antagen: 2025-12-04", "antagen: 2026-12-03"),
        ("återrapportering: 2026-09-30", "återrapportering: 2027-03-31"),
        ("typ: motion", "typ: revision"),
    ])
    before, after = _models(old, new)
    changes = compare(before, after)
    by = {(c.what, c.change, c.id, c.name): c for c in changes}
    risk = by[("kontrollmoment", "ändrad", "SN-K1", "Bostadsanpassning (riskvärde)")]
    # Fyrkanta's steps and levels: Liten (2) × Måttlig (3) = 6 Bevakas → Stor (4) … Åtgärdas
    assert risk.before == "Liten (2) × Måttlig (3) = 6 Bevakas"
    assert risk.after == "Stor (4) × Måttlig (3) = 12 Åtgärdas"
    method = by[("kontrollmoment", "ändrad", "TN-K2", "VA-taxa (kontrollmetod)")]
    assert (method.before, method.after) == ("Avstämning", "Avstämning mot taxebeslut")
    added = by[("kontrollmoment", "tillagd", "TN-K3", "Bidrag")]
    assert added.after == after.units["TN"].name  # whose plan, by the kommun's name
    plan = next(c for c in changes if c.what == "internkontrollplan")
    assert plan.name.startswith("Internkontroll: ")  # the kommun's heading
    assert (plan.before, plan.after) == ("2025-12-04 § 77", "2026-12-03 § 77")
    due = by[("uppdrag", "ändrad", "FU-2", "Rutin för attest av resor (återrapportering)")]
    assert (due.before, due.after) == ("2026-09-30", "2027-03-31")
    origin = by[("uppdrag", "ändrad", "FU-3", "Laddplatser vid kommunhuset (ursprung)")]
    assert (origin.before, origin.after) == ("TN, Bifallen motion", "TN, Revisionsrapport")
    whats = [c.what for c in changes]
    assert whats == sorted(whats, key=["internkontrollplan", "kontrollmoment",
                                       "uppdrag"].index)


def test_diff_after_nytt_ar_lists_the_dropped_uppdrag_and_the_cleared_plans(
        tmp_path: Path) -> None:
    root = _project(tmp_path, EXEMPEL / "styrmodell" / "2026.yaml")
    next_year(root, closed={"U2026-01": "Genomfört, KF 2026-12-14 § 140"})
    changes = compare(*_models(root / "styrmodell" / "2026.yaml",
                               root / "styrmodell" / "2027.yaml"))
    removed = [c for c in changes if c.what == "uppdrag"]
    assert [(c.change, c.id) for c in removed] == [("borttagen", "U2026-01")]
    assert "återrapportering 2026-06-30" in removed[0].before
    plans = [c for c in changes if c.what == "internkontrollplan"]
    assert plans and all(c.after == "" for c in plans)
    assert not [c for c in changes if c.what == "kontrollmoment"]  # all carried as they were


# -- from the store: a decided helår -----------------------------------------------------------

HELAR = "2026-helår"


def test_nytt_ar_drops_what_the_giving_body_decided_finished(tmp_path: Path) -> None:
    """BUN decides its helår: U2026-09 (BUN's own uppdrag, avbrutet) is finished; U2026-01
    (KF's, genomfört by BUN) is only a proposal until KF decides it, so it is carried."""
    from testkit import write_cells

    from reportkit.cli import main
    from reportkit.consolidate.control import closed_assignments
    from reportkit.consolidate.run import consolidate
    from reportkit.storage import decisions, store
    from reportkit.styrmodell.project import Project
    from reportkit.workbook import layout
    from reportkit.workbook.content import build_content
    from reportkit.workbook.generate import generate_workbook

    root = tmp_path / "kommun"
    shutil.copytree(EXEMPEL, root, ignore=shutil.ignore_patterns("historik"))
    project = Project.open(root)
    model, period = project.period(HELAR)
    book = generate_workbook(build_content(model, "BUN", period), tmp_path / "BUN.xlsx")
    sheet = layout.ASSIGNMENTS_SHEET
    rows = [a.id for a in model.config.assignments.items if a.responsible == "BUN"]

    def at(key: str, item: str) -> str:
        return f"{sheet}!{layout.cell_of(sheet, 'helår', key, rows.index(item))}"

    inbox = project.inbox(HELAR)
    inbox.mkdir(parents=True)
    write_cells(book, {at("status", "U2026-01"): "Genomfört",
                       at("date", "U2026-01"): dt.datetime(2026, 6, 20),
                       at("status", "U2026-09"): "Avbrutet",
                       at("date", "U2026-09"): dt.datetime(2026, 9, 1)}, inbox / "BUN.xlsx")
    consolidate(project, HELAR)
    conn = store.connect(project.store_path)
    try:
        decisions.decide(conn, model, HELAR, "BUN 2027-02-10 § 9", scope="BUN",
                         recorded_at="2027-02-10T10:00:00+00:00", recorded_by="kansliet")
    finally:
        conn.close()
    assert closed_assignments(project, model) == {"U2026-09": "Avbrutet, BUN 2027-02-10 § 9"}

    out = CliRunner().invoke(main, ["nytt-år", str(root)])
    assert out.exit_code == 0, out.output
    assert "U2026-09 (Avbrutet, BUN 2027-02-10 § 9)" in out.output
    ids = [a["id"] for a in yaml.safe_load((root / "styrmodell" / "2027.yaml").read_text(
        encoding="utf-8"))["givna_uppdrag"]["lista"]]
    assert "U2026-09" not in ids and "U2026-01" in ids

    # KF decides the helår: its uppdrag that BUN reported genomfört is finished too
    conn = store.connect(project.store_path)
    try:
        decisions.decide(conn, model, HELAR, "KF 2027-04-20 § 45",
                         recorded_at="2027-04-20T10:00:00+00:00", recorded_by="kansliet")
    finally:
        conn.close()
    assert closed_assignments(project, model) == {
        "U2026-01": "Genomfört, KF 2027-04-20 § 45", "U2026-09": "Avbrutet, KF 2027-04-20 § 45"}
