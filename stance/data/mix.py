"""Several corpora as one: ``data=mix``, each part with a weight on its training rows."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from stance.data.corpus import Corpus
from stance.errors import ConfigError


class Mix(Corpus):
    """The rows of several corpora, training rows weighted, evaluation rows from chosen parts.

    Parameters
    ----------
    parts : name -> corpus adapter (built from config by Hydra).
    weights : name -> weight of the part's training rows (default 1): the integer part of a
        weight repeats every row, the fraction adds a seeded sample (0.5 keeps half of them,
        2 doubles them, 0 drops the part's training rows).
    eval_parts : parts whose dev and test rows are kept (default: every part); the dev and test
        rows of the other parts are dropped, so a part can add training data alone.

    Ids become ``<part>/<id>`` and a ``corpus`` column names each row's part.
    """

    name = "mix"

    def __init__(
        self,
        parts: Mapping[str, Corpus],
        weights: Mapping[str, float] | None = None,
        eval_parts: list[str] | None = None,
        root: str | None = None,
        dev_fraction: float = 0.0,
        data_home: str | None = None,
    ) -> None:
        super().__init__(root=root, dev_fraction=dev_fraction, data_home=data_home)
        self.parts = parts
        self.weights = weights
        self.eval_parts = eval_parts

    def folder(self) -> Path:
        return Path(self.root or ".")

    def files(self) -> list[Path]:
        return [path for part in self.parts.values() for path in part.files()]

    def where(self) -> str:
        return f"corpus 'mix' ({', '.join(self.parts)})"

    def read(self) -> pd.DataFrame:  # unused: load() combines the loaded parts
        raise NotImplementedError

    def load(self, seed: int = 0) -> pd.DataFrame:
        """Each part loaded into the schema, weighted, and concatenated."""
        self._check()
        frames = []
        for name, part in self.parts.items():
            frame = part.load(seed).copy()
            frame["id"] = name + "/" + frame["id"].astype(str)
            if "text_id" in frame:
                frame["text_id"] = name + "/" + frame["text_id"].astype(str)
            frame["corpus"] = name
            if self.eval_parts is not None and name not in self.eval_parts:
                frame = frame[frame["split"] == "train"]
            weight = float((self.weights or {}).get(name, 1.0))
            frames.append(weighted(frame, weight, seed))
        return pd.concat(frames, ignore_index=True)

    def _check(self) -> None:
        if not self.parts:
            raise ConfigError("data=mix needs at least one part under data.corpus.parts.")
        for label, names in (("weights", self.weights or {}), ("eval_parts", self.eval_parts)):
            unknown = sorted(set(names or ()) - set(self.parts))
            if unknown:
                raise ConfigError(
                    f"data.corpus.{label} names unknown part(s) {unknown}; "
                    f"the parts are {sorted(self.parts)}."
                )
        for name, weight in (self.weights or {}).items():
            if not (isinstance(weight, int | float) and weight >= 0 and math.isfinite(weight)):
                raise ConfigError(
                    f"data.corpus.weights.{name}={weight!r}: a weight is a number >= 0."
                )

    def metadata(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "parts": {name: part.metadata() for name, part in self.parts.items()},
            "weights": dict(self.weights or {}),
            "eval_parts": self.eval_parts,
        }


def weighted(frame: pd.DataFrame, weight: float, seed: int) -> pd.DataFrame:
    """`frame` with its training rows repeated or sampled by `weight` (see :class:`Mix`)."""
    if weight == 1.0:
        return frame
    train = frame[frame["split"] == "train"]
    rest = frame[frame["split"] != "train"]
    whole, fraction = divmod(weight, 1.0)
    copies = [train] * int(whole)
    if fraction > 0:
        rng = np.random.default_rng(seed)
        take = rng.choice(len(train), size=round(fraction * len(train)), replace=False)
        copies.append(train.iloc[np.sort(take)])
    out = []
    for number, copy in enumerate(copies):
        copy = copy.copy()
        if number:  # repeated rows need ids of their own
            copy["id"] = copy["id"] + f"#{number}"
        out.append(copy)
    return pd.concat([*out, rest], ignore_index=True)
