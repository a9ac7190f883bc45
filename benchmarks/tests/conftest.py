"""Make ``skbench`` importable as the bench scripts see it (``benchmarks/`` first)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
