"""Our regex sentence splitter against pysbd and syntok on news text.

    pip install pysbd syntok      # measuring only: neither is a dependency of stance
    STANCE_DATA_HOME=../shared/datasets python benchmarks/libraries/sentence_splitters.py

Texts: the bundled statements, the DSE sentences (``[ ]`` brackets removed, each distinct
sentence once) and the SEESAW article paragraphs. A splitter is reduced to the set of offsets
where a sentence starts (the first one left out); two splitters disagree on a text when the
sets differ. Prints, per corpus and library, the texts on which they disagree and the
boundaries only one side has, the time each takes, and with ``--sample N`` N disagreements
of each kind to read (``--seed``).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import time
from pathlib import Path

from stance.actors import split_sentences

ROOT = Path(__file__).resolve().parents[2]


def corpora(data_home: Path) -> dict[str, list[str]]:
    """The news texts of each corpus."""
    lines = (ROOT / "data/statements/statements.jsonl").read_text(encoding="utf-8").splitlines()
    statements = [json.loads(line)["text"] for line in lines if line.strip()]
    dse: dict[str, None] = {}
    for name in ("train.txt", "valid.txt", "test.txt"):
        for line in (data_home / "dse_park2021" / name).read_text(encoding="utf-8").splitlines():
            dse[line.split("\t")[0].replace("[", "").replace("]", "")] = None
    seesaw = [
        item["text"]
        for path in sorted(glob.glob(str(data_home / "seesaw/SEESAW/articles/*.json")))
        for item in json.loads(Path(path).read_text(encoding="utf-8"))["text"]
        if item["text"].strip()
    ]
    return {"statements": statements, "dse": list(dse), "seesaw": seesaw}


def _first_char(text: str, at: int) -> int:
    """`at` moved over whitespace: the offsets of all three splitters then mean the same."""
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def ours(text: str) -> set[int]:
    return {start for start, _ in split_sentences(text)[1:]}


def _pysbd():
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def starts(text: str) -> set[int]:
        return {_first_char(text, span.start) for span in segmenter.segment(text)[1:]}

    return starts


def _syntok():
    from syntok import segmenter

    def starts(text: str) -> set[int]:
        sentences = [s for p in segmenter.analyze(text) for s in p]
        return {_first_char(text, s[0].offset) for s in sentences[1:] if s}

    return starts


#: Titles after which a full stop ends no sentence ("Sen. Warren", "Lt. Gov. Duncan").
TITLES = {"rep", "reps", "sen", "sens", "gov", "lt", "rev", "dr", "mr", "mrs", "ms", "gen", "st"}
#: Characters that close a sentence rather than open one.
CLOSERS = set("\"'\u201d\u2019)]\u00bb")


def kind(text: str, at: int) -> str:
    """What kind of boundary `at` is, to count the disagreements by kind.

    ``glued``: no space before it ("options.Despite", sentences run together in the corpus
    text); ``closer``: it starts with a closing quote or bracket, or punctuation, that belongs
    to the sentence before; ``title``: after a title such as "Rep." or "Sens."; ``list``:
    after a list number ("2. Same-Sex Marriage"); ``decimal``: inside a number the corpus
    spaced out ("$7. 3 billion"); ``ellipsis``: after "…" or "..."; ``semicolon``; ``other``.
    """
    before = text[:at].rstrip()
    word = before.rsplit(None, 1)[-1] if before else ""
    if text[at] in CLOSERS or text[at] in ",.;:":
        return "closer"
    if at > 0 and not text[at - 1].isspace():
        return "glued"
    if word.rstrip(".").lower().split("-")[-1] in TITLES:
        return "title"
    if word[:-1].isdigit() and word.endswith(".") and len(word) <= 3:
        return "list" if not before[: -len(word)].rstrip().endswith("$") else "decimal"
    if word.endswith(".") and word[:-1].lstrip("($").replace(",", "").isdigit():
        return "decimal"
    if before.endswith(("…", "...")):
        return "ellipsis"
    if before.endswith(";"):
        return "semicolon"
    return "other"


def _context(text: str, at: int, width: int = 60) -> str:
    return (text[max(0, at - width) : at] + " ‖ " + text[at : at + width]).replace("\n", " ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", default=os.environ.get("STANCE_DATA_HOME"))
    parser.add_argument("--sample", type=int, default=0, help="disagreements to print per kind")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    texts = corpora(Path(args.data_home))
    splitters = {"ours": ours, "pysbd": _pysbd(), "syntok": _syntok()}
    rng = random.Random(args.seed)
    print(
        "| corpus | texts | library | texts that differ | only ours | only library | "
        "seconds (ours / library) |"
    )
    print("|---|---:|---|---:|---:|---:|---:|")
    samples: dict[tuple[str, str, str], list[str]] = {}
    kinds: dict[tuple[str, str, str], dict[str, int]] = {}
    for corpus, items in texts.items():
        started = time.perf_counter()
        base = [ours(t) for t in items]
        ours_seconds = time.perf_counter() - started
        for name in ("pysbd", "syntok"):
            started = time.perf_counter()
            other = [splitters[name](t) for t in items]
            seconds = time.perf_counter() - started
            differ = only_ours = only_lib = 0
            for text, a, b in zip(items, base, other, strict=True):
                if a != b:
                    differ += 1
                    only_ours += len(a - b)
                    only_lib += len(b - a)
                    for side, found in (("ours", a - b), (name, b - a)):
                        for at in found:
                            key = (corpus, name, side)
                            samples.setdefault(key, []).append(_context(text, at))
                            counts = kinds.setdefault(key, {})
                            counts[kind(text, at)] = counts.get(kind(text, at), 0) + 1
            print(
                f"| {corpus} | {len(items):,} | {name} | {differ:,} | {only_ours:,} | "
                f"{only_lib:,} | {ours_seconds:.1f} / {seconds:.1f} |"
            )
    print("\nBoundaries only one side has, by kind (see `kind`):\n")
    for (corpus, name, side), counts in sorted(kinds.items()):
        listed = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        other = "ours" if side == name else name
        print(f"- {corpus}, only {side} (against {other}): {listed}")
    for (corpus, name, side), found in sorted(samples.items()):
        if args.sample:
            other = "ours" if side == name else name
            print(f"\n## {corpus}: boundaries only {side} has (against {other}), {len(found)}")
            for line in rng.sample(found, min(args.sample, len(found))):
                print("-", line)


if __name__ == "__main__":
    main()
