"""No import cycle anywhere in ``skmeta/``.

The graph is read from the source with :mod:`ast`: an edge ``a -> b`` for
every ``import`` of a module ``b`` of skmeta in module ``a``, at module level
or inside a function alike (an import deferred into a function is still a
dependency). ``from package import name`` counts as importing the module
``package.name`` when that is a module, else the package itself.
"""

import ast
from pathlib import Path

import skmeta

PACKAGE_DIR = Path(skmeta.__file__).parent


def module_name(path):
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path, modules):
    """The modules of ``modules`` that the file at ``path`` imports."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules else base)
    return found & modules - {name}


def import_graph():
    """Module -> the skmeta modules it imports."""
    paths = sorted(PACKAGE_DIR.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    return {module_name(path): imported_modules(path, modules) for path in paths}


def find_cycle(graph):
    """One import cycle as a list of modules (first repeated last), or None."""
    state = {}  # module -> "visiting" or "done"

    def visit(module, trail):
        state[module] = "visiting"
        for target in sorted(graph[module]):
            if state.get(target) == "visiting":
                return [*trail[trail.index(target):], target]
            if target not in state:
                cycle = visit(target, [*trail, target])
                if cycle:
                    return cycle
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module, [module])
            if cycle:
                return cycle
    return None


def test_the_graph_sees_deferred_imports():
    graph = import_graph()
    # skmeta.cli.metatraining imports the learner inside its functions.
    assert "skmeta.learner" in graph["skmeta.cli.metatraining"]
    assert "skmeta.knowledge.store" in graph["skmeta.knowledge"]


def test_no_import_cycle_in_skmeta():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
