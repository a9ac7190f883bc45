"""``python -m skmeta.cli``: the ``skmeta`` command."""

import sys

from skmeta.cli import main

sys.exit(main())
