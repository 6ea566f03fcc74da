"""A styrkort that explains and checks itself (issue 27 items 1 and 2): Instruktioner numbered as
the tabs stand, to whom and by when it is sent, goal names beside ids and in the Aktiviteter
list (read back as the id), why an inherited indicator is on the sheet, and a live Kontroll
sheet, typed into in LibreOffice Calc over UNO.

On generated workbooks of Exempelkommun and Fyrkanta (each with its own words)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from reportkit.intake.check import check_file
from reportkit.workbook import layout

ROOT = Path(__file__).resolve().parents[2]
PERIOD, PT = "2026-delår", "delår"
UNIT = "ekonomienheten"  # an enhet that also measures two of its verksamhet's indicators


def _project(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    root = tmp_path_factory.mktemp(name) / name
    shutil.copytree(ROOT / "fixtures" / name, root)
    return root


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reportkit.outputs.outbox import generate_workbooks

    root = _project(tmp_path_factory, "exempelkommun")
    [path] = generate_workbooks(root, PERIOD, [UNIT], out_dir=root / "utskick")
    return path


@pytest.fixture(scope="module")
def fyrkanta(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from reportkit.outputs.outbox import generate_workbooks

    root = _project(tmp_path_factory, "fyrkanta")
    paths = generate_workbooks(root, "2026-plan", ["norrskolan", "FAB", "kommun"],
                               out_dir=root / "utskick")
    return {p.stem: p for p in paths}


def _instructions(path: Path) -> list[tuple[str, str]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
        layout.INSTRUCTIONS_SHEET).to_python()
    return [(str(r[0]), str(r[1])) for r in rows if len(r) > 1]


def _visible(path: Path) -> list[str]:
    wb = load_workbook(path, read_only=True)
    try:
        return [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    finally:
        wb.close()  # read-only holds the file open until closed


def test_instructions_are_numbered_as_the_tabs_stand(blank: Path, fyrkanta) -> None:
    for path in (blank, *fyrkanta.values()):
        steps = [h.split(". ", 1)[1] for h, _ in _instructions(path) if h[:1].isdigit()]
        assert steps == _visible(path)[1:], path.name
    assert _visible(blank)[-1] == layout.CHECK_SHEET


def test_the_workbook_says_to_whom_and_by_when(blank: Path, fyrkanta) -> None:
    rows = dict(_instructions(blank))
    assert rows["Skicka senast"] == ("2026-09-08 till Maria Holmgren, "
                                     "maria.holmgren@exempelkommun.se")
    # Fyrkanta: the nämnd's own samordnare; a bolag without one gets the kommun's
    assert dict(_instructions(fyrkanta["norrskolan"]))["Frågor"] == (
        "Siv Åström, siv.astrom@fyrkanta.se, 0123-456 78 (styrkortssamordnare)")
    assert dict(_instructions(fyrkanta["FAB"]))["Skicka senast"].endswith(
        "till Ulla Berg, ulla.berg@fyrkanta.se")


def test_not_applicable_is_explained(blank: Path) -> None:
    text = " ".join(t for _, t in _instructions(blank))
    assert "Ej aktuell: vi har inga elever i åk 9" in text


def test_goal_names_stand_beside_the_ids_and_inherited_indicators_say_why(blank: Path) -> None:
    rows = CalamineWorkbook.from_path(str(blank)).get_sheet_by_name(
        layout.INDICATORS_SHEET).to_python(skip_empty_area=False)
    goal_col = layout.column_index(layout.INDICATORS_SHEET, PT, "goal")
    goals = {r[0]: r[goal_col] for r in rows[layout.FIRST_ROW - 1:] if r[0]}
    assert goals["ekonomienheten-E1-I1"] == "ekonomienheten-E1: Vi förenklar för verksamheterna"
    first, why = goals["KLK-V1-I1"].split("\n")
    assert first == "KLK-V1: Stödet till verksamheterna är snabbt och träffsäkert"
    assert why.startswith("Verksamhetsmål för Kommunledningskontoret. Ekonomienheten lämnar")
    lists = CalamineWorkbook.from_path(str(blank)).get_sheet_by_name(layout.LISTS_SHEET)
    assert [r[2] for r in lists.to_python() if r[2]] == [
        "ekonomienheten-E1: Vi förenklar för verksamheterna",
        "KLK-V1: Stödet till verksamheterna är snabbt och träffsäkert"]


@pytest.mark.parametrize("chosen", ["KLK-V1: Stödet till verksamheterna är snabbt och träffsäkert",
                                    "KLK-V1"])
def test_the_chosen_goal_name_is_read_back_as_its_id(blank: Path, fill, chosen: str) -> None:
    sheet = layout.ACTIVITIES_SHEET
    cells = {f"{sheet}!{layout.cell_of(sheet, PT, key, 0)}": value for key, value in (
        ("goal", chosen), ("description", "Ny rutin för fakturor"), ("status", "Pågår"))}
    report = check_file(fill(blank, cells), expected_period=PERIOD)
    assert not report.has_errors, report.problems
    [activity] = report.submission.activities
    assert activity.goal_id == "KLK-V1"


def _kontroll(path: Path) -> tuple[str, list[tuple[str, str, str]]]:
    """(summary, [(sheet, cell, message)]) as the file's cached values show them."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
        layout.CHECK_SHEET).to_python(skip_empty_area=False)
    summary = rows[layout.CHECK_SUMMARY_ROW - 1][0]
    cols = [[c.key for c in layout.CHECK_COLUMNS].index(k) for k in ("sheet", "cell", "problem")]
    listed = [tuple(r[i] for i in cols) for r in rows[layout.CHECK_FIRST_ROW - 1:
                                                       layout.CHECK_FIRST_ROW - 1
                                                       + layout.CHECK_LIST_ROWS] if r[cols[0]]]
    return summary, listed


