"""``reportkit init`` and ``reportkit validate``: start a project and check its styrmodell."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import MappingProxyType
from typing import Any

from reportkit.errors import Problem, ReportkitError, problem
from reportkit.files import write_bytes_atomic
from reportkit.resources import (
    exempelkommun_dir,
    fixture_kommuner,
    kommun_dir,
    templates_dir,
)
from reportkit.styrmodell.kinds import org_counts
from reportkit.styrmodell.model import LEVELS, Styrmodell, load_styrmodell
from reportkit.styrmodell.targets import mandate_of


def init_project(target: Path | str, kommun: str = "exempelkommun") -> Path:
    """Create a project folder from a copy of a fixture kommun's styrmodell, history and
    exports (``kommun``: a folder in ``fixtures/``, by default Exempelkommun): ``reportkit
    init --exempel`` and the demo.

    Refuses a folder that already holds a styrmodell, so nothing is overwritten.
    """
    target = Path(target)
    _refuse_existing(target)
    found = exempelkommun_dir() if kommun == "exempelkommun" else kommun_dir(kommun)
    if found is None:
        raise ReportkitError(problem(
            "file-unreadable", file=f"fixtures/{kommun}",
            reason="det finns ingen sådan exempelkommun; välj en av "
                   + ", ".join(fixture_kommuner())))
    src = found
    target.mkdir(parents=True, exist_ok=True)
    for name in ("styrmodell", "historik", "data"):
        if (src / name).is_dir():
            shutil.copytree(src / name, target / name)
    _make_folders(target)
    return target


def _refuse_existing(target: Path) -> None:
    if (target / "styrmodell").exists():
        raise ReportkitError(problem("file-unreadable", file=str(target / "styrmodell"),
                                     reason="projektet finns redan; inget skrevs över"))


def _make_folders(target: Path) -> None:
    for name in ("utskick", "inkommet", "rapporter", "texter"):
        (target / name).mkdir(exist_ok=True)


HISTORY_HEADER = "år;period;enhet;indikator;utfall\n"


def blank_styrmodell(name: str, year: int, code: str | None = None,
                     committees: list[dict[str, Any]] | None = None) -> str:
    """The text of a new kommun's ``styrmodell/<år>.yaml``: one example of each key with its
    comment (``templates/init/styrmodell.yaml``), the kommun's name and kommunkod, and either
    the example organisation or ``committees`` (the ``nämnder`` read from an organisation
    list, :func:`reportkit.sources.organisation.read_organisation`)."""
    folder = templates_dir() / "init"
    text = (folder / "styrmodell.yaml").read_text(encoding="utf-8")
    org = organisation_yaml(committees) if committees is not None else \
        (folder / "organisation.yaml").read_text(encoding="utf-8")
    code_line = (f'  kommunkod: {_quote(code)}'.ljust(39) if code else
                 '  # kommunkod: "0000"'.ljust(39)) + \
        " # SCB:s kommunkod (fyra siffror, inom citattecken)"
    # the intern kontroll and uppdrag example name the organisation's first nämnd
    first = _scalar("id", str(committees[0].get("id", "nämnd1"))) if committees else "nämnd1"
    text = text.replace("${första_nämnd}", first.ljust(len("${första_nämnd}")))
    text = (text.replace("${organisation}\n", org).replace("${kommunkod_rad}", code_line)
            .replace("${namn_yaml}", _quote(name).ljust(len("${namn_yaml}")))
            .replace("${namn}", name)
            .replace("${mandatperiod}", mandate_of(year).text.ljust(len("${mandatperiod}"))))
    return (text.replace("YYYY", str(year)).replace("PPPP", str(year - 1))
            .replace("NNNN", str(year + 1)))


def write_blank_project(target: Path | str, name: str, year: int, code: str | None = None,
                        committees: list[dict[str, Any]] | None = None) -> Path:
    """Create a new kommun's project: ``styrmodell/<år>.yaml`` from :func:`blank_styrmodell`,
    an empty ``historik/utfall.csv`` (its header only), an empty ``data/`` and the folders
    the commands fill. Nothing of Exempelkommun is copied. Refuses a folder that already
    holds a styrmodell."""
    target = Path(target)
    _refuse_existing(target)
    text = blank_styrmodell(name, year, code, committees)
    _check_blank(text, year)
    target.mkdir(parents=True, exist_ok=True)
    (target / "styrmodell").mkdir()
    write_bytes_atomic(target / "styrmodell" / f"{year}.yaml", text.encode("utf-8"))
    (target / "historik").mkdir(exist_ok=True)
    write_bytes_atomic(target / "historik" / "utfall.csv", HISTORY_HEADER.encode("utf-8"))
    (target / "data").mkdir(exist_ok=True)
    _make_folders(target)
    return target


def _check_blank(text: str, year: int) -> None:
    """Load the new file as every command will, before anything is written: a name or an
    organisation list that makes it invalid is refused with the file's problems."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "styrmodell" / f"{year}.yaml"
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        model, problems = load_styrmodell(path)
    if model is None:
        raise ReportkitError(problems)


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


