"""The three task splits, shared by domains (which make them) and the archive (which stores them).

train: the meta agent may see these tasks, their answers and scores; validation: scores decide
selection, no agent sees them; test: held out, reported only.
"""
from enum import StrEnum


class Split(StrEnum):
    TRAIN = "train"
    VALIDATION = "validation"
    TEST = "test"


SPLITS: tuple[Split, ...] = (Split.TRAIN, Split.VALIDATION, Split.TEST)
