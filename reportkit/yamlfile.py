"""Configuration YAML, read within bounds: the one place reportkit parses YAML.

The styrmodell, ``data/import.yaml`` and ``avsnitt.yaml`` are written by people and sometimes
copied from elsewhere. :func:`load_yaml` refuses, each with a Swedish ``config-…`` problem that
names the file (and the line and key path where there is one), before the file can cost more
than a moment:

- a file larger than :data:`MAX_BYTES` (``config-file-too-large``);
- more than :data:`MAX_NODES` values (``config-file-too-many-values``);
- more than :data:`MAX_ALIASES` aliases (``*namn``; ``config-yaml-aliases``), an alias inside
  the value it points at (``config-yaml-alias-loop``), or more than :data:`MAX_NODES` values
  with every alias counted out (``config-yaml-too-many-values``). The sizes are added up over
  the composed graph, where an alias is one shared node, so a "billion laughs" file is refused
  in milliseconds and is never expanded;
- values nested deeper than :data:`MAX_DEPTH` (``config-yaml-too-deep``);
- one key twice in the same mapping (``config-duplicate-key``, both lines): YAML would keep the
  last value without a word.

Scalars are resolved by the YAML 1.2 core schema, so what a user writes as text stays text:
only ``true`` and ``false`` (also ``True``, ``TRUE``, ``False``, ``FALSE``) are booleans, while
``ja``, ``nej``, ``yes``, ``NO``, ``on``, ``OFF`` and ``y`` are strings; ``1:20`` is a string
(no sexagesimal numbers) and nothing is octal unless written ``0o17``. Null is ``null``,
``Null``, ``NULL``, ``~`` or nothing. Two deliberate departures from the core schema: a whole
number written with a leading zero (``08``, ``012``, ``0180``) stays the text as written, since
in a kommun it is a code (kommunkod, ansvar, id, colour) and a number field still parses the
text; and dates (``2026-04-30``, ``2026-04-30 12:00``) are dates as in YAML 1.1, as the date
fields have always been given them. The ``<<`` merge key of YAML 1.1 is an ordinary key.

PyYAML's C parser (libyaml) composes when it is installed; the resolver (table and ``resolve``,
which counts) and the mapping constructor are our own, in a class of our own: PyYAML's classes
are left unchanged.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from reportkit.errors import Problem, problem

MAX_BYTES = 10 * 1024 * 1024
"""Largest file read: Storstad's styrmodell (1,500 enheter) is 2.9 MB."""
MAX_ALIASES = 100
"""Most uses of an alias (``*namn``) in one file."""
MAX_NODES = 1_000_000
"""Most values (keys, scalars, lists and mappings) in a file, and with every alias counted out;
Storstad's styrmodell has 183,000. Counted while libyaml composes, so a file of ten million
``1,`` stops there (about 4 s and 300 MB) instead of composing all of them."""
MAX_DEPTH = 50
"""Deepest nesting of lists and mappings; a styrmodell needs 13."""


class YamlFile(NamedTuple):
    """What :func:`load_yaml` read: ``data`` (``None`` when there are problems, or when the
    file is empty), ``lines`` (key path such as ``nämnder[2].id`` → 1-based line, worked out
    only when first asked) and the ``problems`` that refused the file (all ``fel``)."""

    data: Any
    lines: Mapping[str, int]
    problems: list[Problem]


def load_yaml(source: Path | str, *, file: str) -> YamlFile:
    """Read one YAML document from ``source`` (a file, UTF-8 with or without BOM, or the text
    itself) within the bounds above. Never raises for what is in the file: an unreadable file,
    a syntax error or a refused file is a problem (``file`` names the file in it)."""
    if isinstance(source, Path):
        try:
            # O_NONBLOCK: a FIFO under the name is refused instead of waiting for a writer
            fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as fh:
                info = os.fstat(fd)
                if not stat.S_ISREG(info.st_mode):
                    return _refused(problem("file-unreadable", file=file,
                                            reason="det är ingen vanlig fil"))
                raw = fh.read(MAX_BYTES + 1)
                size = max(len(raw), info.st_size)
        except OSError as exc:
            return _refused(problem("file-unreadable", file=file, reason=str(exc)))
        if size > MAX_BYTES:
            return _refused(_too_large(file, size))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return _refused(problem("file-unreadable", file=file, reason=str(exc)))
    else:
        text = source
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_BYTES:
            return _refused(_too_large(file, size))
    return _parse(text, file)


def _parse(text: str, file: str) -> YamlFile:
    import yaml

    try:
        loader = _loader()(text)
    except ValueError as exc:  # text given with a lone surrogate: libyaml takes UTF-8 only
        return _refused(problem("config-yaml-syntax", file=file, line="?", reason=str(exc)))
    root = None
    try:
        root = loader.get_single_node()
        if root is None:
            return YamlFile(None, {}, [])
        _measure(root, text)
        data = loader.construct_document(root)
    except _Refused as exc:
        return _refused(exc.problem(file, root))
    except yaml.YAMLError as exc:
        return _refused(_syntax(exc, file))
    except (ValueError, TypeError, OverflowError) as exc:
        # an explicit tag on a value it cannot hold: "!!int tolv", "!!float 1,5"
        return _refused(problem("config-yaml-syntax", file=file, line=_failing_line(root),
                                reason=str(exc)))
    finally:
        loader.dispose()
    return YamlFile(data, LazyLines(text), [])


