"""Word lists of the noun-phrase rules, read once from ``data/words.tsv`` (beside the gazetteer).

The lists belong to the recognizer's rules, not to a gazetteer, so they are always the packaged
ones, whatever ``gazetteer_dir`` an :class:`~stance.actors.ActorRecognizer` is given.
"""

from __future__ import annotations

from stance.actors.gazetteer import DATA_DIR, read_tsv

WORDS_FILE = DATA_DIR / "words.tsv"


def load_words(path=WORDS_FILE) -> dict[str, frozenset[str]]:
    """The words of each list in `path` (``list``, ``word`` columns)."""
    _, header, rows = read_tsv(path)
    if header != ["list", "word"]:
        raise ValueError(f"{path}: header {header} != ['list', 'word']")
    lists: dict[str, set[str]] = {}
    for name, word in rows:
        lists.setdefault(name, set()).add(word)
    return {name: frozenset(words) for name, words in lists.items()}


_LISTS = load_words()
#: Days and months: capitalised, yet they start no name.
DAYS_MONTHS: frozenset[str] = _LISTS["day_month"]
#: Lower-case particles inside personal names.
NAME_PARTICLES: frozenset[str] = _LISTS["name_particle"]
#: Words that, glued by a hyphen after a name, make it a place ("London-born").
PLACE_SUFFIXES: frozenset[str] = _LISTS["place_suffix"]
#: Function words that never start a name, even capitalised at a sentence start.
CAP_STOP: frozenset[str] = _LISTS["cap_stop"]
