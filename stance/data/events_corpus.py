"""The bundled `events` corpus: news-wire sentences labelled as event data (data/events).

Each sentence lists its actors (CAMEO-style codes: a root with an optional role, ``IRQMIL``)
with their mentions, and its non-neutral directed pairs with a PLOVER event type; every other
ordered pair of its actors is neutral. Loaded as one row per ordered pair, like
:class:`stance.data.Statements`, with two more columns: ``plover_type`` (empty for neutral
pairs) and ``date`` (the report's day, which decides who holds an office; rows built by
:func:`stance.data.sentence_pairs.pair_rows`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from stance.data.corpus import Corpus
from stance.data.home import bundled_dir
from stance.data.sentence_pairs import pair_rows
from stance.io.readers import read_file

#: The files of the corpus: training sentences (train and dev splits) and the test set written
#: apart from them, from the PLOVER definitions.
FILES: tuple[str, ...] = ("events.jsonl", "test.jsonl")


class Events(Corpus):
    """News-wire sentences with directed event-data stance between CAMEO-coded actors.

    Parameters
    ----------
    root : folder holding ``events.jsonl`` and ``test.jsonl`` (default: the bundled corpus).
    dev_fraction : unused (the corpus has its own dev split); kept for the shared signature.
    """

    name = "events"

    def __init__(self, root: str | None = None, dev_fraction: float = 0.0, **kwargs: Any):
        super().__init__(root=root, dev_fraction=dev_fraction, **kwargs)

    def folder(self) -> Path:
        return Path(self.root) if self.root else bundled_dir("events")

    def files(self) -> list[Path]:
        return [self.folder() / name for name in FILES]

    def read(self) -> pd.DataFrame:
        frames = [read_file(path) for path in self.files()]
        sentences = pd.concat(frames, ignore_index=True)
        rows = [
            row
            for record in sentences.to_dict("records")
            for row in pair_rows(record, fields=("date",))
        ]
        return pd.DataFrame(rows)
