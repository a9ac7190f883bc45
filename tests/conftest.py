import os
import sys
from pathlib import Path

# scikit-learn's estimator checks include an array-API check that is skipped
# unless SciPy's array API mode is on; turn it on (before SciPy is imported)
# so that the check runs instead of being skipped.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

# Test helpers (e.g. the faulty learner) live beside the tests.
sys.path.insert(0, str(Path(__file__).parent))
