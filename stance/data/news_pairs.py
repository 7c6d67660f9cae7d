"""Entity-to-entity stance in news sentences: DSE (Park et al. 2021) and SEESAW (Zhang et al. 2022).

Both corpora give a sentence and an ordered pair of entities; each row of the statement schema
is one directed pair (source -> target). ``source_start``/``target_start`` hold the character
offset of each mention in ``text`` (-1 when the mention does not occur), so a view can mark the
mentions where they are rather than at their first occurrence.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from stance.data.corpus import Corpus
from stance.data.home import corpus_dir
from stance.errors import DataError
from stance.io.readers import read_file

log = logging.getLogger(__name__)

#: DSE's official label -> (stance of ent1 -> ent2, stance of ent2 -> ent1).
DSE_DIRECTED: dict[int, tuple[str, str]] = {
    0: ("neutral", "neutral"),
    1: ("support", "neutral"),
    2: ("neutral", "support"),
    3: ("oppose", "neutral"),
    4: ("neutral", "oppose"),
}
#: (direction, non-neutral stance) -> DSE's official label.
DSE_LABEL_OF: dict[tuple[str, str], int] = {
    ("forward", "support"): 1,
    ("backward", "support"): 2,
    ("forward", "oppose"): 3,
    ("backward", "oppose"): 4,
}
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")


def _normalise(name: str) -> str:
    return " ".join(str(name).split())


class DSE(Corpus):
    """DSE, directed sentiment between two entities of a news sentence (Park, Pan & Joo 2021).

    Each item (a sentence with two bracketed mentions, ent1 first, and a 0-4 label) becomes two
    rows: ``forward`` (ent1 -> ent2) and ``backward`` (ent2 -> ent1), with the stance each
    direction takes under the label (see :data:`DSE_DIRECTED`). ``text`` is the sentence without
    the brackets; ``source_mention``/``target_mention`` are the exact bracketed strings and
    ``source``/``target`` the same with whitespace normalised. Extra columns: ``item_id`` (shared
    by an item's two rows), ``direction``, ``dse_label`` (official 0-4), ``in_train`` (a valid or
    test item whose bracketed sentence also occurs in train: the leakage of the source card) and
    ``duplicate`` (the sentence already occurs in train, in valid for test items, or earlier in
    its own split; ``~duplicate`` selects the de-duplicated split, 1,144 test items).
    Splits: train, dev (= valid), test.
    """

    name = "dse"
    FOLDER = "dse_park2021"
    SPLITS: ClassVar[dict[str, str]] = {"train": "train", "valid": "dev", "test": "test"}
    #: The file's 0-4 label (kept as ``dse_label``; no column is named ``label``, so this map
    #: is recorded in the run metadata but not applied).
    label_maps: ClassVar = {
        "label": {
            0: "neutral: no opinion between ent1 and ent2",
            1: "ent1 -> ent2 support",
            2: "ent2 -> ent1 support",
            3: "ent1 -> ent2 oppose",
            4: "ent2 -> ent1 oppose",
        }
    }

    def folder(self) -> Path:
        return Path(self.root) if self.root else corpus_dir(self.FOLDER, self.data_home)

    def files(self) -> list[Path]:
        return [self.folder() / f"{raw}.txt" for raw in self.SPLITS]

    def read(self) -> pd.DataFrame:
        rows: list[dict[str, Any]] = []
        earlier: set[str] = set()  # bracketed sentences of the splits read so far
        train: set[str] = set()
        for path, (raw, split) in zip(self.files(), self.SPLITS.items(), strict=True):
            seen: set[str] = set()
            for i, record in enumerate(_read_dse_file(path)):
                bracketed = record[0]
                item = {
                    "item_id": f"{raw}-{i:05d}",
                    "split": split,
                    "in_train": split != "train" and bracketed in train,
                    "duplicate": bracketed in earlier or bracketed in seen,
                }
                seen.add(bracketed)
                rows.extend(_dse_rows(record, item, f"{path.name} line {i + 1}"))
            earlier |= seen
            if split == "train":
                train = set(seen)
        return pd.DataFrame(rows)


def _read_dse_file(path: Path) -> list[list[str]]:
    """The file's rows as [sentence, ent1, ent2, label] strings.

    Fields use standard CSV quoting (quoted fields with doubled inner quotes), so the file is
    read whole and parsed by the csv module with tabs as separator.
    """
    document = read_file(path, cache=True, sample_by="document", keep_linebreaks=True)["text"]
    text = "".join(document.tolist())
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    bad = [i + 1 for i, r in enumerate(records) if len(r) != 4]
    if bad:
        raise DataError(
            f"{path}: {len(bad)} row(s) do not have 4 tab-separated fields (first at row "
            f"{bad[0]}); restore the original DSE file."
        )
    return records


def _dse_rows(record: list[str], item: dict[str, Any], where: str) -> list[dict[str, Any]]:
    bracketed, ent1, ent2, raw_label = record
    marks = list(_BRACKETED.finditer(bracketed))
    if len(marks) != 2 or bracketed.count("[") != 2 or bracketed.count("]") != 2:
        raise DataError(f"dse {where}: expected exactly two [bracketed] mentions in the sentence.")
    m1, m2 = marks[0].group(1), marks[1].group(1)
    if _normalise(m1) != _normalise(ent1) or _normalise(m2) != _normalise(ent2):
        raise DataError(
            f"dse {where}: bracketed mentions {m1!r}, {m2!r} differ from the entity columns "
            f"{ent1!r}, {ent2!r}; restore the original DSE file."
        )
    try:
        label = int(raw_label)
        stances = DSE_DIRECTED[label]
    except (ValueError, KeyError):
        raise DataError(f"dse {where}: label {raw_label!r} is not one of 0-4.") from None
    text = _BRACKETED.sub(r"\1", bracketed)
    start1, start2 = marks[0].start(), marks[1].start() - 2  # minus the first pair's brackets
    ends = {"forward": (m1, start1, m2, start2), "backward": (m2, start2, m1, start1)}
    rows = []
    for (direction, (s_mention, s_start, t_mention, t_start)), stance in zip(
        ends.items(), stances, strict=True
    ):
        rows.append(
            {
                "id": f"{item['item_id']}:{direction}",
                "text": text,
                "source": _normalise(s_mention),
                "target": _normalise(t_mention),
                "stance": stance,
                "split": item["split"],
                "source_mention": s_mention,
                "target_mention": t_mention,
                "item_id": item["item_id"],
                "direction": direction,
                "dse_label": label,
                "in_train": item["in_train"],
                "duplicate": item["duplicate"],
                "source_start": s_start,
                "target_start": t_start,
            }
        )
    return rows


class Seesaw(Corpus):
    """SEESAW, sentence-level entity-to-entity stance triplets (Zhang, Beauchamp & Wang 2022).

    Rows are rebuilt from ``SEESAW/annotations``, ``articles`` and ``meta``: one row per
    annotated triplet (source = subject, target = object, POS -> support, NEG -> oppose), the
    text is the annotated sentence and the split is the story's official ``Split``
    (valid -> dev); ``article`` names the article (``TRIPLET_<nnn>_DOCUMENT_<d>``) and ``story``
    its story (``TRIPLET_<nnn>``: three articles on one event). There is no neutral class.
    Triplets whose subject or object is the placeholder ``"Not in the list"`` (1,892 of
    10,619) are kept, flagged by ``not_in_list``, so the split sizes equal the official ones
    (6,263 / 2,436 / 1,920) used by published results;
    ``drop_not_in_list=True`` drops them (the count is logged). The subject can also be the
    literal ``"None"`` (968 triplets; no named holder, not in any entity list): kept and
    flagged by ``subject_none``.

    Entity names are canonical names, not spans: ``source_mention``/``target_mention`` are the
    name itself when it occurs verbatim in the sentence, else the best case-insensitive or
    partial (e.g. last-name) match found there, else the name (``*_start`` = -1; a pair view
    then adds an UNSEEN token). ``source_match``/``target_match`` say which: ``exact``,
    ``case``, ``partial`` or ``none``. The JSON documents are nested (sentence-id keyed maps,
    mixed-type entity lists) and do not fit the tabular ``datasets`` builders, so they are read
    with the standard json module.
    """

    name = "seesaw"
    FOLDER = "seesaw"
    NOT_IN_LIST = "Not in the list"
    #: Subject placeholder not described by the source card: no named holder (968 triplets).
    NO_SUBJECT = "None"
    SPLITS: ClassVar[dict[str, str]] = {"train": "train", "valid": "dev", "test": "test"}
    label_maps: ClassVar = {"stance": {"POS": "support", "NEG": "oppose"}}

    def __init__(self, drop_not_in_list: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.drop_not_in_list = drop_not_in_list

    def folder(self) -> Path:
        return Path(self.root) if self.root else corpus_dir(self.FOLDER, self.data_home)

    def stories(self) -> list[str]:
        """Story names (``TRIPLET_<nnn>``), from the meta folder."""
        meta = self.folder() / "SEESAW" / "meta"
        names = sorted(p.stem for p in meta.glob("TRIPLET_*.json"))
        if not names:
            raise DataError(f"{meta}: no TRIPLET_*.json meta files; restore the SEESAW folder.")
        return names

    def files(self) -> list[Path]:
        base = self.folder() / "SEESAW"
        out = []
        for story in self.stories():
            out.append(base / "meta" / f"{story}.json")
            for doc in range(3):
                out.append(base / "annotations" / f"{story}_DOCUMENT_{doc}.json")
                out.append(base / "articles" / f"{story}_DOCUMENT_{doc}.json")
        return out

    def read(self) -> pd.DataFrame:
        return self._drop_placeholders(self.split_rows(None))

    def split_rows(self, split: str | None) -> pd.DataFrame:
        """Rows of the stories in `split` (train/dev/test; None: all), without reading the
        other stories' files."""
        base = self.folder() / "SEESAW"
        rows = []
        for story in self.stories():
            raw_split = _read_json(base / "meta" / f"{story}.json").get("Split")
            if raw_split not in self.SPLITS:
                raise DataError(f"seesaw {story}: unknown Split {raw_split!r} in its meta file.")
            if split is not None and self.SPLITS[raw_split] != split:
                continue
            for doc in range(3):
                article = f"{story}_DOCUMENT_{doc}"
                rows.extend(
                    seesaw_rows(
                        _read_json(base / "annotations" / f"{article}.json"),
                        _read_json(base / "articles" / f"{article}.json"),
                        article,
                        self.SPLITS[raw_split],
                    )
                )
        return pd.DataFrame(rows)

    def _drop_placeholders(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self.drop_not_in_list:
            keep = ~frame["not_in_list"]
            log.info("seesaw: dropped %d triplet(s) with %r", int((~keep).sum()), self.NOT_IN_LIST)
            frame = frame[keep]
        return frame


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise DataError(f"{path}: file not found; restore the SEESAW folder under the data home.")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise DataError(
            f"{path}: not valid UTF-8 JSON ({err}); restore the original file."
        ) from None


def seesaw_rows(
    annotation: dict[str, Any], article: dict[str, Any], name: str, split: str
) -> list[dict[str, Any]]:
    """Schema rows of one SEESAW article: one per stance triplet of its annotation."""
    sentences = {str(s["id"]): s["text"] for s in article["text"]}
    rows = []
    for sentence_id, triplets in annotation["sentence-level stances"].items():
        if sentence_id not in sentences:
            raise DataError(
                f"seesaw {name}: annotated sentence {sentence_id} is not in the article."
            )
        text = sentences[sentence_id]
        for triplet in triplets:
            subject, obj = triplet["subject"], triplet["object"]
            s_mention, s_start, s_kind = find_mention(subject, text)
            avoid = (s_start, s_start + len(s_mention)) if s_start >= 0 else None
            t_mention, t_start, t_kind = find_mention(obj, text, avoid)
            rows.append(
                {
                    "id": f"{name}:{sentence_id}:{triplet['id']}",
                    "text": text,
                    "source": subject,
                    "target": obj,
                    "stance": triplet["sentiment"],
                    "split": split,
                    "source_mention": s_mention,
                    "target_mention": t_mention,
                    "text_id": f"{name}:{sentence_id}",
                    "article": name,
                    "story": name.rsplit("_DOCUMENT_", 1)[0],
                    "not_in_list": Seesaw.NOT_IN_LIST in (subject, obj),
                    "subject_none": subject == Seesaw.NO_SUBJECT,
                    "n_annotators": len(triplet.get("annotators") or []),
                    "source_start": s_start,
                    "target_start": t_start,
                    "source_match": s_kind,
                    "target_match": t_kind,
                }
            )
    return rows


#: Name tokens (lower case, outer punctuation stripped) that cannot begin or end a partial match.
_FILLERS = {
    "the", "of", "and", "a", "an", "for", "in", "on", "to", "at", "by", "with", "from",
    "president", "former", "vice", "rep", "sen", "gov", "mr", "ms", "mrs", "dr", "sec", "jr",
    "secretary", "senator", "representative", "governor", "party", "u.s", "own",
}  # fmt: skip


def find_mention(
    name: str, text: str, avoid: tuple[int, int] | None = None
) -> tuple[str, int, str]:
    """Where entity `name` is mentioned in `text`: ``(mention, start, kind)``.

    Tries the name verbatim, then case-insensitively, then its shorter token spans (longest
    first, later spans first, so a last name beats a first name), skipping spans that begin or
    end with a title or function word. Matches overlapping `avoid` (the other entity's span) are
    skipped. Without a match, and for the placeholders ``"Not in the list"`` and ``"None"``:
    ``(name, -1, "none")``.
    """
    if not name or name in (Seesaw.NOT_IN_LIST, Seesaw.NO_SUBJECT):
        return name, -1, "none"
    tokens = name.split()
    spans = [
        " ".join(tokens[i:j])
        for length in range(len(tokens), 0, -1)
        for i in range(len(tokens) - length, -1, -1)
        for j in [i + length]
    ]
    for k, span in enumerate(spans):
        words = [w.strip(".,\u2019'\"()").lower() for w in span.split()]
        ends = (words[0], words[-1])
        if k > 0 and any(w in _FILLERS or len(w) < 2 for w in ends):
            continue
        exact = k == 0
        short = len(span) < 4  # short spans ("US", "EU") match whole words, case-sensitively
        pattern = rf"(?<!\w){re.escape(span)}" + (r"(?!\w)" if short else "")
        tries = [(0, "exact" if exact else "partial")]
        if not short:
            tries.append((re.IGNORECASE, "case" if exact else "partial"))
        for flags, kind in tries:
            for match in re.finditer(pattern, text, flags):
                if avoid and match.start() < avoid[1] and avoid[0] < match.end():
                    continue
                return match.group(0), match.start(), kind
    return name, -1, "none"
