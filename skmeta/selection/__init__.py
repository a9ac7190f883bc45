"""Meta-models: which stored datasets resemble a new one, and which
configurations should do well on it."""

from skmeta.selection.cost import CostModel
from skmeta.selection.neighbors import MetaFeatureScaler, NearestDatasets
from skmeta.selection.performance import (
    FAILED_SCORE,
    PerformanceModel,
    main_protocol,
    normalized_scores,
)
from skmeta.selection.static_portfolio import StaticPortfolio

__all__ = [
    "CostModel",
    "FAILED_SCORE",
    "MetaFeatureScaler",
    "NearestDatasets",
    "PerformanceModel",
    "StaticPortfolio",
    "main_protocol",
    "normalized_scores",
]
