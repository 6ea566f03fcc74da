"""Writing files so that a crash never leaves half a document and reruns give the same bytes.

Every output goes through :func:`atomic_path` (write to a temp file beside the target, fsync,
rename): a reader sees the old file or the new one, never a torn one. Office files (xlsx, docx)
are zip packages whose writers stamp the time; :func:`normalize_zip` rewrites them with fixed
entry timestamps and fixed core-property dates so the same input gives byte-identical output
(TECH.md §3).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_STAMP = "2000-01-01T00:00:00Z"

_CORE_DATE = re.compile(
    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:(created|modified)>)"
)


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it over ``target``.

    On an exception the temporary file is removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        # mkstemp creates 0600; outputs are ordinary documents others in the office may read
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def write_bytes_atomic(target: Path | str, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def normalize_zip(path: Path | str, drop: tuple[str, ...] = ("docProps/thumbnail.jpeg",),
                  edit: Callable[[dict[str, bytes]], dict[str, bytes]] | None = None) -> None:
    """Rewrite an Office zip in place with fixed timestamps and fixed core-property dates.

    Keeps the writer's entry order. ``drop`` names members to leave out (python-docx's default
    template carries a thumbnail of another document). ``edit`` gets every member's bytes by
    name and returns the members to write instead (same names). The rewrite itself is atomic.
    Without ``edit`` one member at a time is held (a large kommun's sammanställning has
    sheets of tens of MB).
    """
    path = Path(path)
    with zipfile.ZipFile(path) as src:
        names = [info.filename for info in src.infolist() if info.filename not in drop]
        if edit is None:
            _write_members(path, names, (src.read(name) for name in names), drop)
            return
        entries = [(name, src.read(name)) for name in names]
    changed = edit(dict(entries))
    write_zip(path, [(name, changed.get(name, data)) for name, data in entries], drop)


def write_zip(path: Path | str, entries: list[tuple[str, bytes]],
              drop: tuple[str, ...] = ("docProps/thumbnail.jpeg",)) -> None:
    """Write ``entries`` (name, bytes; in order) as the Office zip :func:`normalize_zip`
    writes, atomically: the same bytes as normalising a file that holds them."""
    _write_members(path, [name for name, _ in entries], (data for _, data in entries), drop)


def _write_members(path: Path | str, names: list[str], contents: Iterator[bytes],
                   drop: tuple[str, ...]) -> None:
    """The members ``names`` (in order, their bytes from ``contents``, taken one at a time)
    as a normalised zip at ``path``, atomically."""
    jpeg = any(n.endswith(".jpeg") for n in names)
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w") as dst:
        for name, data in zip(names, contents, strict=True):
            if name == "docProps/core.xml":
                data = _CORE_DATE.sub(rb"\g<1>" + FIXED_STAMP.encode() + rb"\g<3>", data)
            if name == "[Content_Types].xml" and not jpeg:
                data = data.replace(b'<Default Extension="jpeg" ContentType="image/jpeg"/>', b"")
            if name == "_rels/.rels" and drop:
                for gone in drop:
                    data = re.sub(rb'<Relationship [^>]*Target="/?' + re.escape(gone.encode())
                                  + rb'"[^>]*/>', b"", data)
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            dst.writestr(info, data, compresslevel=6)


def sha256_file(path: Path | str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