_PLAIN = re.compile(r"[A-Za-zÅÄÖåäö][A-Za-zÅÄÖåäö0-9_.@-]*")
_YAML_WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})


def _scalar(key: str, text: str) -> str:
    """An id, typ or e-post address as the template writes them (plain when YAML reads the
    plain word as the same text); names and everything else in double quotes."""
    if key in ("id", "typ", "epost") and _PLAIN.fullmatch(text) \
            and text.lower() not in _YAML_WORDS:
        return text
    return _quote(text)


# the comment on a key the first time the organisation list's tree uses it
_ORG_COMMENTS = MappingProxyType({
    ("nämnder", ""): "nämnder och bolag, med verksamheter och enheter",
    ("nämnd", "id"): "stabilt id för nämnden, t.ex. en förkortning",
    ("nämnd", "namn"): "nämndens namn",
    ("nämnd", "typ"): "nämnd (standard), styrelse, gemensam_nämnd, bolag, kommunalförbund",
    ("nämnd", "ansvar"): "ansvarskod(er) i ekonomisystemet, inom citattecken",
    ("nämnd", "chef"): "förvaltningschef; får nämndens styrkort",
    ("nämnd", "epost"): "förvaltningschefens e-postadress",
    ("nämnd", "verksamheter"): "verksamheterna under nämnden",
    ("nämnd", "enheter"): "enheter direkt under nämnden",
    ("nämnd", "dotterbolag"): "bolag som bolaget äger",
    ("verksamhet", "id"): "stabilt id för verksamheten",
    ("verksamhet", "chef"): "verksamhetschef; får verksamhetens styrkort",
    ("verksamhet", "enheter"): "enheterna i verksamheten",
    ("enhet", "id"): "stabilt id; blir styrkortets filnamn (id.xlsx)",
    ("enhet", "chef"): "enhetschef; fyller i enhetens styrkort",
})
_CHILD_LEVEL = MappingProxyType({"verksamheter": "verksamhet", "enheter": "enhet",
                                 "dotterbolag": "nämnd"})


