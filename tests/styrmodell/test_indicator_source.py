"""``källa``: one owner of where an indicator's value comes from (styrmodell/source.py), and a
Kolada-sourced indicator without values that is "ej hämtat", not a crash (Fyrkanta)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportkit.consolidate.exports import check_financial_mapping
from reportkit.consolidate.rollup import compute
from reportkit.outputs.outbox import generate_workbooks
from reportkit.sources.mapping import ImportMapping
from reportkit.storage import store
from reportkit.styrmodell.config import Indicator, load_config
from reportkit.styrmodell.project import Project
from reportkit.styrmodell.project_setup import init_project
from reportkit.styrmodell.source import conflicts, source_of

BASE = {"id": "I1", "namn": "En indikator"}


def _ind(**keys: object) -> Indicator:
    return Indicator.model_validate({**BASE, **keys})


def test_a_free_text_källa_stays_the_label_of_a_workbook_indicator() -> None:
    assert source_of(_ind()) == source_of(_ind(källa="egen mätning"))
    src = source_of(_ind(källa="HR-systemet"))
    assert (src.kind, src.label, src.locked) == ("styrkort", "HR-systemet", False)
    # a kolada: id alone is a reference shown as the source, the value still typed
    src = source_of(_ind(kolada="N15428"))
    assert (src.kind, src.label) == ("styrkort", "Kolada N15428")


@pytest.mark.parametrize(("written", "figure"), [
    ("sjukfrånvaro", "sjukfrånvaro:totalt"),
    ("sjukfrånvaro:kvinnor", "sjukfrånvaro:kvinnor"),
    ("nyckeltal:soliditet", "nyckeltal:soliditet"),
])
def test_an_export_figure(written: str, figure: str) -> None:
    src = source_of(_ind(källa={"export": written}))
    assert (src.kind, src.figure, src.locked) == ("export", figure, True)


def test_a_kolada_source_and_its_label() -> None:
    src = source_of(_ind(källa={"kolada": "N00914", "etikett": "SCB via Kolada"}))
    assert (src.kind, src.kpi, src.label, src.where) == (
        "kolada", "N00914", "SCB via Kolada", "Kolada N00914")


def test_finansiella_mål_is_read_as_an_export_figure_and_källa_wins() -> None:
    mapping = {"I1": "resultat_andel_skatt"}
    src = source_of(_ind(kolada="N03001"), mapping)
    # the label stays what the documents showed before
    assert (src.kind, src.figure, src.via, src.label) == (
        "export", "nyckeltal:resultat_andel_skatt", "finansiella_mål", "Kolada N03001")
    own = _ind(källa={"export": "nyckeltal:soliditet"})
    assert source_of(own, mapping).figure == "nyckeltal:soliditet"
    assert conflicts([own], mapping) == [("I1", "nyckeltal:soliditet", "resultat_andel_skatt")]
    same = _ind(källa={"export": "nyckeltal:resultat_andel_skatt"})
    assert conflicts([same], mapping) == []


def test_the_disagreement_is_a_varning_naming_the_key(tmp_path: Path) -> None:
    root = tmp_path / "kommun"
    init_project(root)
    model, _ = Project.open(root).period("2026-helår")
    mapping = ImportMapping.model_validate({"finansiella_mål": {"KF4-I1": "soliditet"}})
    [found] = check_financial_mapping(mapping, model, root / "data")
    assert (found.code, found.severity, found.location.key) == (
        "source-conflict", "varning", "finansiella_mål.KF4-I1")
    assert "sjukfrånvaro:totalt" in found.message


@pytest.mark.parametrize(("value", "reason"), [
    ({"export": "drift:BUN"}, "sjukfrånvaro, sjukfrånvaro:<mått> eller nyckeltal:<id>"),
    ({"export": "sjukfrånvaro:barn"}, "okänt sjukfrånvaromått 'barn'"),
    ({"kolada": "X1"}, "KPI-id"),
    ({"export": "sjukfrånvaro", "kolada": "N00914"}, "inte båda"),
    ({"källa": "x"}, "okänd nyckel 'källa'"),
])
def test_a_wrong_källa_is_a_swedish_problem_with_key_and_line(tmp_path: Path, value: object,
                                                                reason: str) -> None:
    import yaml

    root = tmp_path / "kommun"
    init_project(root)
    path = root / "styrmodell" / "2026.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["mål"][0]["indikatorer"][0]["källa"] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    config, problems, _ = load_config(path)
    assert config is None
    [found] = problems
    assert found.code == "config-invalid-value"
    assert found.location.key.startswith("mål[0].indikatorer[0].källa (rad ")
    assert reason in found.message


@pytest.fixture(scope="module")
def fyrkanta(tmp_path_factory) -> Project:
    root = tmp_path_factory.mktemp("fyrkanta") / "kommun"
    init_project(root, kommun="fyrkanta")
    return Project.open(root)


def _indicator(project: Project, goal: str, ind_id: str, period: str = "2026-helår"):
    model, _ = project.period(period)
    conn = store.connect(project.store_path)
    try:
        results = compute(conn, model, period)
    finally:
        conn.close()
    return next(i for i in results.goals[goal].indicators if i.indicator_id == ind_id)


def test_a_kolada_indicator_without_values_is_ej_hämtat(fyrkanta: Project, tmp_path) -> None:
    ind = _indicator(fyrkanta, "IM1", "IM1-I2")
    assert ind.actual is None and ind.status == "ej_matt"
    assert ind.rule.startswith("ej hämtat: inget värde för N00914 i data/kolada.csv")
    assert ind.source_note == "ej hämtat"
    # the kommun's styrkort: a locked empty cell that says where the value will come from
    from python_calamine import CalamineWorkbook

    from reportkit.intake.check import check_file
    from reportkit.workbook import layout

    [book] = generate_workbooks(fyrkanta, "2026-helår", ["kommun"], out_dir=tmp_path)
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name(
        layout.INDICATORS_SHEET).to_python()
    n = next(i for i, r in enumerate(rows) if r and r[0] == "IM1-I2")
    # by header: Fyrkanta's kommun sheet has a Målvärde column for the mandatperiod too
    head = rows[layout.HEADER_ROW - 1]
    comment, actual = head.index("Kommentar"), head.index("Utfall")
    assert rows[n][actual] == ""
    assert rows[n][comment] == ("Hämtas ur Kolada N00914 vid sammanställningen (ej hämtat: "
                                "inget värde för N00914 i data/kolada.csv).")
    # the unit is not asked for it: no "Utfall saknas" on that row
    cell = layout.address(actual, n + 1)
    assert not [p for p in check_file(book).problems if p.location.cell == cell]


def test_a_kolada_value_of_the_year_before_is_the_latest_available(fyrkanta: Project) -> None:
    (fyrkanta.root / "data").mkdir(exist_ok=True)
    (fyrkanta.root / "data" / "kolada.csv").write_text(
        "KPI;År;Kön;Värde;Hämtad\nN00914;2024;T;79,1;2026-11-02\nN00914;2025;T;80,4;2026-11-02\n"
        "N00914;2025;K;79,0;2026-11-02\n", encoding="utf-8")
    try:
        ind = _indicator(fyrkanta, "IM1", "IM1-I2")
    finally:
        (fyrkanta.root / "data" / "kolada.csv").unlink()
    assert ind.actual == pytest.approx(80.4)
    # kön: ja — Kolada's K for the same year; no M row: shown as –
    assert ind.by_gender == {"K": pytest.approx(79.0), "M": None}
    assert ind.source_note == "senaste tillgängliga värde (2025); kvinnor 79,0\u00a0%, män –"
    assert ind.rule.startswith("senaste tillgängliga värde (2025), utfall enligt Kolada N00914 "
                               "(data/kolada.csv, rad 3, kolumn Värde, hämtad 2026-11-02); "
                               "kvinnor 79,0\u00a0%, män –; ")


@pytest.mark.parametrize(("source", "reason"), [
    ({"export": "nyckeltal:soliditet"}, "delas inte på kön"),
    ({"export": "sjukfrånvaro:långtid"}, "delas inte på kön"),
])
def test_kön_without_kvinnor_and_män_in_the_source_is_a_varning(tmp_path: Path, source: object,
                                                                 reason: str) -> None:
    import yaml

    from reportkit.styrmodell.model import load_styrmodell

    assert _ind(kön="ja", källa={"export": "sjukfrånvaro"}).by_gender
    root = tmp_path / "kommun"
    init_project(root)
    path = root / "styrmodell" / "2026.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["mål"][0]["indikatorer"][0].update({"källa": source, "kön": "ja"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    model, problems = load_styrmodell(path)
    assert model is not None
    [found] = [p for p in problems if p.code == "config-gender-source"]
    assert found.severity == "varning"
    assert found.location.key.startswith("mål[0].indikatorer[0].kön (rad ")
    assert reason in found.message


def test_an_export_indicator_without_the_export_is_ej_hämtat(fyrkanta: Project) -> None:
    ind = _indicator(fyrkanta, "SN-E2", "SN-E2-I1")
    assert ind.actual is None and ind.status == "ej_matt"
    assert ind.rule.startswith("ej hämtat: personalexporten är inte inläst för 2026-helår")
