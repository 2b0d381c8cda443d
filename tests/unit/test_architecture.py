"""Issue 10: the layers are enforced. The import contracts of pyproject.toml ([tool.importlinter]) run with the
suite, and no app has an import cycle between any two of its modules — at any depth, with imports inside
functions counted too (an import moved into a function to dodge a cycle is still a cycle)."""

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("base", "shop", "accounts", "orders", "payments", "loyalty", "returns")


def module_cycles(graph: grimp.ImportGraph, package: str) -> list[list[str]]:
    """The strongly connected groups of two or more modules inside `package` (Tarjan's algorithm)."""
    modules = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    inside = set(modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module) & inside):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return cycles


def test_the_cycle_finder_finds_a_cycle_and_nothing_else():
    # given a graph with one cycle of three modules and a tail
    graph = grimp.ImportGraph()
    for importer, imported in (("app.a", "app.b"), ("app.b", "app.c"), ("app.c", "app.a"), ("app.d", "app.a")):
        graph.add_import(importer=importer, imported=imported)
    # when / then
    assert module_cycles(graph, "app") == [["app.a", "app.b", "app.c"]]
    graph.remove_import(importer="app.c", imported="app.a")
    assert module_cycles(graph, "app") == []


@pytest.fixture(scope="module")
def project_graph():
    sys.path.insert(0, str(ROOT))
    try:
        return grimp.build_graph(*APPS, "config", cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))


@pytest.mark.parametrize("app", APPS)
def test_no_module_cycles_inside_an_app(project_graph, app):
    cycles = module_cycles(project_graph, app)
    assert cycles == [], f"{app} has import cycles between these modules: {cycles}"


def test_the_import_contracts_hold():
    """The layers (returns > payments | loyalty > orders > accounts > shop > base), the composition root that
    nothing imports, and no cycles between an app's sub-packages; the failure shows import-linter's report."""
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is a dev dependency: make install-dev"
    result = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
