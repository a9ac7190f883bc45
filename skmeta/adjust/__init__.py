"""The warm-started gradient/softmax strategy adjuster."""

from skmeta.adjust.adjuster import (
    AdjusterSettings,
    Proposal,
    StrategyAdjuster,
    run_adjuster,
)
from skmeta.adjust.policy import SoftmaxPolicy, softmax
from skmeta.adjust.proposals import ConfigurationProposer
from skmeta.adjust.warm_start import WarmStart, warm_start_from_predictions

__all__ = [
    "AdjusterSettings",
    "ConfigurationProposer",
    "Proposal",
    "SoftmaxPolicy",
    "StrategyAdjuster",
    "WarmStart",
    "run_adjuster",
    "softmax",
    "warm_start_from_predictions",
]
