"""Every check of what a user gives skmeta, in one place.

One module a concept:

- :mod:`~skmeta._validation.features`: the feature table ``X`` (shape,
  column names, numbers written as text, infinite or huge values);
- :mod:`~skmeta._validation.columns`: the columns of ``fit`` matched again
  at ``predict`` (by name for a DataFrame, by position for an array);
- :mod:`~skmeta._validation.target`: the target ``y`` (task type, class
  labels, values);
- :mod:`~skmeta._validation.weights`: per-row sample weights;
- :mod:`~skmeta._validation.values`: what one value is, how large it may be,
  and how a message shows it (shared by the above);
- :mod:`~skmeta._validation.parameters`: the constraints of parameters that
  mean the same in the estimators and the meta-learner (``max_samples``,
  ``cv``, ``n_jobs``, ...), checked by scikit-learn's ``validate_params``
  machinery;
- :mod:`~skmeta._validation.search_settings`: settings checked against the
  data they will search (``cv`` and ``max_samples`` against the rows,
  a group splitter against ``groups``).

The public checks are documented, and importable, in :mod:`skmeta.datasets`.
"""

from skmeta._validation.columns import (
    as_table,
    check_still_numeric,
    column_names,
    in_fit_order,
    named_by_position,
    numeric_columns,
)
from skmeta._validation.features import (
    check_column_names,
    check_features,
    parse_numbers,
    warn_if_all_missing,
)
from skmeta._validation.search_settings import check_search_settings
from skmeta._validation.target import (
    MAX_CLASSES_FOR_INTEGER_TARGET,
    TASKS,
    check_class_labels,
    check_target,
    check_target_frame,
    check_target_magnitude,
    infer_task,
    unbox_class_labels,
)
from skmeta._validation.values import MAX_FEATURE_MAGNITUDE
from skmeta._validation.weights import check_class_weights, check_sample_weight

__all__ = [
    "MAX_CLASSES_FOR_INTEGER_TARGET",
    "MAX_FEATURE_MAGNITUDE",
    "TASKS",
    "as_table",
    "check_class_labels",
    "check_class_weights",
    "check_column_names",
    "check_features",
    "check_sample_weight",
    "check_search_settings",
    "check_still_numeric",
    "check_target",
    "check_target_frame",
    "check_target_magnitude",
    "column_names",
    "in_fit_order",
    "infer_task",
    "named_by_position",
    "numeric_columns",
    "parse_numbers",
    "unbox_class_labels",
    "warn_if_all_missing",
]