def organisation_yaml(committees: list[dict[str, Any]]) -> str:
    """``nämnder:`` as YAML text, with a comment on each key the first time it is used."""
    said: set[tuple[str, str]] = set()
    lines: list[str] = []

    def line(text: str, level: str, key: str) -> None:
        comment = _ORG_COMMENTS.get((level, key))
        if comment and (level, key) not in said:
            said.add((level, key))
            text = f"{text.ljust(39)} # {comment}"
        lines.append(text)

    def node(item: dict[str, Any], level: str, indent: str) -> None:
        first = True
        for key, value in item.items():
            lead = f"{indent}- " if first else f"{indent}  "
            first = False
            if isinstance(value, list) and value and isinstance(value[0], dict):
                line(f"{lead}{key}:", level, key)
                for child in value:
                    node(child, _CHILD_LEVEL[key], indent + "    ")
            elif isinstance(value, list):
                line(f"{lead}{key}: [{', '.join(_quote(str(v)) for v in value)}]", level, key)
            else:
                line(f"{lead}{key}: {_scalar(key, str(value))}", level, key)

    line("nämnder:", "nämnder", "")
    for com in committees:
        node(com, "nämnd", "  ")
    return "\n".join(lines) + "\n"


def validate_project(root: Path | str) -> tuple[list[Styrmodell], list[Problem]]:
    """Load every ``styrmodell/<år>.yaml`` of the project at ``root`` (or the folder above it
    that is one, :func:`~reportkit.styrmodell.project.find_root`); returns the models that
    loaded and all problems."""
    from reportkit.styrmodell.project import find_root

    root = find_root(Path(root).resolve()) or Path(root)
    files = sorted((root / "styrmodell").glob("*.yaml"))
    if not files:
        raise ReportkitError(problem("project-missing", path=str(root)))
    models, problems = [], []
    for path in files:
        model, found = load_styrmodell(path)
        problems.extend(found)
        if model is not None:
            models.append(model)
            problems.extend(check_template_folder(root, model, path))
    return models, problems


def _templates_line(path: Path) -> int | None:
    """The line of ``mallar:`` under the top-level ``dokument:`` in the styrmodell's text."""
    inside = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(r"\S", line):
            inside = line.startswith("dokument:")
        elif inside and re.match(r"\s+mallar\s*:", line):
            return number
    return None


def check_template_folder(root: Path, model: Styrmodell, path: Path) -> list[Problem]:
    """A varning when ``dokument: mallar:`` names a folder without ``docx/`` in it, or one
    that lacks some of the shipped Word templates (the built-in one is then used for it)."""
    chosen = model.config.documents.templates
    if not chosen:
        return []
    line = _templates_line(path)
    key = f"dokument.mallar (rad {line})" if line else "dokument.mallar"
    folder = Path(chosen) / "docx"
    if not (root / folder).is_dir():
        return [problem("templates-folder-missing", file=model.file, key=key,
                        folder=f"{folder.as_posix()}/")]
    missing = sorted(p.name for p in (templates_dir() / "docx").glob("*.docx")
                     if not (root / folder / p.name).is_file())
    if not missing:
        return []
    return [problem("templates-file-missing", file=model.file, key=key,
                    folder=f"{folder.as_posix()}/", templates=", ".join(missing))]


def model_counts(model: Styrmodell) -> list[str]:
    """What validate counts, each kind in its own words: ``1 kommun``, ``6 nämnder``,
    ``1 styrelse``, ``1 bolag``, ``1 kommunalförbund``, ``20 verksamheter``, ``60 enheter``,
    then the goals and indicators."""
    from reportkit.formats import counted

    return [*org_counts((u.level, u.kind) for u in model.units.values()),
            f"{len(model.goals)} mål", counted(len(model.indicators), "indikator", "indikatorer")]


def goal_tree(model: Styrmodell) -> list[str]:
    """The goal chain as indented lines: KF-mål, the goals below each, their owners."""
    from reportkit.formats import counted

    lines: list[str] = []

    def walk(goal_id: str, depth: int) -> None:
        goal = model.goals[goal_id]
        owner = model.units[goal.owner].name
        n = counted(len(goal.indicators), "indikator", "indikatorer")
        lines.append(f"{'  ' * depth}{goal.id}  {goal.name}  [{owner}, {n}]")
        for child in goal.children:
            walk(child, depth + 1)

    for goal in model.goals.values():
        if goal.level == LEVELS[0]:
            walk(goal.id, 0)
    return lines
