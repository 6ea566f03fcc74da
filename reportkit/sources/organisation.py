"""The kommun's organisation list: a table (xlsx or Swedish CSV) that ``reportkit init
--organisation`` turns into the styrmodell's ``nämnder`` tree.

One row per nämnd, bolag, verksamhet or enhet, with the columns ``id``, ``namn``, ``typ``
(or ``nivå``), ``förälder``, ``chef``, ``e-post`` (or ``epost``) and ``ansvar``; the header
row names them in any order, case and spacing. ``typ`` is one of nämnd, styrelse, gemensam
nämnd, bolag, dotterbolag, kommunalförbund, verksamhet or enhet; ``förälder`` is the id of the
row above it in the tree (empty for a nämnd, or ``kommun``); ``ansvar`` lists the codes in the
ekonomisystem, separated by comma, semicolon or space. Rows may come in any order.

Every problem names the file, the row (as the spreadsheet numbers it; the header is row 1) and
the column, and the list is read whole before anything is written: one bad row never leaves
half a styrmodell behind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from reportkit.errors import Problem, problem
from reportkit.sources.tables import Cell, Table, cell_text, normalize_label, read_table
from reportkit.styrmodell.config import ID_PATTERN

# column → the headers accepted for it (compared as normalize_label compares them)
COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "id": ("id",),
    "name": ("namn",),
    "kind": ("typ", "nivå", "typ/nivå"),
    "parent": ("förälder", "överordnad"),
    "manager": ("chef",),
    "email": ("e-post", "epost", "e-postadress"),
    "ansvar": ("ansvar", "ansvarskod", "ansvarskoder"),
})
REQUIRED = ("id", "name", "kind")

# the words of the typ column → (the styrmodell's level, the committee's typ)
KINDS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "nämnd": ("nämnd", "nämnd"),
    "styrelse": ("nämnd", "styrelse"),
    "kommunstyrelse": ("nämnd", "styrelse"),
    "gemensam nämnd": ("nämnd", "gemensam_nämnd"),
    "gemensam_nämnd": ("nämnd", "gemensam_nämnd"),
    "bolag": ("nämnd", "bolag"),
    "dotterbolag": ("nämnd", "bolag"),
    "kommunalförbund": ("nämnd", "kommunalförbund"),
    "verksamhet": ("verksamhet", ""),
    "enhet": ("enhet", ""),
})
KIND_CHOICES = "nämnd, styrelse, gemensam nämnd, bolag, dotterbolag, kommunalförbund, " \
    "verksamhet eller enhet"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CODES = re.compile(r"[,;\s]+")


@dataclass
class OrgRow:
    """One row of the list, read and checked on its own."""

    row: int
    id: str
    name: str
    level: str
    kind: str
    parent: str | None
    manager: str | None = None
    email: str | None = None
    ansvar: list[str] = field(default_factory=list)
    children: list[OrgRow] = field(default_factory=list)


class _Reader:
    def __init__(self, table: Table):
        self.table = table
        self.problems: list[Problem] = []
        self.index: dict[str, int] = {}

    def fail(self, code: str, row: int, field_name: str, /, **values: Any) -> None:
        """A problem at ``row`` in the column of ``field_name`` (named as the file heads it)."""
        header = self.table.header[self.index[field_name]] if field_name in self.index \
            else COLUMNS[field_name][0]
        values.pop("column", None)
        self.problems.append(problem(code, file=self.table.file, row=row, column=header,
                                     **values))

    def find_columns(self) -> bool:
        for name, accepted in COLUMNS.items():
            wanted = {normalize_label(a) for a in accepted}
            found = next((i for i, h in enumerate(self.table.header)
                          if normalize_label(h) in wanted), None)
            if found is not None:
                self.index[name] = found
            elif name in REQUIRED:
                self.problems.append(problem(
                    "org-column-missing", file=self.table.file, row=1, column=accepted[0],
                    found=", ".join(h for h in self.table.header if h) or "(inga)"))
        return all(name in self.index for name in REQUIRED)

    def text(self, cells: tuple[Cell, ...], name: str) -> str | None:
        i = self.index.get(name)
        value = None if i is None else cell_text(cells[i])
        return value.strip() or None if value is not None else None

    def read_row(self, row: int, cells: tuple[Cell, ...]) -> OrgRow | None:
        values = {name: self.text(cells, name) for name in COLUMNS}
        ok = True
        for name in REQUIRED:
            if values[name] is None:
                self.fail("org-value-missing", row, name, column=COLUMNS[name][0])
                ok = False
        unit_id, kind_word = values["id"], values["kind"]
        if unit_id is not None and (not re.match(ID_PATTERN, unit_id) or unit_id == "kommun"):
            self.fail("org-invalid-value", row, "id", value=unit_id,
                      reason="ett id får bara ha bokstäver, siffror, - och _ (högst 40 tecken) "
                             "och får inte vara kommun",
                      expected="ett kort id utan mellanslag, t.ex. bun eller norrskolan")
            ok = False
        kind = KINDS.get(normalize_label(kind_word)) if kind_word is not None else None
        if kind_word is not None and kind is None:
            self.fail("org-invalid-value", row, "kind", value=kind_word,
                      reason="okänd typ", expected=KIND_CHOICES)
            ok = False
        email = values["email"]
        if email is not None and not _EMAIL.match(email):
            self.fail("org-invalid-value", row, "email", value=email,
                      reason="ingen e-postadress", expected="en adress som namn@kommun.se")
            ok = False
        ansvar = [c for c in _CODES.split(values["ansvar"] or "") if c]
        if not ok or unit_id is None or kind is None or values["name"] is None:
            return None
        parent = values["parent"]
        return OrgRow(row, unit_id, values["name"], kind[0], kind[1],
                      None if parent in (None, "kommun") else parent,
                      values["manager"], email, ansvar)


def read_organisation(path: Path | str, display: str | None = None
                      ) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Read the organisation list at ``path`` (``.xlsx`` or ``.csv``).

    Returns the ``nämnder`` of a styrmodell as plain dicts with the YAML's Swedish keys, in
    the list's order, and every problem found (file, row, column). When there is any fel the
    tree is empty: nothing is built from a list with a bad row.
    """
    path = Path(path)
    display = display or path.name
    table, problems = read_table(path, display)
    if table is None:
        return [], [problem("org-empty", file=display) if p.code == "export-empty" else p
                    for p in problems]
    reader = _Reader(table)
    if not reader.find_columns():
        return [], reader.problems
    rows: dict[str, OrgRow] = {}
    for row, cells in table.rows:
        read = reader.read_row(row, cells)
        if read is None:
            continue
        if read.id in rows:
            reader.fail("org-duplicate-id", row, "id", value=read.id, first=rows[read.id].row)
            continue
        rows[read.id] = read
    tops = _link(rows, reader)
    reader.problems.sort(key=lambda p: p.location.row or 0)
    if any(p.is_error for p in reader.problems):
        return [], reader.problems
    return [_committee(top) for top in tops], reader.problems


