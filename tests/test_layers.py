"""The package's shape: layers that import only downward, no import cycles, short functions,
a CLI that uses only the public API, console output from ``reportkit.console`` alone, and SQL
only in the store.

Every import counts, also one inside a function (that is how an upward import hides) and one
under ``if TYPE_CHECKING:`` (a type from above is still knowledge of what is above). The layers,
lowest first, are the ones ARCHITECTURE.md draws; a module may import its own layer and the
layers below. Layers of the same rank (documents, outputs) are rooms side by side: neither
imports the other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reportkit"

# (rank, layer, module prefixes). A module belongs to the layer of its longest prefix;
# "reportkit" names the package's __init__ only.
LAYERS: list[tuple[int, str, tuple[str, ...]]] = [
    (0, "base", ("reportkit.errors", "reportkit.texts", "reportkit.formats", "reportkit.files",
                 "reportkit.memory", "reportkit.resources", "reportkit.version",
                 "reportkit.isolate", "reportkit.yamlfile", "reportkit.caching",
                 "reportkit.compat")),
    (1, "model", ("reportkit.styrmodell",)),
    (2, "workbook", ("reportkit.workbook",)),
    (3, "sources", ("reportkit.sources",)),
    (4, "intake", ("reportkit.intake",)),
    (5, "store", ("reportkit.storage",)),
    (6, "consolidate", ("reportkit.consolidate",)),
    (7, "documents", ("reportkit.documents",)),
    (7, "outputs", ("reportkit.outputs",)),
    (8, "app", ("reportkit", "reportkit.cli", "reportkit.console", "reportkit.json_views",
                "reportkit.demo")),
]

# What the CLI may import: the public API, the display modules (the --json documents among
# them) and click's door (compat/click.py: click's own words in Swedish).
CLI_IMPORTS = {"reportkit", "reportkit.console", "reportkit.errors", "reportkit.texts",
               "reportkit.formats", "reportkit.json_views", "reportkit.compat.click"}

# Where console output may be written: the console module and the demo (its own steps go
# through an ``echo`` it is handed, so today it writes nothing itself).
PRINTING_MODULES = {"reportkit.console", "reportkit.demo"}
# Functions elsewhere that write to stdout or stderr, each with the reason.
PRINTS: dict[str, str] = {
    "reportkit.documents.uno_worker._emit":
        "the UNO worker's protocol: JSON events on stdout, read by documents/pdf.py",
    "reportkit.documents.pdf.main":
        "python -m reportkit.documents.pdf, a developer's converter outside the CLI",
    "reportkit.compat.click.Group.main":
        "click's own usage error and 'Aborted!' lines, written where click writes them",
}

MAX_LINES = 80
# Functions longer than MAX_LINES, each with the reason it stays one function.
LONG_FUNCTIONS: dict[str, str] = {
    "reportkit.documents.reportdata.example_reportdata":
        "one literal: the example document's data, read top to bottom like the document",
}

SQL_METHODS = ("execute", "executemany", "executescript")
# Modules outside reportkit/storage/ that still run SQL themselves, each with the reason.
SQL_OUTSIDE_STORE: dict[str, str] = {}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """Every reportkit module ``path`` imports, wherever the import statement stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    root = name.split(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == root)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != root:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    found.discard(name)
    return found


def graph(root: Path) -> dict[str, set[str]]:
    paths = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    known = set(paths)
    return {name: imports_of(path, name, known) for name, path in paths.items()}


def layer_of(module: str, layers=LAYERS) -> tuple[int, str] | None:
    best: tuple[int, int, str] | None = None
    for rank, layer, prefixes in layers:
        for prefix in prefixes:
            # the root package itself is the API; a new top-level module must say its layer
            below = "." in prefix and module.startswith(prefix + ".")
            if (module == prefix or below) and (
                    best is None or len(prefix) > best[0]):
                best = (len(prefix), rank, layer)
    return None if best is None else (best[1], best[2])


