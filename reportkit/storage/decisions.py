"""Decided versions: what KF (or a nämnd, for its part) decided stays decided.

``reportkit beslut`` freezes the consolidated state of a period, or of one nämnd's part, as a
version carrying its decision ("KF 2027-04-20 § 45"). Nothing is copied: the store never
deletes a submission, so a version is the set of submissions that were active for its units
when it was decided (plus the exports and history files loaded then, and the section texts and
templates used, archived as bytes so the decided document can be re-created exactly).
Submissions that arrive later replace the active ones in the draft and never touch the version.
Undoing a decision is explicit and records who and why; the decision row stays, marked undone.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportkit.errors import ReportkitError, problem
from reportkit.storage.access import opened
from reportkit.styrmodell.model import Styrmodell
from reportkit.styrmodell.project import Project

KOMMUN = "kommun"

_DECISION = re.compile(
    r"^\s*(?P<body>.+?)\s+(?P<date>\d{4}-\d{2}-\d{2})\s*(?:§|§§|par\.?|paragraf)\s*"
    r"(?P<par>\d+[a-z]?(?:\s*[-–]\s*\d+)?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Decision:
    """One decision of a period (or of a nämnd's part of it)."""

    id: int
    period: str
    scope: str               # "kommun" or the nämnd's/bolag's unit id
    body: str
    date: str
    paragraph: str
    recorded_at: str
    recorded_by: str
    undone_at: str | None = None
    undone_by: str | None = None
    undo_reason: str | None = None

    @property
    def label(self) -> str:
        return f"{self.body} {self.date} § {self.paragraph}"

    @property
    def live(self) -> bool:
        return self.undone_at is None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Decision:
        return cls(row["id"], row["period"], row["scope"], row["body"], row["date"],
                   row["paragraph"], row["recorded_at"], row["recorded_by"], row["undone_at"],
                   row["undone_by"], row["undo_reason"])


def parse_decision(text: str) -> tuple[str, str, str]:
    """``"KF 2027-04-20 § 45"`` → ``("KF", "2027-04-20", "45")``; a Swedish fel otherwise."""
    m = _DECISION.match(text or "")
    if m:
        try:
            dt.date.fromisoformat(m["date"])
        except ValueError:
            m = None
    if not m:
        raise ReportkitError(problem("decision-format", text=text))
    return m["body"].strip(), m["date"], re.sub(r"\s+", "", m["par"])


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _who() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not an error worth stopping for
        return "okänd"


def scope_units(model: Styrmodell, scope: str) -> set[str]:
    """The units whose submissions a decision of ``scope`` covers."""
    if scope == KOMMUN:
        return set(model.units)
    return {scope} | {u.id for u in model.descendants(scope)}


def check_scope(model: Styrmodell, scope: str) -> None:
    if scope == KOMMUN:
        return
    unit = model.units.get(scope)
    if unit is None or unit.level != "nämnd":
        known = ", ".join(u.id for u in model.units.values() if u.level == "nämnd")
        raise ReportkitError(problem("decision-scope-unknown", scope=scope, known=known))


def decisions(conn: sqlite3.Connection, period_id: str, *, live_only: bool = False
              ) -> list[Decision]:
    rows = conn.execute("SELECT * FROM decision WHERE period = ? ORDER BY id", (period_id,))
    out = [Decision.from_row(r) for r in rows]
    return [d for d in out if d.live] if live_only else out


def decide(conn: sqlite3.Connection, model: Styrmodell, period_id: str, text: str, *,
           scope: str = KOMMUN, archive: dict[str, Path] | None = None,
           recorded_at: str | None = None, recorded_by: str | None = None) -> Decision:
    """Freeze the period's consolidated state (or ``scope``'s part) as a decided version.

    ``archive`` maps names (``texter/...``, ``mallar/...``) to files whose bytes are kept with
    the decision. Raises ReportkitError when the text is not a decision, the scope is unknown,
    nothing is consolidated for it, or the same scope already has a live decision.
    """
    body, date, paragraph = parse_decision(text)
    check_scope(model, scope)
    for d in decisions(conn, period_id, live_only=True):
        if d.scope == scope:
            raise ReportkitError(problem("decision-exists", period=period_id, label=d.label,
                                         decision=d.id))
    units = scope_units(model, scope)
    active = [(r["unit_id"], r["id"]) for r in conn.execute(
        "SELECT unit_id, id FROM submission WHERE period = ? AND state = 'aktiv' "
        "ORDER BY unit_id", (period_id,)) if r["unit_id"] in units]
    if not active:
        raise ReportkitError(problem("decision-nothing", period=period_id, scope=scope))
    from reportkit.storage.store import transaction

    with transaction(conn):
        cur = conn.execute(
            "INSERT INTO decision(period, scope, body, date, paragraph, recorded_at, "
            "recorded_by) VALUES (?,?,?,?,?,?,?)",
            (period_id, scope, body, date, paragraph, recorded_at or _now(),
             recorded_by or _who()))
        did = cur.lastrowid
        assert did is not None  # set by the INSERT just made
        conn.executemany("INSERT INTO decision_submission VALUES (?,?,?)",
                         [(did, unit, sid) for unit, sid in active])
        conn.execute("INSERT INTO decision_source SELECT ?, kind, file, sha256 "
                     "FROM source_file ORDER BY kind, file", (did,))
        conn.execute("INSERT INTO decision_source SELECT ?, 'export:' || kind, file, sha256 "
                     "FROM export_load WHERE period = ? AND state = 'aktiv' ORDER BY kind",
                     (did, period_id))
        # the Kolada values kept so far (storage/kolada.py): a later fetch leaves them decided
        conn.execute("INSERT INTO decision_source SELECT ?, 'kolada', 'kolada_value', "
                     "CAST(COALESCE(MAX(id), 0) AS TEXT) FROM kolada_value", (did,))
        for name, path in sorted((archive or {}).items()):
            data = path.read_bytes()
            conn.execute("INSERT INTO decision_file VALUES (?,?,?,?)",
                         (did, name, hashlib.sha256(data).hexdigest(), data))
    return get(conn, period_id, str(did))


def get(conn: sqlite3.Connection, period_id: str, ref: str) -> Decision:
    """A decision by its number or its text (``"KF 2027-04-20 § 45"``)."""
    ref = (ref or "").strip()
    found: list[Decision] = []
    if ref.isascii() and ref.isdigit():
        found = [d for d in decisions(conn, period_id) if d.id == int(ref)]
    else:
        try:
            body, date, paragraph = parse_decision(ref)
        except ReportkitError:
            body = date = paragraph = ""
        found = [d for d in decisions(conn, period_id)
                 if (d.body.casefold(), d.date, d.paragraph)
                 == (body.casefold(), date, paragraph)]
        live = [d for d in found if d.live]
        found = live or found[-1:]
    if not found:
        known = "; ".join(f"{d.id}: {d.label}" for d in decisions(conn, period_id)) or "inga"
        raise ReportkitError(problem("decision-unknown", ref=ref, period=period_id,
                                     known=known))
    return found[0]


def undo(conn: sqlite3.Connection, period_id: str, ref: str, reason: str, *,
         who: str | None = None, at: str | None = None) -> Decision:
    """Undo a decision explicitly: it stays in the store, marked with who, when and why."""
    decision = get(conn, period_id, ref)
    if not decision.live:
        raise ReportkitError(problem("decision-already-undone", label=decision.label,
                                     when=decision.undone_at or ""))
    if not (reason or "").strip():
        raise ReportkitError(problem("decision-undo-reason", label=decision.label))
    from reportkit.storage.store import transaction

    with transaction(conn):
        conn.execute("UPDATE decision SET undone_at = ?, undone_by = ?, undo_reason = ? "
                     "WHERE id = ?", (at or _now(), who or _who(), reason.strip(),
                                      decision.id))
    return get(conn, period_id, str(decision.id))


def version_submissions(conn: sqlite3.Connection, decision: Decision
                        ) -> dict[str, sqlite3.Row]:
    """The submissions of a decided version, by unit id (as ``active_submissions`` does)."""
    rows = conn.execute(
        "SELECT s.* FROM decision_submission d JOIN submission s ON s.id = d.submission_id "
        "WHERE d.decision_id = ? ORDER BY s.unit_id", (decision.id,))
    return {r["unit_id"]: r for r in rows}


def decided_source_hash(conn: sqlite3.Connection, decision: Decision, kind: str
                        ) -> str | None:
    """The SHA-256 of the source of ``kind`` (e.g. ``export:finansiella_rapporter``) the
    decision froze; None when it froze none."""
    row = conn.execute("SELECT sha256 FROM decision_source WHERE decision_id = ? AND kind = ?",
                       (decision.id, kind)).fetchone()
    return None if row is None else str(row[0])


def archived_files(conn: sqlite3.Connection, decision: Decision) -> dict[str, bytes]:
    return {r["name"]: r["content"] for r in conn.execute(
        "SELECT name, content FROM decision_file WHERE decision_id = ? ORDER BY name",
        (decision.id,))}


@dataclass(frozen=True)
class PartState:
    """Whether a nämnd's part of a period is utkast or beslutad, and by what."""

    committee: str
    state: str                      # "utkast" | "beslutad"
    decision: Decision | None
    changed_after: tuple[str, ...]  # units whose active submission differs from the decided


def part_states(conn: sqlite3.Connection, model: Styrmodell, period_id: str
                ) -> list[PartState]:
    """Per nämnd (and bolag): utkast or beslutad (by its own or the kommun's decision)."""
    live = decisions(conn, period_id, live_only=True)
    active = {r["unit_id"]: r["id"] for r in conn.execute(
        "SELECT unit_id, id FROM submission WHERE period = ? AND state = 'aktiv'",
        (period_id,))}
    out = []
    for com in (u for u in model.units.values() if u.level == "nämnd"):
        own = [d for d in live if d.scope == com.id]
        whole = [d for d in live if d.scope == KOMMUN]
        made = own or whole
        decision = made[-1] if made else None
        if decision is None:
            out.append(PartState(com.id, "utkast", None, ()))
            continue
        decided = {u: r["id"] for u, r in version_submissions(conn, decision).items()}
        units = scope_units(model, com.id)
        changed = tuple(sorted(u for u in units if active.get(u) != decided.get(u)))
        out.append(PartState(com.id, "beslutad", decision, changed))
    return out


def decision_archive(project: Project, model: Styrmodell, period_id: str) -> dict[str, Path]:
    """What a decided document is made of besides the store: section texts, templates (with
    avsnitt.yaml), the import mapping and the ekonomiavdelning's statements (.docx)."""
    from reportkit.resources import templates_dir

    files: dict[str, Path] = {}
    texts = project.texts(period_id)
    if texts.is_dir():
        for path in sorted(texts.rglob("*")):
            if path.is_file() and not path.name.startswith((".", "~$")):
                files["texter/" + path.relative_to(texts).as_posix()] = path
    templates = project.docx_templates(model) or templates_dir() / "docx"
    if templates.is_dir():
        for path in sorted([*templates.glob("*.docx"), *templates.glob("*.yaml")]):
            files["mallar/" + path.name] = path
    mapping = project.root / "data" / "import.yaml"
    if mapping.is_file():
        files["data/import.yaml"] = mapping
    data = project.root / "data" / period_id
    if data.is_dir():  # the ekonomiavdelning's financial statements, inserted as they are
        for path in sorted(data.glob("*.docx")):
            files[f"data/{period_id}/{path.name}"] = path
    return files


def mapping_in_use(conn: sqlite3.Connection, data_dir: Path | None,
                   decision: Decision | None):
    """The export import mapping to use: a decided version's archived one, else
    ``data_dir/import.yaml`` (its problems were reported by consolidate); ``None`` without
    either."""
    from reportkit.sources.mapping import load_mapping

    archived = archived_mapping(conn, decision) if decision is not None else None
    if archived is not None:
        return archived
    if data_dir is None or not (data_dir / "import.yaml").is_file():
        return None
    return load_mapping(data_dir)[0]


def archived_mapping(conn: sqlite3.Connection, decision: Decision):
    """The export import mapping (data/import.yaml) as it was when ``decision`` was made."""
    import tempfile

    from reportkit.sources.mapping import load_mapping

    data = archived_files(conn, decision).get("data/import.yaml")
    if data is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "import.yaml").write_bytes(data)
        mapping, _ = load_mapping(Path(tmp))
    return mapping


