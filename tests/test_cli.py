import subprocess
import sys

import pandas as pd
import pytest

from skmeta.cli import main


def test_metafeatures_of_the_bundled_sample(capsys):
    assert main(["metafeatures"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("penguins: multiclass, 344 rows, 7 features")
    assert "n_classes" in out


def test_metafeatures_of_a_csv_with_categories_and_missing_values(tmp_path, capsys):
    frame = pd.DataFrame({
        "colour": ["red", "blue", None, "red", "green", "blue"] * 5,
        "size": [1.0, None, 3.5, 2.0, 8.0, 1.5] * 5,
        "label": ["a", "b"] * 15,
    })
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    output = tmp_path / "mf.csv"
    assert main(["metafeatures", str(path), "--target", "label", "-o", str(output)]) == 0
    row = pd.read_csv(output)
    assert len(row) == 1
    assert row.loc[0, "n_categorical"] == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["metafeatures", "missing.csv"], "no such file"),
        (["metafeatures", "{csv}", "--target", "nope"], "target column 'nope'"),
        (["metafeatures", "{empty}"], "cannot read"),
    ],
)
def test_errors_are_one_line(tmp_path, capsys, args, message):
    csv = tmp_path / "ok.csv"
    csv.write_text("a,target\n1,0\n2,1\n3,0\n")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    args = [a.format(csv=csv, empty=empty) for a in args]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_the_console_script_runs():
    result = subprocess.run(
        [sys.executable, "-m", "skmeta.cli", "--version"],
        capture_output=True, text=True, check=True,
    )
    assert result.stdout.startswith("skmeta ")