def test_the_kontroll_sheet_as_written_lists_what_is_missing(blank: Path) -> None:
    summary, listed = _kontroll(blank)
    actual = layout.cell_of(layout.INDICATORS_SHEET, PT, "actual", 0)
    assert (layout.INDICATORS_SHEET, actual, "Utfall saknas: Ärenden lösta vid första kontakt. "
            "Skriv utfallet, eller Ej aktuell och varför i Kommentar.") in listed
    assert [s for s, _, _ in listed] == sorted(
        (s for s, _, _ in listed), key=[layout.GOALS_SHEET, layout.INDICATORS_SHEET,
                                       layout.TEXTS_SHEET].index)
    assert summary.endswith(f": {len(listed)} (se listan nedan, med blad och cell).")
    assert "den kontrollen är den slutliga" in CalamineWorkbook.from_path(str(blank)) \
        .get_sheet_by_name(layout.CHECK_SHEET).to_python()[1][0]


# --- typed in LibreOffice Calc over UNO ---------------------------------------------------


def _ref(sheet: str, key: str, n: int) -> str:
    return f"{sheet}!{layout.cell_of(sheet, PT, key, n)}"


def _reads() -> list[str]:
    out = [f"{layout.CHECK_SHEET}!{layout.address(0, layout.CHECK_SUMMARY_ROW)}"]
    for k in range(layout.CHECK_LIST_ROWS):
        out += [f"{layout.CHECK_SHEET}!{layout.check_list(key, k)}"
                for key in ("sheet", "cell", "problem")]
    return out


def _listed(shown: dict[str, str]) -> tuple[str, list[tuple[str, str, str]]]:
    reads = _reads()
    values = [shown[r] for r in reads[1:]]
    rows = [tuple(values[i:i + 3]) for i in range(0, len(values), 3)]
    return shown[reads[0]], [r for r in rows if r[0]]  # type: ignore[misc]


def _wrong() -> dict[str, str]:
    ind, goals, act = layout.INDICATORS_SHEET, layout.GOALS_SHEET, layout.ACTIVITIES_SHEET
    return {
        _ref(ind, "actual", 0): "1234.5",            # a share typed without its comma
        _ref(ind, "actual", 1): "ca 5",               # text in a number cell
        _ref(ind, "comment", 2): "Ej aktuell",        # without a motivation
        _ref(ind, "actual", 3): "89",
        _ref(goals, "assessment", 0): "Bedöms inte uppfyllas",  # differs, no motivation
        _ref(act, "goal", 0): "KLK-V1: Stödet till verksamheterna är snabbt och träffsäkert",
        _ref(act, "description", 0): "Ny rutin för fakturor",
        _ref(act, "status", 0): "Pågår",
        _ref(act, "start", 0): "2026-09-01",
        _ref(act, "end", 0): "2026-03-01",             # before its start
        _ref(act, "description", 1): "Utbildning i nya systemet",  # no goal, no status
    }