def violations(edges: dict[str, set[str]], layers=LAYERS) -> list[str]:
    """Upward or sideways imports and modules in no layer, as readable lines."""
    out = []
    for module in sorted(edges):
        own = layer_of(module, layers)
        if own is None:
            out.append(f"{module}: in no layer (add it to LAYERS and ARCHITECTURE.md)")
            continue
        for target in sorted(edges[module]):
            other = layer_of(target, layers)
            if other is None:
                continue
            if other[0] > own[0] or (other[0] == own[0] and other[1] != own[1]):
                out.append(f"{module} ({own[1]}) imports {target} ({other[1]})")
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def long_functions(root: Path, limit: int = MAX_LINES) -> dict[str, int]:
    out = {}
    for path in sorted(root.rglob("*.py")):
        name = module_name(path, root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > limit:
                    out[f"{name}.{node.name}"] = length
    return out


def _is_output(node: ast.Call) -> bool:
    """``print(…)``, ``click.echo``/``secho``, ``sys.stdout``/``sys.stderr`` ``.write``, or
    a rich ``Console``/``Progress``."""
    f = node.func
    if isinstance(f, ast.Name):
        return f.id in ("print", "Console", "Progress")
    if not isinstance(f, ast.Attribute):
        return False
    owner = ast.unparse(f.value)
    return ((owner == "click" and f.attr in ("echo", "secho"))
            or (owner in ("sys.stdout", "sys.stderr") and f.attr in ("write", "writelines"))
            or f.attr in ("Console", "Progress"))


def printing_functions(root: Path) -> dict[str, int]:
    """Where output is written outside the CLI and console: qualified function → line."""
    out: dict[str, int] = {}
    for path in sorted(root.rglob("*.py")):
        name = module_name(path, root)
        if name == "reportkit.cli" or any(name == m or name.startswith(m + ".")
                                          for m in PRINTING_MODULES):
            continue

        def walk(node: ast.AST, where: str) -> None:
            for child in ast.iter_child_nodes(node):
                inner = where
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    inner = f"{where}.{child.name}"
                if isinstance(child, ast.Call) and _is_output(child):
                    out.setdefault(where, child.lineno)
                walk(child, inner)

        walk(ast.parse(path.read_text(encoding="utf-8")), name)
    return out


def test_every_import_points_down_a_layer() -> None:
    assert violations(graph(PACKAGE)) == []


def test_no_import_cycles() -> None:
    assert cycles(graph(PACKAGE)) == []


def test_the_checks_catch_an_upward_import_inside_a_function_and_a_cycle(tmp_path: Path
                                                                          ) -> None:
    pkg = tmp_path / "reportkit"
    (pkg / "workbook").mkdir(parents=True)
    (pkg / "consolidate").mkdir()
    for init in (pkg, pkg / "workbook", pkg / "consolidate"):
        (init / "__init__.py").write_text("")
    (pkg / "workbook" / "content.py").write_text(
        "def scale():\n    from reportkit.consolidate.run import SCALE\n    return SCALE\n")
    (pkg / "consolidate" / "run.py").write_text("from reportkit.consolidate import rollup\n")
    (pkg / "consolidate" / "rollup.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from reportkit.consolidate.run import X\n")
    edges = graph(pkg)
    assert violations(edges) == [
        "reportkit.workbook.content (workbook) imports reportkit.consolidate.run (consolidate)"]
    assert cycles(edges) == [["reportkit.consolidate.rollup", "reportkit.consolidate.run"]]
    (pkg / "stray.py").write_text("")
    assert any(v.startswith("reportkit.stray: in no layer") for v in violations(graph(pkg)))


@pytest.mark.parametrize("limit", [MAX_LINES])
def test_functions_are_short_or_say_why_not(limit: int) -> None:
    found = long_functions(PACKAGE, limit)
    unexplained = {k: v for k, v in found.items() if k not in LONG_FUNCTIONS}
    assert unexplained == {}
    stale = sorted(set(LONG_FUNCTIONS) - set(found))
    assert stale == [], "allowed long functions that are no longer long (remove them)"


def test_the_cli_uses_only_the_public_api() -> None:
    assert graph(PACKAGE)["reportkit.cli"] <= CLI_IMPORTS


def test_only_the_console_prints() -> None:
    found = printing_functions(PACKAGE)
    assert {k: v for k, v in found.items() if k not in PRINTS} == {}
    stale = sorted(set(PRINTS) - set(found))
    assert stale == [], "allowed printing functions that no longer print (remove them)"


def test_the_print_check_catches_a_library_that_prints(tmp_path: Path) -> None:
    pkg = tmp_path / "reportkit"
    (pkg / "intake").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "cli.py").write_text("import click\nclick.echo('ok')\n")
    (pkg / "console.py").write_text("print('ok')\n")
    (pkg / "intake" / "check.py").write_text(
        "import sys\nimport click\nfrom rich.console import Console\n"
        "def a():\n    print('x')\n"
        "class B:\n    def c(self):\n        click.echo('y')\n"
        "def d():\n    sys.stdout.write('z')\n"
        "def e():\n    return Console(stderr=True)\n"
        "def f():\n    return 'print(not a call)'\n")
    assert printing_functions(pkg) == {
        "reportkit.intake.check.a": 5, "reportkit.intake.check.B.c": 8,
        "reportkit.intake.check.d": 10, "reportkit.intake.check.e": 12}


def sql_calls(root: Path) -> dict[str, list[int]]:
    """Lines calling ``.execute(``, ``.executemany(`` or ``.executescript(`` (on any object)
    per module outside ``reportkit.storage``."""
    out: dict[str, list[int]] = {}
    for path in sorted(root.rglob("*.py")):
        name = module_name(path, root)
        if name == "reportkit.storage" or name.startswith("reportkit.storage."):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in SQL_METHODS:
                out.setdefault(name, []).append(node.lineno)
    return out


def test_sql_runs_only_in_the_store_modules() -> None:
    found = sql_calls(PACKAGE)
    assert {k: v for k, v in found.items() if k not in SQL_OUTSIDE_STORE} == {}
    stale = sorted(set(SQL_OUTSIDE_STORE) - set(found))
    assert stale == [], "modules allowed SQL that no longer run any (remove them)"


def test_the_sql_check_catches_a_query_outside_the_store(tmp_path: Path) -> None:
    pkg = tmp_path / "reportkit"
    (pkg / "storage").mkdir(parents=True)
    (pkg / "consolidate").mkdir()
    (pkg / "storage" / "store.py").write_text(
        "def rows(conn):\n    return conn.execute('SELECT 1')\n")
    (pkg / "consolidate" / "run.py").write_text(
        "def run(conn, t):\n    conn.executemany('INSERT INTO x VALUES (?)', [])\n"
        "    return [conn.cursor().execute(f'SELECT * FROM {t}')]\n")
    assert sql_calls(pkg) == {"reportkit.consolidate.run": [2, 3]}
