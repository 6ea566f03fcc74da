"""``reportkit diff``: goals, indicators, målvärden, units and org kinds added, removed,
renamed and moved between two years, or between the file now and the one the workbooks were
made from (kept in the store by ``workbooks``); a table, ``--json`` and an .xlsx, each change
with the decision reference the styrmodell gives it."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from reportkit import diff_styrmodell, generate_workbooks, next_year
from reportkit.cli import main
from reportkit.storage import store
from reportkit.storage.sent import sent_styrmodell

REPO = Path(__file__).resolve().parents[2]
FYRKANTA = REPO / "fixtures" / "fyrkanta" / "styrmodell" / "2026.yaml"


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "fyrkanta"
    (root / "styrmodell").mkdir(parents=True)
    shutil.copy(FYRKANTA, root / "styrmodell" / "2026.yaml")
    return root


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _rows(result) -> set[tuple[str, str, str, str]]:
    return {(c.what, c.change, c.id, c.decision) for c in result.changes}


def test_two_years_show_what_was_added_removed_renamed_and_moved(tmp_path: Path) -> None:
    root = _project(tmp_path)
    next_year(root)
    # nytt-ar changes no goal, unit or target but the ending mandatperiod's målvärden, which
    # it drops (2027 begins a new one; Fyrkanta has two), and the internkontrollplaner's
    # adoption, which it empties (the nämnder adopt new plans)
    assert {(c.what, c.change) for c in diff_styrmodell(root).changes} == \
        {("målvärde", "borttagen"), ("internkontrollplan", "ändrad")}
    assert all(c.name.endswith("(mandatperioden)") for c in diff_styrmodell(root).changes
               if c.what == "målvärde")
    new = root / "styrmodell" / "2027.yaml"
    _edit(new, '    namn: "Fyrkanta är en arbetsplats där man vill stanna"\n',
          '    namn: "Ett nytt namn"\n    beslut: "KF 2027-02-20 § 12"\n')
    _edit(new, '        namn: "Skolavdelningen"', '        namn: "Omdöpt verksamhet"')
    gid, gname = "IM2", "Fyrkanta är en arbetsplats där man vill stanna"
    result = diff_styrmodell(root, 2026, 2027)
    assert ("mål", "omdöpt", gid, "KF 2027-02-20 § 12") in _rows(result)
    assert ("enhet", "omdöpt", "skola", "") in _rows(result)
    renamed = next(c for c in result.changes if c.id == gid)
    assert renamed.before == gname and renamed.after == "Ett nytt namn"


def test_a_target_changed_after_utskick_shows_with_both_values(tmp_path: Path) -> None:
    root = _project(tmp_path)
    period = "2026-helår"
    generate_workbooks(root, period, levels=["kommun"])
    conn = store.connect(root / "reportkit.sqlite")
    try:
        kept = sent_styrmodell(conn, period)
    finally:
        conn.close()
    assert kept is not None
    assert kept.content == (root / "styrmodell" / "2026.yaml").read_bytes()
    assert diff_styrmodell(root, sent=True, period_id=period).changes == []

    path = root / "styrmodell" / "2026.yaml"
    target = re.search(r"målvärde: \{2026: ([0-9.]+)", path.read_text(encoding="utf-8"))
    assert target is not None
    _edit(path, target.group(0), "målvärde: {2026: 12345")
    result = diff_styrmodell(root, sent=True, period_id=period)
    assert [(c.what, c.change) for c in result.changes] == [("målvärde", "ändrad")]
    assert result.changes[0].after.replace("\xa0", " ") == "12 345,0 %"
    assert result.before.startswith(f"utskick {period}")


def test_removed_and_added_indicators_and_units(tmp_path: Path) -> None:
    root = _project(tmp_path)
    next_year(root)
    new = root / "styrmodell" / "2027.yaml"
    text = new.read_text(encoding="utf-8")
    ind = re.search(r"^      - id: (\S+-I1)\n", text, re.M)
    assert ind is not None
    _edit(new, f"      - id: {ind.group(1)}\n", "      - id: NY-I9\n")
    result = diff_styrmodell(root)
    assert ("indikator", "borttagen", ind.group(1), "") in _rows(result)
    assert ("indikator", "tillagd", "NY-I9", "") in _rows(result)


def test_cli_table_json_and_xlsx(tmp_path: Path) -> None:
    root = _project(tmp_path)
    next_year(root)
    new = root / "styrmodell" / "2027.yaml"
    _edit(new, "  - id: IM1\n", '  - id: IM1\n    beslut: "KF 2027-02-20 § 12"\n')
    _edit(new, "målvärde: {2026: 75, 2027: 77, 2028: 78}",
          "målvärde: {2026: 75, 2027: 78, 2028: 78}")
    runner = CliRunner()
    table = runner.invoke(main, ["diff", str(root), "--från", "2026", "--till", "2027",
                                 "--xlsx", str(tmp_path / "andringar.xlsx")])
    assert table.exit_code == 0, table.output
    assert table.output.startswith("Ändringar i styrmodellen från styrmodell/2026.yaml")
    # the changed målvärde, and the mandatperiod's målvärden that a new mandatperiod (2027–2030)
    # leaves to the new KF to decide, and the two internkontrollplaner to adopt anew
    assert "5 ändringar: 2 borttagna, 3 ändrade." in table.output
    as_json = runner.invoke(main, ["diff", str(root), "--json"])
    assert as_json.exit_code == 0 and '"changes": [' in as_json.output
    book = CalamineWorkbook.from_path(str(tmp_path / "andringar.xlsx"))
    rows = book.get_sheet_by_name("Ändringar").to_python()
    assert rows[2][:4] == ["Vad", "Ändring", "Id", "Namn"]
    assert any(r[0] == "målvärde" and r[1] == "ändrad" for r in rows[3:])
    # the same changes, byte for byte the same file
    again = runner.invoke(main, ["diff", str(root), "--xlsx", str(tmp_path / "igen.xlsx")])
    assert again.exit_code == 0
    assert (tmp_path / "igen.xlsx").read_bytes() == (tmp_path / "andringar.xlsx").read_bytes()


def test_utskick_without_a_kept_styrmodell_says_so(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = CliRunner().invoke(main, ["diff", str(root), "--utskick", "-p", "2026-delår"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "innan reportkit sparade styrmodellen" in result.output


def test_a_store_made_by_todays_release_opens_and_keeps_the_styrmodell(tmp_path: Path) -> None:
    path = tmp_path / "reportkit.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, "
                "applied_at TEXT NOT NULL DEFAULT (datetime('now')))")
    names = [name for name, _ in store.MIGRATIONS]
    for name, sql in store.MIGRATIONS[:names.index("0103_submission_claimed_unit") + 1]:
        for statement in sql.split(";"):
            if statement.strip():
                old.execute(statement)
        old.execute("INSERT INTO migrations(name) VALUES (?)", (name,))
    old.commit()
    old.close()
    conn = store.connect(path)
    try:
        applied = {r[0] for r in conn.execute("SELECT name FROM migrations")}
        assert "0110_styrmodell_sent" in applied
        from reportkit.storage.sent import keep_sent_styrmodell

        keep_sent_styrmodell(conn, "2026-delår", 2026, b"version: 1\n", "2026-08-20T10:00:00", 3)
        keep_sent_styrmodell(conn, "2026-delår", 2026, b"version: 1\n", "2026-08-21T10:00:00", 1)
        found = sent_styrmodell(conn, "2026-delår")
        assert found is not None and found.made_at == "2026-08-21T10:00:00"
        assert conn.execute("SELECT COUNT(*) FROM styrmodell_file").fetchone()[0] == 1
    finally:
        conn.close()