def record_decision(project: Project | Path | str, period_id: str | None, text: str, *,
                    committee: str | None = None) -> Decision:
    """``reportkit beslut``: freeze the period (or ``committee``'s part: its id or name, any
    case, styrmodell/lookup.py) as decided by ``text``."""
    from reportkit.styrmodell.lookup import find_committee

    with opened(project, period_id, lock=True) as (project, model, period, conn):
        scope = find_committee(model, committee).id if committee else KOMMUN
        return decide(conn, model, period.id, text, scope=scope,
                      archive=decision_archive(project, model, period.id))


def undo_decision(project: Project | Path | str, period_id: str | None, ref: str, reason: str
                  ) -> Decision:
    """``reportkit beslut --angra``: undo a decision, recording who and why."""
    with opened(project, period_id, lock=True) as (_, _, period, conn):
        return undo(conn, period.id, ref, reason)


def list_decisions(project: Project | Path | str, period_id: str | None
                   ) -> tuple[str, list[Decision], list[PartState]]:
    """The period's decisions (undone ones too) and each nämnd's part state."""
    with opened(project, period_id, lock=False) as (_, model, period, conn):
        return period.id, decisions(conn, period.id), part_states(conn, model, period.id)


def settled_submissions(conn: sqlite3.Connection, period_ids: list[str]
                        ) -> dict[tuple[str, str], int]:
    """``{(period, unit id): submission id}``: the submission that stands for each unit of the
    periods as history for later years (docs/historik.md). The latest live (not undone)
    decision of the period that covers the unit, otherwise the draft (the unit's active
    submission)."""
    if not period_ids:
        return {}
    marks = ",".join("?" * len(period_ids))
    out: dict[tuple[str, str], int] = {}
    for r in conn.execute(
            f"SELECT period, unit_id, id FROM submission WHERE state = 'aktiv' "
            f"AND unit_id IS NOT NULL AND period IN ({marks})", period_ids):
        out[(r[0], r[1])] = r[2]
    # decisions in the order made: a later one covering the same unit wins
    for r in conn.execute(
            f"SELECT d.period, ds.unit_id, ds.submission_id FROM decision d "
            f"JOIN decision_submission ds ON ds.decision_id = d.id WHERE d.undone_at IS NULL "
            f"AND d.period IN ({marks}) ORDER BY d.id", period_ids):
        out[(r[0], r[1])] = r[2]
    return out


def settled_inputs(conn: sqlite3.Connection, period_ids: list[str]) -> list[list[Any]]:
    """What :func:`settled_submissions` of ``period_ids`` is made of, for a fingerprint: the
    periods' submissions (id, unit, state) and decisions (id, scope, undone)."""
    if not period_ids:
        return []
    marks = ",".join("?" * len(period_ids))
    return [
        [list(r) for r in conn.execute(
            f"SELECT id, period, unit_id, state FROM submission "
            f"WHERE period IN ({marks}) ORDER BY id", period_ids)],
        [list(r) for r in conn.execute(
            f"SELECT id, period, scope, undone_at FROM decision "
            f"WHERE period IN ({marks}) ORDER BY id", period_ids)],
    ]
