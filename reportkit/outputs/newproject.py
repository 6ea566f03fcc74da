"""``reportkit init``: a new kommun's project, blank, from its organisation list, or (on
request) a copy of a fixture kommun such as Exempelkommun.

It sits above ``sources/`` because the organisation list is read with the exports' table
reader (xlsx through python-calamine, Swedish CSV); what it writes is made by
:mod:`reportkit.styrmodell.project_setup`.
"""

from __future__ import annotations

import re
from pathlib import Path

from reportkit.errors import ReportkitError, has_errors, problem
from reportkit.sources.organisation import read_organisation
from reportkit.styrmodell import project_setup
from reportkit.styrmodell.periods import today


def init_project(target: Path | str, kommun: str | None = None, *, name: str | None = None,
                 code: str | None = None, year: int | None = None,
                 organisation: Path | str | None = None) -> Path:
    """Create the project folder ``target``.

    With ``kommun`` (a folder in ``fixtures/``, e.g. ``exempelkommun``): a whole copy of
    that kommun's styrmodell, history and exports (``reportkit init --exempel``). Otherwise a
    blank project for ``name`` (default: the folder's name) with kommunkod ``code`` (four
    digits, or None to leave the key commented out) for budget ``year`` (default: this
    year), whose organisation is one example nämnd, verksamhet and enhet, or the tree read
    from ``organisation`` (xlsx or CSV; any fel in it raises ReportkitError with every
    problem, and nothing is written).

    Refuses a folder that already holds a styrmodell, so nothing is overwritten.
    """
    if kommun is not None:
        return project_setup.init_project(target, kommun)
    target = Path(target)
    if code is not None and not re.fullmatch(r"\d{4}", code.strip()):
        raise ReportkitError(problem("config-invalid-value", key="kommun.kommunkod",
                                     value=repr(code), reason="ska vara fyra siffror",
                                     expected="skriv SCB:s kommunkod, t.ex. 0180"))
    committees = None
    if organisation is not None:
        committees, problems = read_organisation(organisation, str(organisation))
        if has_errors(problems):
            raise ReportkitError(problems)
    name = (name or _name_from_folder(target)).strip()
    return project_setup.write_blank_project(
        target, name, year or today().year, code.strip() if code else None, committees)


def _name_from_folder(target: Path) -> str:
    """``min-kommun`` → ``Min kommun``: a start the coordinator corrects in the file."""
    words = re.sub(r"[-_]+", " ", target.resolve().name).strip() or "Kommunen"
    return words[0].upper() + words[1:]
