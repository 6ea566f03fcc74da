import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from reportkit.sources import ImportMapping, load_mapping, read_exports
from reportkit.sources.tables import parse_number
from reportkit.styrmodell.model import load_styrmodell

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "exempelkommun"
DATA = FIXTURE / "data"


@pytest.fixture(scope="module")
def model():
    found, problems = load_styrmodell(FIXTURE / "styrmodell" / "2026.yaml")
    assert found is not None, [p.line() for p in problems]
    return found


@pytest.fixture
def project(tmp_path):
    """A copy of Exempelkommun's data folder to spoil."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _edit(path: Path, old: str, new: str, encoding: str = "utf-8-sig") -> None:
    text = path.read_text(encoding=encoding)
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding=encoding)


def _codes(data):
    return sorted((p.code, p.location.file.rsplit("/", 1)[-1], p.location.row,
                   p.location.column) for p in data.problems)


@pytest.mark.parametrize("period", ["2026-delår", "2026-helår"])
def test_every_exempelkommun_export_loads_without_problems(model, period):
    data = read_exports(DATA, period, model)
    assert [p.line() for p in data.problems] == []
    assert len(data.drift) == 6 + 20
    assert len(data.investments) == 12
    assert len(data.hr) == 20 * 6
    assert {f.key for f in data.key_figures} >= {"årets_resultat", "soliditet", "skattesats"}
    assert {f.unit for f in data.frames} == {"KS", "BUN", "VON", "SN", "KFN", "MBN"}
    assert {c.company for c in data.companies} == {"EXBO"}
    assert len(data.statements) == 1


def test_drift_values_are_net_cost_with_their_source(model):
    data = read_exports(DATA, "2026-helår", model)
    row = next(r for r in data.drift if r.unit == "forskola")
    assert (row.committee, row.level, row.ansvar) == ("BUN", "verksamhet", "31")
    # the export writes "-151 474" with a non-breaking space; costs are stored positive
    assert row.actual.value == 151474
    assert row.actual.source.file == "data/2026-helår/ekonomi-drift.csv"
    assert (row.actual.source.row, row.actual.source.column) == (7, "Utfall perioden")
    assert len(row.actual.source.sha256) == 64
    assert row.forecast is None


def test_each_period_type_reads_its_own_exports_and_lists_them_with_hashes(model):
    plan = read_exports(DATA, "2026-plan", model)
    assert plan.problems == []
    assert [(f.kind, f.file) for f in plan.files] == [
        ("nyckeltal", "data/2026-plan/nyckeltal.csv"),
        ("ramar", "data/2026-plan/ramar.csv"),
        ("investeringsplan", "data/2026-plan/investeringsplan.csv")]
    assert plan.drift == [] and {f.year for f in plan.frames} == {2026, 2027, 2028}
    helar = read_exports(DATA, "2026-helår", model)
    assert [f.kind for f in helar.files] == [
        "drift", "investeringar", "personal", "nyckeltal", "ramar", "investeringsplan", "bolag",
        "finansiella_rapporter"]
    drift = helar.files[0]
    assert drift.sha256 == helar.drift[0].actual.source.sha256
    # the tertial has no folder in Exempelkommun: its four exports are missing (varningar)
    tertial = read_exports(DATA, "2026-T1", model)
    assert [(p.code, p.severity) for p in tertial.problems] == [("export-missing", "varning")] * 4
    assert [f.sha256 for f in tertial.files] == [None] * 4


def test_delar_drift_carries_forecast(model):
    data = read_exports(DATA, "2026-delår", model)
    assert all(r.forecast is not None for r in data.drift)


def test_verksamhet_rows_that_do_not_add_up_name_the_total_row(model, project):
    _edit(project / "2026-helår" / "ekonomi-drift.csv", "-151\u00a0474", "-151\u00a0574")
    data = read_exports(project, "2026-helår", model)
    assert _codes(data) == [("export-total-mismatch", "ekonomi-drift.csv", 6,
                             "Utfall perioden")]
    assert "563 551" in data.problems[0].message.replace("\u00a0", " ")


def test_unknown_ansvar_code_is_reported_with_its_row(model, project):
    _edit(project / "2026-helår" / "ekonomi-drift.csv", "Ansvar;34;", "Ansvar;39;")
    data = read_exports(project, "2026-helår", model)
    codes = _codes(data)
    assert ("export-unknown-ansvar", "ekonomi-drift.csv", 10, "Ansvar") in codes
    # the row is left out, so BUN's total no longer matches: reported, not absorbed
    assert {c[0] for c in codes} == {"export-unknown-ansvar", "export-total-mismatch"}


def test_text_in_a_number_is_reported_and_not_summed(model, project):
    path = project / "2026-helår" / "ekonomi-drift.csv"
    _edit(path, "-122\u00a0609", "-122\u00a06O9")
    data = read_exports(project, "2026-helår", model)
    assert _codes(data) == [("export-not-number", "ekonomi-drift.csv", 9, "Utfall perioden")]
    assert data.problems[0].values["value"] == "-122\u00a06O9"


def test_period_mismatch_missing_column_and_duplicate(model, project):
    folder = project / "2026-helår"
    _edit(folder / "ekonomi-investeringar.csv", "202601-202612;P2402", "202601-202611;P2402")
    _edit(folder / "ramar.csv", "Ansvar;Nämnd", "Ansvarskod;Nämnd")
    text = (folder / "hr-sjukfranvaro.csv").read_text(encoding="utf-8-sig")
    line = text.splitlines()[1]
    (folder / "hr-sjukfranvaro.csv").write_text(text + line + "\r\n", encoding="utf-8-sig")
    data = read_exports(project, "2026-helår", model)
    assert _codes(data) == [
        ("export-column-missing", "ramar.csv", 1, "Ansvar"),
        ("export-duplicate-row", "hr-sjukfranvaro.csv", 122, "Grupp"),
        ("export-period-mismatch", "ekonomi-investeringar.csv", 3, "Period"),
    ]
    # the other files still load
    assert len(data.drift) == 26 and len(data.investments) == 12 and data.frames == []


def test_a_broken_file_is_reported_and_the_others_still_load(model, project):
    folder = project / "2026-delår"
    (folder / "ekonomi-investeringar.csv").unlink()
    (folder / "ekonomi-investeringar.xlsx").write_bytes(b"PK\x03\x04 inte en arbetsbok")
    data = read_exports(project, "2026-delår", model)
    assert [(p.code, p.location.file) for p in data.problems] == [
        ("file-corrupt", "data/2026-delår/ekonomi-investeringar.xlsx")]
    assert data.investments == [] and len(data.drift) == 26 and len(data.hr) == 120


def test_missing_export_is_a_warning_naming_the_file(model, project):
    (project / "2026-helår" / "bolag.csv").unlink()
    data = read_exports(project, "2026-helår", model)
    assert [(p.code, p.severity, p.location.file) for p in data.problems] == [
        ("export-missing", "varning", "data/2026-helår/bolag.csv")]


def test_hr_groups_must_add_up_to_totalt(model, project):
    # Förskola, Kvinnor: 200 employees → 199 makes women + men differ from Totalt
    _edit(project / "2026-helår" / "hr-sjukfranvaro.csv", ";Förskola;Kvinnor;200;",
          ";Förskola;Kvinnor;199;")
    data = read_exports(project, "2026-helår", model)
    assert _codes(data) == [("export-total-mismatch", "hr-sjukfranvaro.csv", 25,
                             "Antal anställda")]


def _hr_values(data):
    return [(r.unit, r.group) + tuple(
        (v.value, v.source.row, v.source.column)
        for v in (r.headcount, r.ordinary_hours, r.sick_hours, r.long_sick_hours))
        for r in data.hr]


def test_cp1252_utf8_bom_and_xlsx_give_identical_records(model, tmp_path):
    results = []
    for variant, name in (("hr-sjukfranvaro-cp1252.csv", "hr-sjukfranvaro.csv"),
                          ("hr-sjukfranvaro-utf8-bom.csv", "hr-sjukfranvaro.csv"),
                          ("hr-sjukfranvaro.xlsx", "hr-sjukfranvaro.xlsx")):
        root = tmp_path / variant / "data"
        shutil.copytree(DATA / "2026-helår", root / "2026-helår")
        (root / "2026-helår" / "hr-sjukfranvaro.csv").unlink()
        shutil.copy(DATA / "varianter" / variant, root / "2026-helår" / name)
        data = read_exports(root, "2026-helår", model)
        assert data.problems == []
        results.append(data)
    assert (DATA / "varianter" / "hr-sjukfranvaro-cp1252.csv").read_bytes()[:3] != b"\xef\xbb\xbf"
    first = _hr_values(results[0])
    assert len(first) == 120
    assert all(_hr_values(r) == first for r in results[1:])
    # provenance differs only in file name and hash
    sources = [r.hr[0].sick_hours.source for r in results]
    assert len({s.sha256 for s in sources}) == 3
    assert {replace(s, sha256="", file="") for s in sources} == {
        replace(sources[0], sha256="", file="")}
    # and the same as the period's own export
    assert _hr_values(read_exports(DATA, "2026-helår", model)) == first


def test_plain_ansvar_mapping_works_without_styrmodell():
    units = {"1": "KS", "11": "klk", "12": "sbf", "13": "rtj", "3": "BUN", "31": "forskola",
             "32": "grundskola", "33": "gymnasium", "34": "elevhalsa", "4": "VON",
             "41": "sabo", "42": "hemtjanst", "43": "lss", "44": "hsl", "5": "SN",
             "51": "ifo-bof", "52": "ifo-vuxen", "53": "arbetsmarknad", "6": "KFN",
             "61": "bibliotek", "62": "fritid", "63": "kulturskola", "7": "MBN", "71": "bygg",
             "72": "miljo", "73": "plan"}
    mapping = ImportMapping.model_validate({"perioder": {"2026-helår": "202601-202612"}})
    data = read_exports(DATA, "2026-helår", units, mapping)
    # bolag are not in a plain ansvar mapping: reported, everything else loads
    assert {p.code for p in data.problems} == {"export-unknown-unit"}
    assert next(r for r in data.drift if r.unit == "grundskola").committee == "BUN"


def test_mapping_file_renames_columns_and_reports_unknown_keys(model, project):
    (project / "import.yaml").write_text(
        "drift:\n  kolumner:\n    utfall: Utfall\n  färg: röd\n", encoding="utf-8")
    mapping, problems = load_mapping(project)
    assert [(p.code, p.location.key) for p in problems] == [
        ("config-unknown-key", "drift.färg (rad 4)")]
    (project / "import.yaml").write_text("drift:\n  kolumner:\n    utfall: Utfall\n",
                                         encoding="utf-8")
    mapping, problems = load_mapping(project)
    assert problems == [] and mapping.drift.columns.actual == "Utfall"
    data = read_exports(project, "2026-helår", model)
    assert [(p.code, p.location.column, p.values["setting"]) for p in data.problems] == [
        ("export-column-missing", "Utfall", "drift.kolumner.utfall")]


def test_fixture_mapping_file_equals_the_defaults_but_for_the_kommuns_own_ids():
    mapping, problems = load_mapping(DATA)
    assert problems == []
    assert mapping.model_copy(update={"financial_goals": {}}) == ImportMapping()
    assert mapping.financial_goals == {"KF7-I1": "resultat_andel_skatt",
                                       "KF8-I1": "självfinansieringsgrad",
                                       "KF8-I2": "antal_nämnder_inom_ram"}


@pytest.mark.parametrize(("text", "number"), [
    ("-1 234,5", -1234.5), ("1\u00a0234", 1234.0), ("\u221212", -12.0), ("45,2 %", 45.2),
    ("12.5", 12.5), ("0", 0.0), (None, None)])
def test_swedish_numbers_parse(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["1.234", "12 st", "1,2,3", "--", "ca 5", "12 34"])
def test_text_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_every_sources_module_imports_without_openpyxl():
    import subprocess
    import sys

    code = ("import sys, reportkit.sources, reportkit.consolidate.economy; "
            "assert 'openpyxl' not in sys.modules and 'python_calamine' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_export_error_texts_render_with_their_fields():
    from reportkit.errors import CATALOGUE, Problem

    for code, kind in CATALOGUE.items():
        if code.startswith(("export-", "economy-")):
            text = Problem(code, values={f: "x" for f in kind.fields})
            assert "{" not in text.message + text.hint, code