def _failing_line(root: Any) -> int | str:
    """The line of the first scalar that cannot be constructed (PyYAML's constructors raise
    ValueError without a position); looked for only after construction failed."""
    import yaml

    loader = _loader()("")
    seen: set[int] = set()
    stack = [root]
    try:
        while stack:
            node = stack.pop()
            if node is None or id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, yaml.ScalarNode):
                try:
                    loader.construct_object(node)
                except (ValueError, TypeError, OverflowError):
                    return node.start_mark.line + 1
            elif isinstance(node, yaml.MappingNode):
                stack.extend(reversed([n for pair in node.value for n in pair]))
            else:
                stack.extend(reversed(node.value))
    finally:
        loader.dispose()
    return "?"


def _refused(found: Problem) -> YamlFile:
    return YamlFile(None, {}, [found])


def _too_large(file: str, size: int) -> Problem:
    def mb(n: int) -> str:
        return f"{n / 1024 / 1024:.1f}".replace(".", ",")

    return problem("config-file-too-large", file=file, size_mb=mb(size), max_mb=mb(MAX_BYTES))


def _syntax(exc: Exception, file: str) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else "?"
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if "maximum nesting depth" in reason:  # libyaml's own bound (1,000), above ours
        return problem("config-yaml-too-deep", file=file, line=line, max=MAX_DEPTH)
    return problem("config-yaml-syntax", file=file, line=line, reason=reason)


class _Refused(Exception):
    """A bound was passed at ``step`` (a key node or an index) of ``container``."""

    def __init__(self, code: str, *, line: int | None, container: Any = None, step: Any = None,
                 **values: Any):
        super().__init__(code)
        self.code, self.line, self.container, self.step, self.values = (
            code, line, container, step, values)

    def problem(self, file: str, root: Any) -> Problem:
        path = _path_to(root, self.container, self.step) if root is not None else ""
        key = f"{path} (rad {self.line})" if path else None
        if self.line is not None:
            self.values["line"] = self.line
        return problem(self.code, file=file, key=key, **self.values)


def _measure(root: Any, text: str) -> None:
    """Refuse a composed document past the alias, size or depth bound, without expanding it:
    each node's expanded size is counted once, and an alias adds the size of what it points at.
    """
    import yaml

    scalar, mapping = yaml.ScalarNode, yaml.MappingNode
    # Without a "*" in the text there is no alias, so a scalar is reached only once and need
    # not be remembered (the scalars are most of a styrmodell's nodes).
    track = "*" in text
    sizes: dict[int, int] = {}  # id(node) → expanded size; -1 while its children are counted
    aliases = 0

    def visit(node: Any, depth: int, container: Any, step: Any) -> int:
        nonlocal aliases
        size = sizes.get(id(node))
        if size is not None:  # a second way to the same node: an alias
            line = (step if container.__class__ is mapping else container).start_mark.line + 1
            if size < 0:
                raise _Refused("config-yaml-alias-loop", line=line, container=container, step=step)
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _Refused("config-yaml-aliases", line=line, container=container, step=step,
                               max=MAX_ALIASES)
            return size
        if node.__class__ is scalar:
            sizes[id(node)] = 1
            return 1
        if depth > MAX_DEPTH:
            raise _Refused("config-yaml-too-deep", line=node.start_mark.line + 1,
                           max=MAX_DEPTH)  # no key path: it would be 50 steps long
        sizes[id(node)] = -1
        size = 1
        if node.__class__ is mapping:
            for key, value in node.value:
                size += (1 if key.__class__ is scalar and not track
                         else visit(key, depth + 1, node, key))
                size += (1 if value.__class__ is scalar and not track
                         else visit(value, depth + 1, node, key))
        else:
            for i, item in enumerate(node.value):
                size += (1 if item.__class__ is scalar and not track
                         else visit(item, depth + 1, node, i))
        if size > MAX_NODES:
            raise _Refused("config-yaml-too-many-values", line=node.start_mark.line + 1,
                           container=container, step=step, max=f"{MAX_NODES:,}".replace(",", " "))
        sizes[id(node)] = size
        return size

    visit(root, 1, None, None)


