"""skmeta without the boosting extra: nothing imports it, and naming it says so.

Each test runs Python in a subprocess: one sees which modules ``import skmeta``
and a default fit load, the other cannot import LightGBM, XGBoost nor CatBoost
(a ``sitecustomize`` refuses them), as on a machine without the extra. Both
run whether or not the extra is installed here.
"""

import os
import subprocess
import sys
import textwrap

NAMES = ["lightgbm", "xgboost", "catboost"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run_python(code, tmp_path, blocked=()):
    """Run ``code`` in a fresh interpreter; ``blocked`` modules cannot import."""
    paths = [ROOT]
    if blocked:
        # sitecustomize runs at start-up: a finder that refuses the modules.
        (tmp_path / "sitecustomize.py").write_text(textwrap.dedent(f"""
            import sys
            class _Blocker:
                def find_spec(self, name, path=None, target=None):
                    if name.split(".")[0] in {set(blocked)!r}:
                        raise ImportError(f"{{name}} is blocked by the test")
            sys.meta_path.insert(0, _Blocker())
        """))
        paths.insert(0, str(tmp_path))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                            env=env, capture_output=True, text=True, cwd=tmp_path,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


DEFAULT_FIT = """
    import sys
    import skmeta
    from sklearn.datasets import load_iris
    X, y = load_iris(return_X_y=True)
    skmeta.MetaClassifier(n_evaluations=2, cv=2, random_state=0).fit(X, y)
"""


def test_import_skmeta_imports_no_boosting_library(tmp_path):
    out = _run_python("""
    import sys
    import skmeta
    from skmeta.strategies import known_portfolio
    known_portfolio("binary")  # the meta-models' portfolio: stand-ins only
    print(sorted(m for m in ("lightgbm", "xgboost", "catboost") if m in sys.modules))
    """, tmp_path)
    assert out.strip() == "[]"


def test_without_the_extra_the_default_search_uses_scikit_learn_strategies(tmp_path):
    # The shipped meta-models know the optional strategies; an install
    # without them searches the rest, from the same file.
    out = _run_python(DEFAULT_FIT.replace(
        "skmeta.MetaClassifier(n_evaluations=2, cv=2, random_state=0).fit(X, y)",
        "m = skmeta.MetaClassifier(n_evaluations=2, cv=2, random_state=0).fit(X, y)",
    ) + """
    from skmeta.strategies import installed_optional_names, known_portfolio
    print(installed_optional_names(), m.skipped_strategies_)
    print(sorted(m.strategy_probabilities_.index))
    stand_in = known_portfolio("binary")[-1]
    try:
        stand_in.build().fit(X, y)
    except ImportError as exc:
        print(exc)
    """, tmp_path, blocked=NAMES)
    lines = out.strip().splitlines()
    assert lines[0] == "[] {}"
    assert "gaussian_nb" in lines[1]
    assert not any(name in lines[1] for name in NAMES)
    assert "needs the catboost library" in lines[-1]
    assert 'pip install "skmeta[boosting]"' in lines[-1]


def test_missing_library_names_the_extra(tmp_path):
    out = _run_python(DEFAULT_FIT + """
    from skmeta.strategies import resolve_portfolio
    for name in ("lightgbm", "xgboost", "catboost"):
        try:
            resolve_portfolio([name, "ridge"], "regression")
        except ImportError as exc:
            print(exc)
    try:
        skmeta.MetaRegressor(portfolio=["catboost", "ridge"]).fit(X, y)
    except ImportError as exc:
        print(exc)
    """, tmp_path, blocked=NAMES)
    lines = out.strip().splitlines()
    assert len(lines) == 4
    for line, name in zip(lines, NAMES + ["catboost"], strict=True):
        assert f"needs the {name} library" in line
        assert 'pip install "skmeta[boosting]"' in line