def _link(rows: dict[str, OrgRow], reader: _Reader) -> list[OrgRow]:
    """Hang each row under its parent; the committees without a parent are the tree's tops."""
    tops: list[OrgRow] = []
    for node in rows.values():
        if node.parent is None:
            if node.level == "nämnd":
                tops.append(node)
            else:
                reader.fail("org-parent-missing", node.row, "parent", kind=_word(node))
            continue
        parent = rows.get(node.parent)
        if parent is None:
            reader.fail("org-parent-unknown", node.row, "parent", value=node.parent)
            continue
        if not _fits(node, parent):
            reader.fail("org-parent-kind", node.row, "parent", value=node.parent,
                        kind=_word(node), parent_kind=_word(parent))
            continue
        parent.children.append(node)
    for node in rows.values():
        levels = {c.level for c in node.children}
        if node.level == "nämnd" and {"verksamhet", "enhet"} <= levels:
            first = next(c for c in node.children if c.level == "enhet")
            reader.fail("org-mixed-children", first.row, "parent", value=node.id)
    _check_cycles(rows, reader)
    return tops


def _fits(node: OrgRow, parent: OrgRow) -> bool:
    if node.level == "nämnd":  # only a bolag owns another (dotterbolag)
        return node.kind == "bolag" and parent.kind == "bolag"
    if node.level == "verksamhet":
        return parent.level == "nämnd"
    return parent.level in ("nämnd", "verksamhet")


def _check_cycles(rows: dict[str, OrgRow], reader: _Reader) -> None:
    """Bolag owning each other in a ring never reach a top: report the ring once."""
    for node in rows.values():
        seen: list[str] = []
        current: OrgRow | None = node
        while current is not None and current.parent is not None:
            if current.id in seen:
                if current.id == node.id:
                    reader.fail("org-parent-cycle", node.row, "parent", value=node.parent,
                                ring=" → ".join([*seen, node.id]))
                break
            seen.append(current.id)
            current = rows.get(current.parent)


def _word(node: OrgRow) -> str:
    return node.kind.replace("_", " ") if node.level == "nämnd" else node.level


def _contact(node: OrgRow) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node.id, "namn": node.name}
    if node.ansvar:
        out["ansvar"] = node.ansvar
    if node.manager:
        out["chef"] = node.manager
    if node.email:
        out["epost"] = node.email
    return out


def _committee(node: OrgRow) -> dict[str, Any]:
    out = _contact(node)
    if node.kind != "nämnd":
        out = {"id": node.id, "namn": node.name, "typ": node.kind,
               **{k: v for k, v in out.items() if k not in ("id", "namn")}}
    operations = [c for c in node.children if c.level == "verksamhet"]
    units = [c for c in node.children if c.level == "enhet"]
    subsidiaries = [c for c in node.children if c.level == "nämnd"]
    if operations:
        out["verksamheter"] = [
            {**_contact(op), **({"enheter": [_contact(u) for u in op.children]}
                                if op.children else {})} for op in operations]
    if units:
        out["enheter"] = [_contact(u) for u in units]
    if subsidiaries:
        out["dotterbolag"] = [_committee(s) for s in subsidiaries]
    return out
