"""The documents' intern kontroll and uppdrag in the kommun's own words (issue #32): Fyrkanta
calls everything something else, and nothing of Exempelkommun's words reaches its values; the
riskmatris has Swedish alt text that states the counts, not only the colours."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from reportkit.consolidate.control import planned
from reportkit.documents.control import (
    ControlData,
    committee_control,
    control_values,
    risk_chart,
)
from reportkit.styrmodell.project import Project

REPO = Path(__file__).resolve().parents[2]


def _data(kommun: str, period_id: str = "2026-plan") -> SimpleNamespace:
    model, period = Project.open(REPO / "fixtures" / kommun).period(period_id)
    d = ControlData(planned(model, period.end), model.config.internal_control,
                    model.config.assignments, {c.id: c.name for c in model.committees()},
                    plan=period.type == "plan")
    return SimpleNamespace(control=d)


def test_fyrkanta_in_its_own_words() -> None:
    v = control_values(_data("fyrkanta", "2026-helår"))
    ik, up = v["ik"], v["up"]
    assert ik["rubrik"] == "Internkontroll" and up["rubrik"] == "Beslutade uppdrag"
    assert ik["rubriker"]["utan_anmarkning"] == "✓ Inga brister"
    assert ik["rubriker"]["med_avvikelse"] == "! Brister funna"
    assert up["rubriker"]["genomfort"] == "■ Klart" and up["rubriker"]["forsenat"] == "⚑ Sent"
    assert [r["niva"] for r in ik["risker"]] == ["▲ Åtgärdas", "◇ Bevakas", "▽ Acceptabel risk"]
    assert [r["intervall"] for r in ik["risker"]] == ["12–25", "5–11", "1–4"]
    shown = repr(v)
    for theirs in ("Utan anmärkning", "Med avvikelse", "Genomfört", "Hög risk",
                   "Uppdrag från fullmäktige", "Intern kontroll"):
        assert theirs not in shown
    # every plan has the kommungemensamt moment first; nothing reported yet at the plan
    assert ik["summa"]["ej_rapporterat"] == ik["antal"] == "6"
    assert [u["givet_av"] for u in up["lista"]] == [
        "Kommunfullmäktige (budgetdirektiv)", "Kommunstyrelsen (revisionsrapport)",
        "Tekniska nämnden (bifallen motion)"]


def test_a_chapter_has_its_own_plan_with_date_and_paragraph() -> None:
    own = committee_control(_data("fyrkanta"), "TN")
    assert own["ik"]["antagen"] == "antagen 2025-12-04 § 77"
    assert [m["moment"] for m in own["ik"]["moment"]] == [
        "Inköp utanför avtal (kommungemensamt)", "Vinterväghållning", "VA-taxa"]
    # 2 × 5 = 10 would be Bevakas by its product; the cell 2-5 is set to Åtgärdas
    assert own["ik"]["moment"][1]["risk"] == "2 × 5 = 10 ▲ Åtgärdas"
    assert [u["id"] for u in own["up"]["lista"]] == ["FU-2", "FU-3"]
    assert committee_control(_data("fyrkanta"), "VALN")["ik"]["finns"] is False


def test_the_riskmatris_has_alt_text_with_the_counts() -> None:
    spec = risk_chart(_data("exempelkommun"), 2026)
    assert spec is not None
    fn, kwargs = spec
    assert kwargs["likelihood"][-1] == "Sannolik" and len(kwargs["cells"]) == 16
    chart = fn(**kwargs)
    assert chart.png.startswith(b"\x89PNG")
    assert chart.alt.startswith("Riskmatris: kontrollmoment i internkontrollplanerna 2026. "
                                "44 kontrollmoment")
    assert "Hög risk: 13." in chart.alt and len(chart.alt) <= 600


def test_genomfört_is_a_proposal_until_the_giver_decides() -> None:
    data = _data("exempelkommun", "2026-helår")
    d = data.control
    for a in d.follow.assignments:
        a.status, a.overdue = "genomfort", False  # as follow_up sets them
    shown = {u["id"]: u["status"] for u in control_values(data)["up"]["lista"]}
    assert shown["U2026-01"] == "● Genomfört (förslag)"  # a draft
    d.declared_by = "BUN"  # BUN's own decision declares only what BUN gave
    shown = {u["id"]: u["status"] for u in control_values(data)["up"]["lista"]}
    assert shown["U2026-09"] == "● Genomfört" and shown["U2026-01"].endswith("(förslag)")
    d.declared_by = "kommun"  # KF's decision declares them all
    assert all(u["status"] == "● Genomfört" for u in control_values(data)["up"]["lista"])
