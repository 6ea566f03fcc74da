"""The inbox folder ``inkommet/<period>/`` as consolidate sees it: one verdict per entry.

Every name in the folder gets one :class:`InboxEntry`: ``loaded`` (read into the store),
``replaced`` (read, and it replaces the unit's earlier submission), ``unchanged`` (the same
bytes are already in the store), ``refused`` (not loaded, with the problem) or ``ignored``
(an Office lock file, a hidden file, something that is not a regular file, or the same bytes
as another file, which is the one used). Nothing in the folder goes unmentioned, and nothing in
it is ever deleted or written: a file a unit sent is an allmän handling.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VERDICTS = ("loaded", "replaced", "unchanged", "refused", "ignored")


@dataclass
class InboxEntry:
    """The verdict on one name in the inbox.

    ``verdict``: one of :data:`VERDICTS` (its Swedish label: :attr:`label`); ``reason``:
    Swedish, why (empty for a plain ``loaded``); ``unit``: the unit the file was loaded for
    (None unless loaded, replaced or unchanged and in use); ``codes``: the problem codes of a
    refused file; ``replaces``: the files of the submissions a ``replaced`` file replaced."""

    file: str
    verdict: str
    reason: str = ""
    unit: str | None = None
    codes: list[str] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        from reportkit.texts import INBOX_VERDICTS

        return INBOX_VERDICTS[self.verdict]

    def to_dict(self) -> dict[str, Any]:
        return {"codes": self.codes, "file": self.file, "label": self.label,
                "reason": self.reason, "replaces": self.replaces, "unit": self.unit,
                "verdict": self.verdict}


def scan(folder: Path) -> tuple[list[Path], list[InboxEntry]]:
    """The inbox's candidates (files, folders and links, by name: check refuses what is not a
    workbook, with its problem) and the entries ignored with their reason, from one directory
    listing (its entries know their type: no stat per file for the usual names)."""
    from reportkit import texts

    if not folder.is_dir():
        return [], []
    candidates: list[Path] = []
    ignored: list[InboxEntry] = []
    with os.scandir(folder) as entries:
        for e in sorted(entries, key=lambda e: e.name):
            name = e.name
            if name.startswith("~$") or name.startswith(".~lock."):
                ignored.append(InboxEntry(name, "ignored", texts.INBOX_LOCK_FILE))
            elif name.startswith("."):
                ignored.append(InboxEntry(name, "ignored", texts.INBOX_HIDDEN))
            elif e.is_symlink() or e.is_dir(follow_symlinks=False) \
                    or e.is_file(follow_symlinks=False):
                candidates.append(folder / name)
            else:  # a FIFO, a socket, a device: opening one could block the run
                ignored.append(InboxEntry(name, "ignored", texts.INBOX_NOT_REGULAR.format(
                    kind=_kind(folder / name))))
    return candidates, ignored


def _kind(path: Path) -> str:
    from reportkit.texts import INBOX_FILE_KINDS

    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return INBOX_FILE_KINDS["other"]
    for test, key in ((stat.S_ISFIFO, "fifo"), (stat.S_ISSOCK, "socket"),
                      (stat.S_ISCHR, "device"), (stat.S_ISBLK, "device")):
        if test(mode):
            return INBOX_FILE_KINDS[key]
    return INBOX_FILE_KINDS["other"]


def same_as(file: str, used: InboxEntry) -> InboxEntry:
    """The verdict on ``file``, which holds the same bytes as ``used`` (decided already)."""
    from reportkit import texts

    if used.verdict == "refused":
        return InboxEntry(file, "refused", texts.INBOX_SAME_REFUSED.format(other=used.file),
                          codes=list(used.codes))
    return InboxEntry(file, "ignored", texts.INBOX_SAME.format(other=used.file))


def fixed_problems(old: list[tuple[str, str | None, str | None]], new: list[Any]
                   ) -> list[dict[str, Any]]:
    """What a corrected file fixed: the problems ``(code, sheet, cell)`` of the submission it
    replaces that the new file's problems no longer have, in the old order."""
    still = {(p.code, p.location.sheet, p.location.cell) for p in new}
    out = []
    for code, sheet, cell in old:
        if (code, sheet, cell) not in still:
            out.append({"code": code, "sheet": sheet, "cell": cell})
    return out