def _path_to(root: Any, container: Any, step: Any) -> str:
    """The key path (``nämnder[2].mål[0]``) of ``step`` in ``container``; each node is
    visited once, so a document full of aliases costs no more than its composed size."""
    import yaml

    if container is None:
        return ""
    seen: set[int] = set()
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node is container:
            return _step(path, step)
        if isinstance(node, yaml.MappingNode):
            stack.extend((value, _step(path, key)) for key, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{path}[{i}]") for i, item in enumerate(node.value))
    return ""


def _step(path: str, step: Any) -> str:
    if isinstance(step, int):
        return f"{path}[{step}]"
    name = str(getattr(step, "value", step))
    return f"{path}.{name}" if path else name


def line_map(node: Any, prefix: str = "", out: dict[str, int] | None = None) -> dict[str, int]:
    """Every key path in a composed node tree → its 1-based line."""
    import yaml

    out = {} if out is None else out
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            out[path] = key_node.start_mark.line + 1
            line_map(value_node, path, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = f"{prefix}[{i}]"
            out[path] = item.start_mark.line + 1
            line_map(item, path, out)
    return out


class LazyLines(Mapping[str, int]):
    """Key path → line, composed again from the text only when first asked: a valid file never
    pays for the second pass (1,8 s for a styrmodell of 1,500 units) nor keeps the node tree.
    The text has passed :func:`load_yaml`'s bounds, so composing it again is safe."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._map: dict[str, int] | None = None

    def _lines(self) -> dict[str, int]:
        if self._map is None:
            loader = _loader()(self._text)
            try:
                self._map = line_map(loader.get_single_node())
            finally:
                loader.dispose()
        return self._map

    def __getitem__(self, key: str) -> int:
        return self._lines()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines())

    def __len__(self) -> int:
        return len(self._lines())


_CORE = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    # a leading zero (08, 0180) is no integer here: it stays the text, see the module docstring
    ("tag:yaml.org,2002:int", r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$",
     "-+0123456789"),
    # core's float without its integers (those are ints above, or text with a leading zero)
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    # YAML 1.1's timestamp, PyYAML's pattern: the date fields have always been given dates
    ("tag:yaml.org,2002:timestamp",
     r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
     r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
     r"(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?"
     r"(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$", "0123456789"),
)


@functools.cache
def _loader() -> type:
    """The loader class: libyaml's parser when present (ten times faster than PyYAML's own),
    the core resolver table above and a mapping constructor that refuses a repeated key."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    scalar, sequence = yaml.ScalarNode, yaml.SequenceNode

    class Loader(base):  # type: ignore[misc, valid-type]
        yaml_implicit_resolvers: dict[Any, list[Any]] = {}  # ours; add_ appends only here
        _values = 0

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            # libyaml's composer asks this for (nearly) every node it makes: the place to stop
            # a file of too many values before they are all in memory. No path resolvers and
            # no wildcard, so simpler than PyYAML's own.
            self._values += 1
            if self._values > MAX_NODES:
                raise _Refused("config-file-too-many-values", line=None,
                               max=f"{MAX_NODES:,}".replace(",", " "))
            if kind is scalar:
                if implicit[0]:
                    for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                        if regexp.match(value):
                            return tag
                return self.DEFAULT_SCALAR_TAG
            return self.DEFAULT_SEQUENCE_TAG if kind is sequence else self.DEFAULT_MAPPING_TAG

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            mapping = super().construct_mapping(node, deep=deep)
            if len(mapping) < len(node.value):
                self._refuse_duplicate(node)
            return mapping

        def _refuse_duplicate(self, node: Any) -> None:
            first: dict[Any, Any] = {}
            for key_node, _ in node.value:
                key = self.constructed_objects.get(key_node, key_node.value)
                if key in first:
                    line = key_node.start_mark.line + 1
                    raise _Refused("config-duplicate-key", line=line, container=node, step=key_node,
                                   name=str(key), first=first[key].start_mark.line + 1)
                first[key] = key_node

    for tag, pattern, start in _CORE:
        Loader.add_implicit_resolver(tag, re.compile(pattern), list(start))
    return Loader


def round_trip_load(text: str) -> Any:
    """``text`` as ruamel.yaml's round-trip tree (mappings and lists that remember their
    comments, key order, quotes and flow style), for a command that edits a file a person
    wrote (``reportkit nytt-ar``) and writes it back with :func:`round_trip_dump`.

    Call it only on text that :func:`load_yaml` has accepted: the bounds are checked there,
    and what the file means is read there too (this tree is for writing, never for
    deciding). YAML 1.2 as ruamel reads it; dates are ``datetime.date``.
    """
    from ruamel.yaml import YAML

    return _round_trip(YAML).load(text)


def round_trip_dump(data: Any) -> str:
    """Write a :func:`round_trip_load` tree back as text: comments, key order, quotes and
    block/flow style as they were; a line is never wrapped anew (a flow mapping written over
    two lines comes back on one); ``null`` stays ``null``."""
    import io

    from ruamel.yaml import YAML

    out = io.StringIO()
    _round_trip(YAML).dump(data, out)
    return out.getvalue()


def _round_trip(yaml_class: Any) -> Any:
    engine = yaml_class(typ="rt")
    engine.preserve_quotes = True
    engine.width = 4096  # no re-wrapping: the folded texts keep the lines their author chose
    engine.indent(mapping=2, sequence=4, offset=2)  # "mål:\n  - id: KF1" as the files have it
    engine.representer.add_representer(
        type(None), lambda rep, _value: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return engine

