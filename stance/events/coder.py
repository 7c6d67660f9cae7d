"""CAMEO events between the actors of a sentence, from verb patterns on raw tokens.

PETRARCH2 matches its verb patterns on CoreNLP parse trees; :class:`EventCoder` reads the same
patterns (:class:`~stance.events.verb_index.VerbIndex`) on the flat tokens of a sentence whose
actor mentions are already known, with these rules (choices measured on the events corpus's
train/dev split and on DSE/SEESAW training text, never on a test set):

1. **Verbs.** Every surface form of a dictionary verb outside an actor mention is a candidate
   event, nouns included ("the attack on", "support for"); the longest form wins.
2. **Pattern.** Each pattern of the verb's block is tried: its words must occur in order after
   (before) the verb, each within :data:`WINDOW` words of the last (an actor mention counts as
   one word), inside the clause; ``$`` and ``+`` bind the actor mention found at their place.
   The pattern with most matched words wins; with none, the verb's own code (or its block's).
   A verb whose code is null gives an event with the empty code ``""`` and its block name,
   which rules ignore and a learned model may use.
3. **Target.** The ``+`` mention, else the first mention after the pattern (or the verb)
   within the clause; coordinated mentions ("X and Y") are all targets.
4. **Source.** The ``$`` mention; else, in the passive ("was attacked by X") or with a
   following "by X", the mention after "by"; else for a noun after a determiner ("the attack on
   Y") the possessor or adjective right before it ("Israel's attack", "the Israeli attack");
   else the nearest mention before the verb in its clause that is not the object of a
   preposition, skipping a parenthetical ", who ... ,"; coordinated mentions are all sources.
5. **Negation.** "not", "n't", "never" or "no" within three tokens before the verb mark the
   event ``negated``.
6. **Direction of codes.** ``[:051]`` goes from the target to the source; ``[042:043]`` gives
   042 one way and 043 the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stance.actors.cameo import Token
from stance.events.pattern_match import WINDOW, compile_pattern, match_pattern
from stance.events.sentence import SentenceDoc
from stance.events.verb_index import VerbIndex

__all__ = ["WINDOW", "Event", "EventCoder"]


@dataclass(frozen=True)
class Event:
    """An event from mention `source` to mention `target` (indices into the mention list)."""

    source: int
    target: int
    code: str
    verb: str
    token: int
    negated: bool = False
    pattern: str = ""
    block: str = ""


class EventCoder:
    """Code the events between known actor mentions of one sentence (module doc)."""

    def __init__(self, index: VerbIndex) -> None:
        self.index = index
        self._patterns = [compile_pattern(p) for p in index.patterns]
        self._candidates: dict[str, tuple[list[int], dict[str, list[int]], frozenset[str]]] = {}

    def events(self, toks: Sequence[Token], spans: Sequence[tuple[int, int]]) -> list[Event]:
        """Events between `spans` (token spans ``[start, end)`` of the actor mentions)."""
        doc = SentenceDoc(toks, spans)
        out: list[Event] = []
        for start, end, verb in self._verbs(doc):
            out.extend(self._events_of(doc, start, end, verb))
        return out

    def _verbs(self, doc: SentenceDoc) -> list[tuple[int, int, int]]:
        found = []
        i = 0
        while i < doc.n:
            if doc.owner[i] >= 0:
                i += 1
                continue
            hit = None
            for words, _head, verb in self.index.forms.get(doc.keys[i], ()):
                stop = i + len(words)
                if tuple(doc.keys[i:stop]) == words and all(o < 0 for o in doc.owner[i:stop]):
                    hit = (i, stop, verb)
                    break
            if hit is None:
                i += 1
                continue
            found.append(hit)
            i = hit[1]
        return found

    def candidates(self, block: str, keyset: frozenset[str]) -> list[int]:
        """The patterns of `block` (numbers, in block order) that may match a sentence of the
        words `keyset`: those without needed words, and those one of whose needed word sets
        (the smallest) meets `keyset`. Every pattern whose needs all meet `keyset` is among
        them; the block's other patterns cannot match."""
        numbers = self.index.blocks.get(block, ())
        if block not in self._candidates:
            always: list[int] = []
            by_word: dict[str, list[int]] = {}
            for position, number in enumerate(numbers):
                needs = self._patterns[number][2]
                if not needs:
                    always.append(position)
                    continue
                for word in min(needs, key=len):
                    by_word.setdefault(word, []).append(position)
            self._candidates[block] = (always, by_word, frozenset(by_word))
        always, by_word, words = self._candidates[block]
        positions = set(always)
        for word in keyset & words:
            positions.update(by_word[word])
        return [numbers[p] for p in sorted(positions)]

    def _events_of(self, doc: SentenceDoc, start: int, end: int, verb: int) -> list[Event]:
        _lemma, block, forward, reverse = self.index.verbs[verb]
        best = None
        for number in self.candidates(block, doc.keyset):
            before, after, needs, p_forward, p_reverse, where = self._patterns[number]
            if not all(not need.isdisjoint(doc.keyset) for need in needs):
                continue
            matched = match_pattern(doc, before, after, start, end)
            if matched is not None and (best is None or matched[0] > best[0][0]):
                best = (matched, p_forward, p_reverse, where)
        bound: dict[str, list[int]] = {}
        last = end
        where = ""
        if best is not None:
            (_, last, bound), forward, reverse, where = best
        null = forward is None and reverse is None
        if null:  # no code: the verb's block is still evidence for a learned model
            forward = ""
        agent = doc.by_agent(last)
        passive = doc.passive(start)
        targets = bound.get("target") or (doc.subjects(start) if passive else doc.objects(end))
        if bound.get("source"):
            sources = bound["source"]
        elif agent:
            sources = agent
        elif passive:
            sources = []
        elif doc.nominal(start):
            sources = doc.possessor(start)
        else:
            sources = doc.subjects(start)
        negated = doc.negated(start)
        text = " ".join(doc.keys[start:end])
        if not targets and len(sources) > 1:  # "Egypt and Jordan held talks": each to the other
            targets = sources
            reverse = None if forward is not None else reverse
        out = []
        for source in sources:
            for target in targets:
                if source == target:
                    continue
                if forward is not None:
                    out.append(Event(source, target, forward, text, start, negated, where, block))
                if reverse is not None:
                    out.append(Event(target, source, reverse, text, start, negated, where, block))
        return out
