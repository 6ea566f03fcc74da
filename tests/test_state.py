"""State owned by a run: no module-level cache or other mutable state outside the allowlist.

A cache belongs to what it serves: a render's :class:`~reportkit.documents.render.TemplateMemo`,
a consolidation's memos, a ``Scale``'s display texts (:class:`reportkit.caching.Memo`), made
with it and gone with it, so no test ever has to reset one. This test walks every module and
lists what would hold state between runs:

- a module-level name bound to a mutable object: a dict, list or set display or
  comprehension, or a call to ``dict``, ``list``, ``set``, ``defaultdict``, ``OrderedDict``,
  ``Counter``, ``deque`` or ``bytearray``;
- a ``global`` statement (a module slot written by a function);
- a function remembered by ``functools.cache``/``lru_cache`` (module-level too).

Each one found must be in :data:`ALLOWED` with its reason, and an entry that is no longer
found fails too. A table allowed as :data:`READ_ONLY` must never be written in its module
(item or attribute assignment, ``del``, ``+=`` or a mutating method: ``.clear()``,
``.update()`` …). The check shows on a made-up module that it catches a cache.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reportkit"

READ_ONLY = "a constant table: read, never written (checked below)"
EXPORTS = "the module's __all__"
PURE = ("a pure function of immutable arguments giving an immutable value (or a class made "
        "once and never changed): what it remembers is the same for every run, never stale")
FORK_SLOT = ("a value handed to forked workers through a module slot set just before the "
             "fork and cleared after it")

ALLOWED: dict[str, str] = {
    # --- __all__
    "reportkit.__all__": EXPORTS,
    "reportkit.caching.__all__": EXPORTS,
    "reportkit.compat.__all__": EXPORTS,
    "reportkit.compat.docx.__all__": EXPORTS,
    "reportkit.compat.docxtpl.__all__": EXPORTS,
    "reportkit.compat.jinja.__all__": EXPORTS,
    "reportkit.compat.xlsxwriter.__all__": EXPORTS,
    "reportkit.compat.click.__all__": EXPORTS,
    "reportkit.consolidate.fingerprint.__all__": EXPORTS,
    "reportkit.demo.simulate.__all__": EXPORTS,
    "reportkit.demo.simulate_texts.__all__": EXPORTS,
    "reportkit.documents.compose.__all__": EXPORTS,
    "reportkit.documents.context.__all__": EXPORTS,
    "reportkit.documents.reading_aids.__all__": EXPORTS,
    "reportkit.documents.render.__all__": EXPORTS,
    "reportkit.documents.sandbox.__all__": EXPORTS,
    "reportkit.documents.sections.__all__": EXPORTS,
    "reportkit.sources.__all__": EXPORTS,
    "reportkit.styrmodell.assess.__all__": EXPORTS,
    "reportkit.styrmodell.targets.__all__": EXPORTS,
    # --- constant tables
    "reportkit._API": READ_ONLY,
    "reportkit._ALIASES": READ_ONLY,
    "reportkit.cli.CONTEXT": READ_ONLY,
    "reportkit.consolidate.economy.BALANCE_SIGNS": READ_ONLY,
    "reportkit.consolidate.economy.OUTCOMES": READ_ONLY,
    "reportkit.consolidate.exports._ATTR": READ_ONLY,
    "reportkit.consolidate.exports._OUTCOME_INPUTS": READ_ONLY,
    "reportkit.consolidate.rollup._GOAL_FIELDS": READ_ONLY,
    "reportkit.consolidate.rollup._INDICATOR_FIELDS": READ_ONLY,
    "reportkit.consolidate.summary._NO_FORMULAS": READ_ONLY,
    "reportkit.demo.DEMO_DECISIONS": READ_ONLY,
    "reportkit.demo.simulate.MISTAKE_CODES": READ_ONLY,
    "reportkit.demo.simulate.ANALYSIS": READ_ONLY,
    "reportkit.demo.simulate.ANALYSIS_MORE": READ_ONLY,
    "reportkit.demo.simulate.TEXTS": READ_ONLY,
    "reportkit.demo.simulate_texts._NUMBERS": READ_ONLY,
    "reportkit.demo.simulate_texts._KANSLI_TEXTS": READ_ONLY,
    "reportkit.demo.simulate_texts._CONTROLS": READ_ONLY,
    "reportkit.demo.simulate_texts._PRIVATE": READ_ONLY,
    "reportkit.documents.build.DOCUMENT_PERIOD_TYPES": READ_ONLY,
    "reportkit.documents.build.FILE_NAMES": READ_ONLY,
    "reportkit.documents.build.TITLES": READ_ONLY,
    "reportkit.documents.build._TEXT_KEYS": READ_ONLY,
    "reportkit.documents.build.ALSO_ACCEPTED": READ_ONLY,
    "reportkit.styrmodell.kinds.DOCUMENT_REPORTS": READ_ONLY,
    "reportkit.styrmodell.kinds.GROUP_GENITIVE": READ_ONLY,
    "reportkit.styrmodell.kinds.GROUP_PLURAL": READ_ONLY,
    "reportkit.styrmodell.kinds.GROUP_SINGULAR": READ_ONLY,
    "reportkit.styrmodell.kinds.KINDS": READ_ONLY,
    "reportkit.styrmodell.kinds.OTHER_NODES": READ_ONLY,
    "reportkit.styrmodell.words.ASCII_FORMS": READ_ONLY,
    "reportkit.documents.context.AVSNITT": READ_ONLY,
    "reportkit.documents.context.DATA_TABLES": READ_ONLY,
    "reportkit.documents.context.TABLE_EXPORTS": READ_ONLY,
    "reportkit.documents.context._SHOWN_UNITS": READ_ONLY,
    "reportkit.documents.context._DOCUMENT_WORDS": READ_ONLY,
    "reportkit.documents.economy._DECIMALS": READ_ONLY,
    "reportkit.documents.pdf.FILTER_DATA": READ_ONLY,
    "reportkit.documents.sections.SECTIONS": READ_ONLY,
    "reportkit.errors.CATALOGUE":
        "the catalogue of problem kinds: filled while the module is imported (_kind, each "
        "code once), only read after",
    "reportkit.sources.exports.PERIOD_KINDS": READ_ONLY,
    "reportkit.sources.keyfigures._COMPANY_FIGURES": READ_ONLY,
    "reportkit.storage.store.MIGRATIONS": READ_ONLY,
    "reportkit.styrmodell.assess._STEP_KEYS": READ_ONLY,
    "reportkit.styrmodell.config._REASONS": READ_ONLY,
    "reportkit.styrmodell.config._UNION_WORDS": READ_ONLY,
    "reportkit.styrmodell.config._KEY_HINTS": READ_ONLY,
    "reportkit.texts.DIRECTION": READ_ONLY,
    "reportkit.texts.SHEET_NOTES": READ_ONLY,
    "reportkit.texts.CHECK_MESSAGES": READ_ONLY,
    "reportkit.texts.SUMMARY_LABELS": READ_ONLY,
    "reportkit.texts.TREND": READ_ONLY,
    "reportkit.texts.INBOX_VERDICTS": READ_ONLY,
    "reportkit.texts.INBOX_FILE_KINDS": READ_ONLY,
    "reportkit.texts.EXPORT_KINDS": READ_ONLY,
    "reportkit.texts.EXPORT_STATES": READ_ONLY,
    "reportkit.texts.EXPORT_STATE_COUNTS": READ_ONLY,
    "reportkit.texts.YAML_READ_ERRNO": READ_ONLY,
    "reportkit.texts.DIFF_CHANGE_PLURALS": READ_ONLY,
    "reportkit.texts.ECONOMY_SHEETS": READ_ONLY,
    "reportkit.texts.READ_DEATH": READ_ONLY,
    "reportkit.texts.TEMPLATE_BOUNDS": READ_ONLY,
    "reportkit.workbook.generate.GOAL_LINES": READ_ONLY,
    "reportkit.workbook.generate.STYLE_NAMES": READ_ONLY,
    "reportkit.workbook.generate.DEFAULT_STYLES": READ_ONLY,
    "reportkit.workbook.generate._NUMBER_VALIDATION": READ_ONLY,
    "reportkit.workbook.generate._YES_NO_VALIDATION": READ_ONLY,
    "reportkit.workbook.parse._MONTHS": READ_ONLY,
    "reportkit.workbook.safety._DEFAULT_LIMITS": READ_ONLY,
    "reportkit.workbook.xmlinfo._TRUE": READ_ONLY,
    "reportkit.workbook.xmlinfo._NAMED": READ_ONLY,
    # --- module slots
    "reportkit.consolidate.summary._FORKED": FORK_SLOT,
    "reportkit.documents.compose._FORKED": FORK_SLOT,
    "reportkit.documents.sandbox._IN_WORKER":
        "what this process is: set once in a forked render worker (become_worker), which "
        "never goes back to being a parent",
    "reportkit.documents.uno_worker.uno":
        "the UNO module, imported in the worker process run by LibreOffice's Python (a "
        "separate program, not a run of reportkit)",
    # --- remembered functions
    "reportkit.compat.installed": "the installed version of a library: fixed for the process",
    "reportkit.compat.docxtpl._alt_image_class": PURE,
    "reportkit.compat.click._patterns": PURE,
    "reportkit.compat.docxtpl._subdoc_class": PURE,
    "reportkit.documents.sections._empty_draft":
        "the zip members of the one empty draft (a tuple of bytes): made once from "
        "python-docx's own default document, the same in every run",
    "reportkit.compat.docxtpl._template_class": PURE,
    "reportkit.compat.jinja._remembering": PURE,
    "reportkit.compat.xlsxwriter._sheet_class": PURE,
    "reportkit.compat.xlsxwriter._column_name": PURE,
    "reportkit.compat.xlsxwriter._formula_class": PURE,
    "reportkit.documents.sandbox._other_template_class": PURE,
    "reportkit.documents.sandbox.environment_class": PURE,
    "reportkit.formats._float_text": PURE,
    "reportkit.formats._float_value_text": PURE,
    "reportkit.workbook.xmlinfo._frozen_rels": PURE,
    "reportkit.workbook.xmlinfo._frozen_workbook": PURE,
    "reportkit.workbook.xmlinfo._plain_cell": PURE,
    "reportkit.workbook.xmlinfo._decoded": PURE,
    "reportkit.workbook.safety._remembered_overrides": PURE,
    "reportkit.workbook.safety._column_above": PURE,
    "reportkit.workbook.safety._sheet_patterns": PURE,
    "reportkit.workbook.layout.column_index": PURE,
    "reportkit.workbook.layout.columns_for": PURE,
    "reportkit.intake.check._column": PURE,
    "reportkit.intake.check._locked_cell": PURE,
    "reportkit.yamlfile._loader": PURE,
    "reportkit.documents.charts._matplotlib_version":
        "the installed matplotlib's version: fixed for the process",
    "reportkit.documents.chartstyle.font_family":
        "the font matplotlib has: fixed for the process",
    "reportkit.documents.codestamp.render_code_stamp":
        "the code and library versions that write a document: fixed for the process",
}

_MUTABLE_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque",
                  "bytearray"}
_MUTATORS = {"append", "extend", "insert", "pop", "popitem", "remove", "clear", "update",
             "setdefault", "add", "discard", "sort", "reverse", "appendleft", "extendleft",
             "__setitem__", "__delitem__"}
_CACHES = {"cache", "lru_cache"}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_mutable(value: ast.expr) -> bool:
    if isinstance(value, ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp
                  | ast.SetComp):
        return True
    if isinstance(value, ast.Call):
        func = value.func
        name = func.id if isinstance(func, ast.Name) else \
            func.attr if isinstance(func, ast.Attribute) else None
        return name in _MUTABLE_CALLS
    return False


def _cached(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = target.id if isinstance(target, ast.Name) else \
        target.attr if isinstance(target, ast.Attribute) else None
    return name in _CACHES


def module_state(tree: ast.Module, module: str) -> dict[str, str]:
    """What in ``tree`` (the module ``module``) can hold state between runs: qualified name →
    its kind (``mutable``, ``global`` or ``cached``)."""
    found: dict[str, str] = {}
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        value = getattr(node, "value", None)
        if targets and value is not None and _is_mutable(value):
            for target in targets:
                if isinstance(target, ast.Name):
                    found[f"{module}.{target.id}"] = "mutable"
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) \
                and any(_cached(d) for d in node.decorator_list):
            found[f"{module}.{node.name}"] = "cached"
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            for name in node.names:
                found.setdefault(f"{module}.{name}", "global")
    return found


def writes(tree: ast.Module, name: str) -> list[int]:
    """The lines of ``tree`` that write into the object bound to the module-level ``name``."""
    return [node.lineno for node in ast.walk(tree) if _writes_into(node, name)]


def _writes_into(node: ast.AST, name: str) -> bool:
    def named(value: ast.expr) -> bool:
        return isinstance(value, ast.Name) and value.id == name

    if isinstance(node, ast.Subscript | ast.Attribute):
        return isinstance(node.ctx, ast.Store | ast.Del) and named(node.value)
    if isinstance(node, ast.AugAssign):
        return named(node.target)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in _MUTATORS and named(node.func.value)
    return False


def package_state(root: Path) -> tuple[dict[str, str], dict[str, ast.Module]]:
    found: dict[str, str] = {}
    trees: dict[str, ast.Module] = {}
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        trees[module] = ast.parse(path.read_text(encoding="utf-8"))
        found.update(module_state(trees[module], module))
    return found, trees


@pytest.fixture(scope="module")
def package() -> tuple[dict[str, str], dict[str, ast.Module]]:
    return package_state(PACKAGE)


def test_no_module_level_state_outside_the_allowlist(package) -> None:
    found, _trees = package
    unlisted = sorted(f"{name} ({kind})" for name, kind in found.items() if name not in ALLOWED)
    assert unlisted == [], "module-level state outside the allowlist (own it by a run, or " \
        "add it to ALLOWED with the reason): " + ", ".join(unlisted)


def test_every_allowlist_entry_is_still_found(package) -> None:
    found, _trees = package
    assert sorted(set(ALLOWED) - set(found)) == []


def test_read_only_tables_are_never_written(package) -> None:
    _found, trees = package
    written = {}
    for name, reason in ALLOWED.items():
        if reason is READ_ONLY:
            module, _, attr = name.rpartition(".")
            lines = writes(trees[module], attr)
            if lines:
                written[name] = lines
    assert written == {}


def test_the_check_catches_a_made_up_cache(tmp_path: Path) -> None:
    package = tmp_path / "madeup"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "cached.py").write_text(
        "import functools\n"
        "from collections import defaultdict\n"
        "LABELS = {'a': 'A'}\n"
        "_SEEN: dict[str, int] = {}\n"
        "_BY_KIND = defaultdict(list)\n"
        "_LAST = None\n"
        "def seen(key):\n"
        "    global _LAST\n"
        "    _LAST = key\n"
        "    _SEEN[key] = _SEEN.get(key, 0) + 1\n"
        "    _BY_KIND.setdefault(key, []).append(1)\n"
        "    return LABELS.get(key)\n"
        "@functools.lru_cache(maxsize=8)\n"
        "def parsed(data):\n"
        "    return data.decode()\n")
    found, trees = package_state(package)
    assert found == {"madeup.cached.LABELS": "mutable", "madeup.cached._SEEN": "mutable",
                     "madeup.cached._BY_KIND": "mutable", "madeup.cached._LAST": "global",
                     "madeup.cached.parsed": "cached"}
    tree = trees["madeup.cached"]
    assert writes(tree, "LABELS") == []  # would pass as a read-only table
    assert writes(tree, "_SEEN") == [10]  # would not
    assert writes(tree, "_BY_KIND") == [11]
