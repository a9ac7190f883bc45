"""Private scikit-learn names are imported in one module, :mod:`skmeta._sklearn_compat`.

The source is read with :mod:`ast`: a private name is a module path with a
part starting with ``_`` (``sklearn.utils._param_validation``) or an imported
name starting with one (``from sklearn.base import _fit_context``).
"""

import ast
from pathlib import Path

import pandas as pd

import skmeta
from skmeta._sklearn_compat import _safe_indexing

PACKAGE_DIR = Path(skmeta.__file__).parent
COMPAT = PACKAGE_DIR / "_sklearn_compat.py"


def private_sklearn_imports(path):
    """``(line, what)`` of every private scikit-learn import in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules, names = [alias.name for alias in node.names], []
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules, names = [node.module], [alias.name for alias in node.names]
        else:
            continue
        for module in modules:
            if module.split(".")[0] != "sklearn":
                continue
            private = [p for p in module.split(".") if p.startswith("_")]
            private += [n for n in names if n.startswith("_")]
            if private:
                found.append((node.lineno, f"{module}: {', '.join(private)}"))
    return found


def test_only_the_compat_module_imports_private_sklearn_names():
    offenders = {
        str(path.relative_to(PACKAGE_DIR.parent)): private_sklearn_imports(path)
        for path in sorted(PACKAGE_DIR.rglob("*.py")) if path != COMPAT
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_check_sees_private_modules_and_names(tmp_path):
    source = tmp_path / "example.py"
    source.write_text("from sklearn.utils._param_validation import Interval\n"
                      "from sklearn.base import _fit_context, clone\n"
                      "import sklearn.tree._tree\n"
                      "from sklearn.utils import check_array\n")
    assert [line for line, _ in private_sklearn_imports(source)] == [1, 2, 3]
    assert private_sklearn_imports(COMPAT)  # where they all are


def test_safe_indexing_takes_rows_of_frames_and_arrays():
    frame = pd.DataFrame({"a": [1, 2, 3]}, index=[10, 20, 30])
    assert _safe_indexing(frame, [2, 0])["a"].tolist() == [3, 1]
    assert _safe_indexing(frame["a"].to_numpy(), [1]).tolist() == [2]
