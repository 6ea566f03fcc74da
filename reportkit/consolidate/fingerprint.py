"""Fingerprints of what consolidate's outputs and the roll-up are made of: a hash of JSON parts,
the hash of a file on disk, the styrmodell file of a model, and the code stamp
(:func:`reportkit.version.code_stamp`). An output is recomputed only when its fingerprint
changed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportkit.files import sha256_file
from reportkit.version import code_stamp

if TYPE_CHECKING:
    from reportkit.styrmodell.model import Styrmodell
    from reportkit.styrmodell.project import Project

__all__ = ["code_stamp", "file_hash", "fingerprint", "model_file"]


def fingerprint(*parts: Any) -> str:
    """A SHA-256 of ``parts`` as sorted JSON (other values by their ``str``)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def file_hash(path: Path) -> str | None:
    """The SHA-256 of a regular file (not a link), None when there is none or it can't be read."""
    try:
        if path.is_file() and not path.is_symlink():
            return sha256_file(path)
    except OSError:
        pass
    return None


def model_file(project: Project, model: Styrmodell) -> Path:
    return project.root / "styrmodell" / f"{model.year}.yaml"
