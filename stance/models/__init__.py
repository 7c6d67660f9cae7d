"""Classifiers and the model assembly used by the configs."""

from stance.models.baselines import MajorityClassifier
from stance.models.blend import ScoreBlend
from stance.models.build import build_model, input_columns
from stance.models.consistency import GroupConsistency, consistent_scores
from stance.models.encoder import FineTunedEncoder
from stance.models.paired import PairedDirections
from stance.models.per_target import PerTargetClassifier
from stance.models.rules import CameoRules

__all__ = [
    "CameoRules",
    "FineTunedEncoder",
    "GroupConsistency",
    "MajorityClassifier",
    "PairedDirections",
    "PerTargetClassifier",
    "ScoreBlend",
    "build_model",
    "consistent_scores",
    "input_columns",
]
