"""Templates the kansli owns: ``reportkit mallar`` copies the shipped Word templates into the
project (``mallar/docx/``; the workbooks' style template into ``mallar/xlsx/``) and sets
``dokument: mallar:`` in the styrmodell; the copies are the kommun's and are never
overwritten without ``--skriv-över``.

The copy writes a stamp, ``mallversion.yaml``: the reportkit version and the variables (the
template's top-level names, its sections among them) each shipped template used then. When a
later release's template uses a variable the stamp does not list and the kommun's copy lacks
it, render gives a ``template-lacks-variables`` varning naming it (:func:`lacking`); a variable
the kansli took out of its copy on purpose (listed in the stamp) is not asked for again.
Copies made without a stamp are compared with the shipped template as it is now.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reportkit.errors import Problem, problem
from reportkit.files import atomic_path, normalize_zip, write_bytes_atomic
from reportkit.resources import templates_dir
from reportkit.version import __version__

if TYPE_CHECKING:
    from reportkit.styrmodell.project import Project

STAMP_FILE = "mallversion.yaml"
DEFAULT_FOLDER = "mallar"


@dataclass
class CopyOutcome:
    folder: Path
    """The project's template folder (``<projekt>/mallar/docx``)."""
    copied: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """The kommun's own copies left as they were (no ``--skriv-över``)."""
    styrmodell: list[str] = field(default_factory=list)
    """The styrmodell files in which ``dokument: mallar:`` was set."""


def shipped() -> Path:
    return templates_dir() / "docx"


def _shipped_files() -> list[tuple[str, Path]]:
    """(subfolder, file): the Word templates and ``avsnitt.yaml`` (``docx/``), the
    workbooks' style template (``xlsx/``, which ``dokument: mallar:`` also points to) and the
    web site's HTML templates and stylesheet (``web/``, reportkit webb)."""
    found = []
    for sub, suffixes in (("docx", (".docx", ".yaml")), ("xlsx", (".xlsx",)),
                          ("web", (".j2", ".css"))):
        found += [(sub, p) for p in sorted((templates_dir() / sub).iterdir())
                  if p.is_file() and p.suffix in suffixes]
    return found


def _variables(template: Path) -> frozenset[str]:
    from reportkit.documents.render import template_variables

    return template_variables(template) or frozenset()


def _stamp_text(entries: dict[str, list[str]]) -> bytes:
    lines = ["# Skrivet av reportkit mallar: vilka uppgifter de inbyggda mallarna hade när de",
             "# kopierades hit. Ändra inte filen; den visar vad en senare version lagt till.",
             f"reportkit: '{__version__}'", "variabler:"]
    for name in sorted(entries):
        lines.append(f"  {name}: [{', '.join(sorted(entries[name]))}]")
    return ("\n".join(lines) + "\n").encode("utf-8")


def read_stamp(folder: Path) -> dict[str, frozenset[str]] | None:
    """The variables each template had when it was copied (None without a readable stamp)."""
    from reportkit.yamlfile import load_yaml

    path = folder / STAMP_FILE
    if not path.is_file():
        return None
    data = load_yaml(path, file=STAMP_FILE).data
    found = data.get("variabler") if isinstance(data, dict) else None
    if not isinstance(found, dict):
        return None
    return {str(k): frozenset(str(v) for v in (vs or [])) for k, vs in found.items()}


def copy_templates(project: Project | Path | str, *, overwrite: bool = False) -> CopyOutcome:
    """``reportkit mallar``: copy the shipped templates into the folder ``dokument: mallar:``
    names (``mallar`` when none does; then set there), never over an existing file unless
    ``overwrite``."""
    from reportkit.styrmodell.project import as_project

    root = as_project(project).root
    chosen = _chosen_folder(root)
    outcome = CopyOutcome(root / (chosen or DEFAULT_FOLDER) / "docx")
    outcome.folder.mkdir(parents=True, exist_ok=True)
    stamp = dict(read_stamp(outcome.folder) or {})
    for sub, source in _shipped_files():
        target = outcome.folder.parent / sub / source.name
        if target.exists() and not overwrite:
            outcome.kept.append(f"{sub}/{source.name}")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if not _seed_stylesheet(source, target):
            shutil.copyfile(source, target)
        outcome.copied.append(f"{sub}/{source.name}")
        if source.suffix == ".docx":
            stamp[source.name] = _variables(source)
    write_bytes_atomic(outcome.folder / STAMP_FILE,
                       _stamp_text({k: sorted(v) for k, v in stamp.items()}))
    if chosen is None:
        outcome.styrmodell = set_templates_folder(root, DEFAULT_FOLDER)
    return outcome


