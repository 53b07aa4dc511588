"""The library's rooms and the direction of their dependencies (README: "How the code is laid out").

Every module of press/ is parsed (`ast`), and every import it makes is an
edge: at the top, inside functions, under `TYPE_CHECKING`. `from X import
name` is an edge to the module `X.name` when there is one, else to `X`.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT

PACKAGE = PROJECT / "press"
# The modules every room may use: the model and what it is made and checked with.
# The sheet edition reads its own input: sheet files (TOML) and Sefaria source sheets (JSON).
SHEET_READERS = ("press.readers.sheetfile", "press.readers.sefaria_sheet")
FOUNDATION = ("press.model", "press.diagnostics", "press.config", "press.paths", "press.textfile", "press.tomlpos",
              "press.hebrew", "press.bidi", "press.passage", "press.serialize", "press.typography")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PROJECT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The press modules `name` imports, anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target not in known and "." in target:  # `import press.x.y` of a name inside a module
                target = target.rpartition(".")[0]
            if target in known and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, as the modules around it (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(_ring(sorted(component), edges))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _ring(component: list[str], edges: dict[str, set[str]]) -> list[str]:
    """One cycle through the component's first module, to name in a message: a → b → … → a."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(edges[node] & members):
            if target == start:
                return paths[node] + [start]
            if target not in paths:
                paths[target] = paths[node] + [target]
                queue.append(target)
    return component


def room(module: str) -> str:
    """The room a module is in: foundation, readers, checks, engine, editions.<edition>, editions, cli."""
    parts = module.split(".")
    if module == "press" or module in FOUNDATION:
        return "foundation"
    if parts[1] == "editions":
        return "editions" if len(parts) == 2 or parts[2] == "base" else f"editions.{parts[2]}"
    # A new top-level module is in no room until FOUNDATION or a package takes it.
    return {"readers": "readers", "engine": "engine", "checks": "checks", "cli": "cli",
            "preview": "preview"}.get(parts[1], "unplaced")


# What each room may import, besides itself.
ALLOWED = {
    "foundation": {"foundation"},
    "readers": {"foundation"},
    "checks": {"foundation", "engine"},
    "engine": {"foundation"},
    "editions": {"foundation"},
    # `build.py serve`: not an edition; it asks the editions through the registry and their packages.
    "preview": {"foundation", "readers", "engine", "editions"},
    "cli": {"foundation", "readers", "checks", "engine", "editions", "preview"},
}


def violations(edges: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in sorted(edges.items()):
        source = room(module)
        for target in sorted(targets):
            into = room(target)
            if into == source:
                continue
            if source.startswith("editions."):
                # An edition: the model, checks and engine; the registry and base; another edition only
                # through the functions its package exports; of the readers, only the sheet-file reader
                # (a sheet file is the sheet edition's own input).
                if into in ("foundation", "checks", "engine", "editions") or target in SHEET_READERS:
                    continue
                if into.startswith("editions.") and target == f"press.{into}":
                    continue
            elif into in ALLOWED.get(source, set()):
                continue
            elif source == "preview" and into.startswith("editions.") and target == f"press.{into}":
                continue  # an edition's package, for the functions it exports
            wrong.append(f"{module} ({source}) imports {target} ({into})")
    return wrong


def test_no_import_cycle_anywhere_in_the_library() -> None:
    found = cycles(graph())
    assert not found, "import cycles:\n" + "\n".join(" → ".join(ring) for ring in found)


def test_the_cycle_finder_finds_and_names_a_cycle() -> None:
    edges = {"press.a": {"press.b"}, "press.b": {"press.c"}, "press.c": {"press.a", "press.d"}, "press.d": set()}
    assert cycles(edges) == [["press.a", "press.b", "press.c", "press.a"]]
    assert cycles({"press.a": {"press.b"}, "press.b": set()}) == []


def test_function_level_imports_count() -> None:
    """The cycle this layout removed ran through imports inside functions: they must be seen."""
    edges = graph()
    assert "press.editions.book.build" in edges["press.editions.book.pages"], "a function-level import"
    assert "press.engine.pagetrace" in edges["press.editions.epub.writer"]


def test_dependencies_point_one_way() -> None:
    assert violations(graph()) == []


def test_the_rule_catches_a_reach_into_another_edition() -> None:
    edges = {"press.editions.epub.writer": {"press.editions.book.build", "press.editions.book"},
             "press.engine.pdf": {"press.editions.book"}, "press.model": set(),
             "press.preview.pages": {"press.editions.book.build", "press.editions.book", "press.editions"},
             "press.editions.sheet.writer": {"press.preview.pages"}, "press.engine.render": {"press.preview"}}
    assert violations(edges) == [
        "press.editions.epub.writer (editions.epub) imports press.editions.book.build (editions.book)",
        "press.editions.sheet.writer (editions.sheet) imports press.preview.pages (preview)",
        "press.engine.pdf (engine) imports press.editions.book (editions.book)",
        "press.engine.render (engine) imports press.preview (preview)",
        "press.preview.pages (preview) imports press.editions.book.build (editions.book)"]


def test_the_model_imports_nothing_of_the_library() -> None:
    assert graph()["press.model"] == set()


def test_every_room_is_where_the_readme_says() -> None:
    rooms = {room(module) for module in modules()}
    assert {"foundation", "readers", "checks", "engine", "cli", "preview", "editions", "editions.book",
            "editions.booklet", "editions.epub", "editions.sheet", "editions.html", "editions.markdown"} == rooms
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.partition("### How the code is laid out")[2].partition("\n## ")[0]
    editions = sorted(room(module).partition(".")[2] for module in modules() if room(module).startswith("editions."))
    for folder in ("press/readers/", "press/checks.py", "press/engine/", "press/editions/", "press/preview/",
                   "press/cli.py",
                   *(f"`{edition}/`" for edition in dict.fromkeys(editions))):
        assert folder in section, f"the README's layout section names {folder}"


@pytest.mark.parametrize("package", ["press.editions", "press.editions.book", "press.editions.booklet",
                                     "press.editions.epub", "press.editions.sheet", "press.editions.html",
                                     "press.editions.markdown"])
def test_an_editions_package_loads_no_layout_engine(package: str) -> None:
    """Another edition imports a package for its exported functions: that must not load WeasyPrint."""
    script = (f"import sys, {package}; "
              "print(sorted({m.split('.')[0] for m in sys.modules} & {'weasyprint', 'pikepdf', 'fontTools'}))")
    loaded = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
