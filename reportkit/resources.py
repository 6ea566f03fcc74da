"""Where the built-in templates and the Exempelkommun fixture live.

Installed from a wheel they sit in ``reportkit/_data``; in a source checkout (or an editable
install) they are the top-level ``templates/`` and ``fixtures/`` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder ``templates`` or ``fixtures``, wherever this install keeps it."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def templates_dir() -> Path:
    return data_dir("templates")


def fixtures_dir() -> Path:
    return data_dir("fixtures")


def exempelkommun_dir() -> Path:
    """The Exempelkommun project skeleton (styrmodell, history, exports)."""
    return fixtures_dir() / "exempelkommun"


def kommun_dir(name: str = "exempelkommun") -> Path | None:
    """A fixture kommun's project skeleton (``fixtures/<name>``), ``None`` if there is none."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    folder = fixtures_dir() / name
    return folder if (folder / "styrmodell").is_dir() else None


def fixture_kommuner() -> list[str]:
    """The fixture kommuner there are (``reportkit demo --kommun``)."""
    root = fixtures_dir()
    return sorted(p.name for p in root.iterdir() if (p / "styrmodell").is_dir()) \
        if root.is_dir() else []
