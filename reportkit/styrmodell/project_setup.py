"""``reportkit init`` and ``reportkit validate``: start a project and check its styrmodell."""

from __future__ import annotations

import shutil
from pathlib import Path

from reportkit.errors import Problem, ReportkitError, problem
from reportkit.resources import exempelkommun_dir, fixture_kommuner, kommun_dir
from reportkit.styrmodell.kinds import org_counts
from reportkit.styrmodell.model import LEVELS, Styrmodell, load_styrmodell


def init_project(target: Path | str, kommun: str = "exempelkommun") -> Path:
    """Create a project folder from a copy of a fixture kommun's styrmodell, history and
    exports (``kommun``: a folder in ``fixtures/``, by default Exempelkommun).

    Refuses a folder that already holds a styrmodell, so nothing is overwritten.
    """
    target = Path(target)
    if (target / "styrmodell").exists():
        raise ReportkitError(problem("file-unreadable", file=str(target / "styrmodell"),
                                     reason="projektet finns redan; inget skrevs över"))
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
    for name in ("utskick", "inkommet", "rapporter", "texter"):
        (target / name).mkdir(exist_ok=True)
    return target


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
    return models, problems


def model_counts(model: Styrmodell) -> list[str]:
    """What validate counts, each kind in its own words: ``1 kommun``, ``6 nämnder``,
    ``1 styrelse``, ``1 bolag``, ``1 kommunalförbund``, ``20 verksamheter``, ``60 enheter``,
    then the goals and indicators."""
    return [*org_counts((u.level, u.kind) for u in model.units.values()),
            f"{len(model.goals)} mål", f"{len(model.indicators)} indikatorer"]


def goal_tree(model: Styrmodell) -> list[str]:
    """The goal chain as indented lines: KF-mål, the goals below each, their owners."""
    lines: list[str] = []

    def walk(goal_id: str, depth: int) -> None:
        goal = model.goals[goal_id]
        owner = model.units[goal.owner].name
        n = len(goal.indicators)
        lines.append(f"{'  ' * depth}{goal.id}  {goal.name}  [{owner}, {n} indikatorer]")
        for child in goal.children:
            walk(child, depth + 1)

    for goal in model.goals.values():
        if goal.level == LEVELS[0]:
            walk(goal.id, 0)
    return lines
