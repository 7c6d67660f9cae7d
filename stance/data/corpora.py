"""Registered corpora. Each adapter only lists files and maps columns and labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from stance.data.corpus import Corpus
from stance.data.events_corpus import Events
from stance.data.home import bundled_dir, corpus_dir
from stance.data.news_pairs import DSE, Seesaw
from stance.data.schema import AUTHOR
from stance.data.sentence_pairs import pair_rows
from stance.errors import DataError
from stance.io.readers import read_file, read_hub

SEMST_TAG = "#SemST"


def strip_semst(text: pd.Series) -> pd.Series:
    """Drop SemEval-2016's ``#SemST`` query tag, which annotators never saw."""
    return text.str.replace(SEMST_TAG, "", regex=False).str.strip()


class Statements(Corpus):
    """The bundled corpus of news-wire statements between states and organisations.

    One authored sentence lists its actors' mentions and its directed support/oppose pairs;
    every other ordered pair of its actors is neutral. Loaded as one row per ordered pair.
    """

    name = "statements"
    FILE = "statements.jsonl"

    def folder(self) -> Path:
        return Path(self.root) if self.root else bundled_dir("statements")

    def files(self) -> list[Path]:
        return [self.folder() / self.FILE]

    def read(self) -> pd.DataFrame:
        sentences = read_file(self.files()[0], cache=True)
        rows = [
            row
            for record in sentences.to_dict("records")
            for row in pair_rows(record, fields=("sentiment",))
        ]
        return pd.DataFrame(rows)


class SemEval2016(Corpus):
    """SemEval-2016 Task 6 (Mohammad et al. 2016), with the sentiment labels of the 2017 release.

    Subtask A: five targets, train = trial + training (2,914), test = 1,249. Subtask B adds the
    707 Donald Trump test tweets (no training data). The ``#SemST`` tag, which annotators never
    saw, is removed from the text.
    """

    name = "semeval2016"
    FOLDER = "semeval2016_task6"
    label_maps: ClassVar = {
        "stance": {"FAVOR": "support", "AGAINST": "oppose", "NONE": "neutral"},
        "sentiment": {"pos": "positive", "neg": "negative", "other": "neutral"},
    }
    TASK_B_TARGET = "Donald Trump"

    def __init__(self, subtask: str = "A", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.subtask = subtask

    def folder(self) -> Path:
        return Path(self.root) if self.root else corpus_dir(self.FOLDER, self.data_home)

    def files(self) -> list[Path]:
        return [self.folder() / "StanceDataset" / f"{s}.csv" for s in ("train", "test")]

    def read(self) -> pd.DataFrame:
        if self.subtask not in ("A", "B"):
            raise DataError(f"semeval2016: unknown subtask {self.subtask!r}; use 'A' or 'B'.")
        parts = []
        for path in self.files():
            raw = read_file(path, cache=True, encoding="latin-1")
            split = path.stem
            part = pd.DataFrame(
                {
                    "id": [f"{split}-{i:05d}" for i in range(len(raw))],
                    "text": strip_semst(raw["Tweet"]),
                    "source": AUTHOR,
                    "target": raw["Target"],
                    "stance": raw["Stance"],
                    "sentiment": raw["Sentiment"],
                    "split": split,
                }
            )
            if split == "test":
                is_b = part["target"] == self.TASK_B_TARGET
                part = part[is_b] if self.subtask == "B" else part[~is_b]
            parts.append(part)
        return pd.concat(parts, ignore_index=True)


class TweetEvalStance(Corpus):
    """TweetEval's stance task (Barbieri et al. 2020): the SemEval-2016 subtask A tweets in
    its own train/val/test layout, one folder per target. Read locally, or from the Hub
    (``cardiffnlp/tweet_eval``) when ``hub=True``. The ``#SemST`` tag is removed, as for SemEval.
    """

    name = "tweeteval_stance"
    FOLDER = "tweeteval_stance"
    TARGETS: ClassVar[dict[str, str]] = {
        "abortion": "Legalization of Abortion",
        "atheism": "Atheism",
        "climate": "Climate Change is a Real Concern",
        "feminist": "Feminist Movement",
        "hillary": "Hillary Clinton",
    }
    SPLITS: ClassVar[dict[str, str]] = {"train": "train", "val": "dev", "test": "test"}
    label_maps: ClassVar = {"stance": {0: "neutral", 1: "oppose", 2: "support"}}

    def __init__(self, hub: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hub = hub

    def folder(self) -> Path:
        return Path(self.root) if self.root else corpus_dir(self.FOLDER, self.data_home)

    def files(self) -> list[Path]:
        folder = self.folder()
        return [
            folder / key / f"{split}_{kind}.txt"
            for key in self.TARGETS
            for split in self.SPLITS
            for kind in ("text", "labels")
        ]

    def read(self) -> pd.DataFrame:
        parts = []
        for key, target in self.TARGETS.items():
            for raw_split, split in self.SPLITS.items():
                texts, labels = self._read_one(key, raw_split)
                if len(texts) != len(labels):
                    raise DataError(
                        f"tweeteval_stance/{key}/{raw_split}: {len(texts)} texts but "
                        f"{len(labels)} labels; the two files must align line by line."
                    )
                parts.append(
                    pd.DataFrame(
                        {
                            "id": [f"{key}-{raw_split}-{i:04d}" for i in range(len(texts))],
                            "text": strip_semst(pd.Series(texts, dtype=str)).tolist(),
                            "source": AUTHOR,
                            "target": target,
                            "stance": [int(v) for v in labels],
                            "split": split,
                        }
                    )
                )
        return pd.concat(parts, ignore_index=True)

    def _read_one(self, key: str, raw_split: str) -> tuple[list[str], list[str]]:
        if self.hub:
            hub_split = {"val": "validation"}.get(raw_split, raw_split)
            frame = read_hub("cardiffnlp/tweet_eval", f"stance_{key}", hub_split)
            return frame["text"].tolist(), frame["label"].tolist()
        folder = self.folder() / key
        texts = read_file(folder / f"{raw_split}_text.txt", cache=True)["text"].tolist()
        labels = (
            read_file(folder / f"{raw_split}_labels.txt", cache=True)["text"].str.strip().tolist()
        )
        return texts, labels


#: Corpora by name (the same names as the ``data`` config group).
CORPORA: dict[str, type[Corpus]] = {
    c.name: c for c in (Statements, Events, SemEval2016, TweetEvalStance, DSE, Seesaw)
}


def load_corpus(name: str, seed: int = 0, **options: Any) -> pd.DataFrame:
    """Load a registered corpus by name into the statement schema."""
    try:
        adapter = CORPORA[name]
    except KeyError:
        raise DataError(
            f"unknown corpus {name!r}; registered corpora are {', '.join(sorted(CORPORA))}."
        ) from None
    return adapter(**options).load(seed)
