"""The warm-started gradient/softmax strategy adjuster."""

from skmeta.adjust.adjuster import (
    AdjusterSettings,
    Proposal,
    StrategyAdjuster,
    run_adjuster,
)
from skmeta.adjust.policy import SoftmaxPolicy, softmax
from skmeta.adjust.proposals import ConfigurationProposer

__all__ = [
    "AdjusterSettings",
    "ConfigurationProposer",
    "Proposal",
    "SoftmaxPolicy",
    "StrategyAdjuster",
    "run_adjuster",
    "softmax",
]