def _corrected() -> dict[str, str]:
    ind, goals, act, texts = (layout.INDICATORS_SHEET, layout.GOALS_SHEET,
                              layout.ACTIVITIES_SHEET, layout.TEXTS_SHEET)
    cells = {
        _ref(ind, "actual", 0): "72.5",
        _ref(ind, "actual", 1): "5.1",
        _ref(ind, "comment", 2): "Ej aktuell: vi har inga interna kunder i år",
        _ref(goals, "motivation", 0): "Två av fyra indikatorer saknar ännu utfall.",
        _ref(goals, "analysis", 0): "Ärendena går snabbare sedan mars.",
        _ref(act, "end", 0): "2026-12-31",
        _ref(act, "goal", 1): "ekonomienheten-E1: Vi förenklar för verksamheterna",
        _ref(act, "status", 1): "Ej påbörjad",
    }
    for n in range(5):
        cells[_ref(texts, "text", n)] = "Text."
    return cells


@pytest.mark.libreoffice
def test_typing_in_calc_shows_the_problems_then_none(blank: Path, tmp_path: Path,
                                                     require_libreoffice: str) -> None:
    """One soffice: the fresh workbook, wrong values typed, then corrected; the Kontroll sheet
    after each step, and check on the files Calc saved."""
    python = shutil.which("python3", path="/usr/bin:/bin") or "python3"
    if subprocess.run([python, "-c", "import uno"], capture_output=True).returncode:
        pytest.skip("python3-uno saknas")
    job = {"soffice": require_libreoffice, "profile_url": (tmp_path / "profile").as_uri(),
           "pipe": f"reportkit-kontroll-{os.getpid()}",
           "worker": str(ROOT / "reportkit" / "documents" / "uno_worker.py"),
           "src": str(blank), "steps": [
               {"read": _reads()},
               {"type": _wrong(), "read": _reads(), "save": str(tmp_path / "wrong.xlsx")},
               {"type": _corrected(), "read": _reads(), "save": str(tmp_path / "right.xlsx")}]}
    (tmp_path / "job.json").write_text(json.dumps(job), encoding="utf-8")
    env = dict(os.environ, LC_ALL="sv_SE.UTF-8", LANG="sv_SE.UTF-8")
    done = subprocess.run([python, str(Path(__file__).with_name("calc_typing.py")),
                           str(tmp_path / "job.json")], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    fresh, wrong, right = (_listed(s) for s in json.loads(done.stdout))

    assert fresh == _kontroll(blank)  # Calc computes what the file shows before recalculation

    ind, act = layout.INDICATORS_SHEET, layout.ACTIVITIES_SHEET
    problems = {(s, c): m for s, c, m in wrong[1]}
    at = {key: ref.split("!")[1] for key, ref in (
        ("share", _ref(ind, "actual", 0)), ("text", _ref(ind, "actual", 1)),
        ("na", _ref(ind, "comment", 2)), ("motivation", _ref(layout.GOALS_SHEET,
                                                              "motivation", 0)),
        ("end", _ref(act, "end", 0)))}
    assert problems[(ind, at["share"])].startswith("Orimligt: en andel ska vara mellan 0 och")
    assert problems[(ind, at["text"])].startswith("Utfallet är inte ett tal")
    assert problems[(ind, at["na"])].startswith("Ej aktuell utan motivering")
    assert problems[(layout.GOALS_SHEET, at["motivation"])].startswith(
        "Bedömningen skiljer sig från förslaget men motivering saknas")
    assert problems[(act, at["end"])] == "Slutdatumet är före startdatumet."
    assert problems[(act, layout.address(0, layout.FIRST_ROW + 1))] == \
        f"Aktivitet nr 2 (rad {layout.FIRST_ROW + 1}) saknar mål, status"
    assert (ind, layout.cell_of(ind, PT, "actual", 2)) not in problems  # Ej aktuell: not missing
    assert wrong[0].startswith("Att rätta eller kontrollera innan du skickar: ")

    assert right == ("Allt ser bra ut: inget saknas och inget ser fel ut. Spara och skicka "
                     "2026-09-08 till Maria Holmgren, maria.holmgren@exempelkommun.se.", [])

    # the files Calc saved: check agrees (the share varning), and the corrected one is clean
    saved = check_file(tmp_path / "wrong.xlsx", expected_period=PERIOD)
    assert {(p.code, p.location.cell) for p in saved.problems} >= {
        ("indicator-share-out-of-range", at["share"]),
        ("activity-end-before-start", at["end"])}
    clean = check_file(tmp_path / "right.xlsx", expected_period=PERIOD)
    assert clean.problems == [] and clean.submission is not None
    goals = {a.goal_id for a in clean.submission.activities}
    assert goals == {"KLK-V1", "ekonomienheten-E1"}