def _seed_stylesheet(source: Path, target: Path) -> bool:
    """A new ``stilmall.docx`` beside the kommun's own restyled ``arsredovisning.docx``
    (copies made before there was a stilmall) starts with that copy's styles, theme and
    footer (:func:`reportkit.documents.stylesheet.seed`), so the documents keep the kommun's
    look rather than taking the built-in one. False (copy it as it is) when there is no such
    copy."""
    import zipfile

    from reportkit.documents import stylesheet

    own = target.parent / "arsredovisning.docx"
    if source.name != stylesheet.STYLESHEET or target.exists() or not own.is_file() \
            or own.read_bytes() == (source.parent / own.name).read_bytes():
        return False
    try:
        with zipfile.ZipFile(own) as zf:
            theirs = {n: zf.read(n) for n in zf.namelist()}
        with zipfile.ZipFile(source) as zf:
            entries = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    except (OSError, zipfile.BadZipFile):
        return False
    taken = stylesheet.seed(entries, theirs)
    with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries.items():
            dst.writestr(name, taken.get(name, data))
    normalize_zip(target)
    return True


def _styrmodell_files(root: Path) -> list[Path]:
    return sorted((root / "styrmodell").glob("[0-9][0-9][0-9][0-9].yaml"))


def _chosen_folder(root: Path) -> str | None:
    """``dokument: mallar:`` of the latest styrmodell that sets it."""
    from reportkit.yamlfile import load_yaml

    for path in reversed(_styrmodell_files(root)):
        data = load_yaml(path, file=path.name).data
        docs = data.get("dokument") if isinstance(data, dict) else None
        if isinstance(docs, dict) and docs.get("mallar"):
            return str(docs["mallar"])
    return None


def set_templates_folder(root: Path, folder: str) -> list[str]:
    """Set ``dokument: mallar: <folder>`` in each styrmodell that does not set it, editing
    the text minimally (a commented-out ``# mallar:`` line is taken into use; comments and
    everything else stay). Returns the files changed."""
    changed = []
    for path in _styrmodell_files(root):
        text = path.read_text(encoding="utf-8")
        new = _with_templates(text, folder)
        if new != text:
            write_bytes_atomic(path, new.encode("utf-8"))
            changed.append(f"styrmodell/{path.name}")
    return changed


def _with_templates(text: str, folder: str) -> str:
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"dokument\s*:", line)), None)
    if start is None:
        return text + ("" if text.endswith("\n") or not text else "\n") + (
            f"dokument:\n  mallar: {folder}\n")
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"\S", lines[i])
                and not lines[i].startswith("#")), len(lines))
    for i in range(start + 1, end):
        if re.match(r"\s+mallar\s*:", lines[i]):
            return text  # set already
    for i in range(start + 1, end):
        found = re.match(r"(\s+)#\s?(mallar\s*:\s*)\S+([ \t]*)(#.*)?(\n?)$", lines[i],
                         re.DOTALL)
        if found:
            indent, key, _, comment, end_ = found.groups()
            head = f"{indent}{key}{folder}"
            if comment:  # the comment stays in its column
                head += " " * max(found.start(4) - len(head), 2) + comment
            lines[i] = head + end_
            return "".join(lines)
    indent = next((re.match(r"(\s+)", lines[i]).group(1) for i in range(start + 1, end)  # type: ignore[union-attr]
                   if re.match(r"\s+\S", lines[i])), "  ")
    lines.insert(start + 1, f"{indent}mallar: {folder}\n")
    return "".join(lines)


def lacking(template_dir: Path, names: list[str]) -> list[tuple[str, list[str]]]:
    """For each of ``names`` (``arsredovisning.docx``) the kommun's copy in ``template_dir``
    has: the variables the shipped template uses now that were not in it when the copy was
    made (all of them without a stamp) and that the copy does not use."""
    stamp = read_stamp(template_dir) or {}
    found = []
    for name in names:
        copy, builtin = template_dir / name, shipped() / name
        if (not copy.is_file() or not builtin.is_file()
                or copy.read_bytes() == builtin.read_bytes()):
            continue  # an unchanged copy has all of it
        new = _variables(builtin) - stamp.get(name, frozenset())
        missing = sorted(new - _variables(copy))
        if missing:
            found.append((name, missing))
    return found


class TemplateGaps(NamedTuple):
    folder: Path | None
    """The kommun's template folder (None when ``dokument: mallar:`` is not set)."""
    builtin: Path
    gaps: list[tuple[str, list[str]]]
    """What each of the kommun's Word templates lacks (:func:`lacking`)."""


def template_gaps(project: Project | Path | str) -> TemplateGaps:
    """``reportkit mallar --visa``: where the templates are and what the kommun's lack."""
    from reportkit.styrmodell.project import as_project

    root = as_project(project).root
    chosen = _chosen_folder(root)
    if chosen is None:
        return TemplateGaps(None, shipped(), [])
    folder = root / chosen / "docx"
    if not folder.is_dir():
        return TemplateGaps(folder, shipped(), [])
    return TemplateGaps(folder, shipped(),
                        lacking(folder, [p.name for p in sorted(shipped().glob("*.docx"))]))


def lacking_problems(template_dir: Path, names: list[str]) -> list[Problem]:
    """:func:`lacking` as ``template-lacks-variables`` varningar."""
    return [problem("template-lacks-variables", template=name, names=", ".join(missing),
                    version=__version__) for name, missing in lacking(template_dir, names)]
