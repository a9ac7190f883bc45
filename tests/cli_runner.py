"""Run the ``skmeta`` command in-process, with its output captured."""

import contextlib
import io
import re

from skmeta.cli import main


def run_cli(argv):
    """``main(argv)`` with its output captured: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


#: The warning ``skmeta predict`` prints before it loads a joblib file.
PICKLE_WARNING = re.compile(
    r"^skmeta predict: warning: .* is a joblib file, a pickle: ")


def without_pickle_warning(err):
    """stderr without the warning printed before a pickle is loaded."""
    return "".join(line for line in err.splitlines(keepends=True)
                   if not PICKLE_WARNING.match(line))
