"""Actors coded CAMEO style: the gazetteer's mentions, the dictionaries' phrases, and roles.

:class:`ActorCoder` finds the actors of a text and codes each as ``<root><role>``
(:mod:`stance.actors.cameo_codes`, the rules of ``data/events/README.md``):

1. **Mentions.** The bundled gazetteer's recognizer (:class:`~stance.actors.ActorRecognizer`)
   finds states, organisations and their people with the corpus's span rule. A
   :class:`~stance.actors.cameo.Vocabulary` (the Phoenix files and this project's additions)
   adds what the gazetteer lacks: cities, provinces and territories, armed groups and parties,
   office holders by name or title. **Conflict rule:** where the two overlap, the gazetteer's
   span and root win (it is curated for current news and follows the span rule); the
   dictionary may only add a role to it.
2. **Roles.** A mention takes the role of the last role noun inside it ("Iraqi troops" MIL,
   "the Sri Lankan army" MIL), else of a role noun right after it (which joins the span:
   "Congolese refugees"), else the role of a dictionary code for the same words on the
   statement's day ("Sergei Lavrov" RUSGOV). People of a state in the gazetteer are GOV.
   Organisations take no role.
3. **Role nouns alone** ("rebels", "police", "protesters") from :data:`BARE_ROLE_NOUNS` become
   actors of the country of a place named right after them ("rebels near Mosul" IRQREB), else
   of the one state the sentence names; otherwise they are not actors.
4. **Reporting sources** (:mod:`stance.actors.reporters`) keep their code but get the kind
   ``"reporter"``, so pairs are not formed with them.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from stance.actors.cameo import Match, Token, Vocabulary, read_word_list, tokens
from stance.actors.cameo_codes import CONTEXT, split_code, state_ids
from stance.actors.recognizer import ActorRecognizer, Mention
from stance.actors.reporters import mark_reporters
from stance.actors.sentences import split_sentences

__all__ = ["BARE_ROLE_NOUNS", "PLACE_WORDS", "ActorCoder"]

_DATA = Path(__file__).resolve().parent / "data" / "cameo"
#: Heads of role nouns that are actors on their own, with the country of their context.
BARE_ROLE_NOUNS = read_word_list(
    Path(__file__).resolve().parent / "data" / "cameo" / "bare_roles.txt"
)
#: Words that link a role noun to the place that gives its country ("rebels near Mosul").
PLACE_WORDS = frozenset({"IN", "NEAR", "AT", "OF", "FROM", "ACROSS", "AROUND", "OUTSIDE"})
_ROLELESS_KINDS = frozenset({"organisation", "reference"})


class ActorCoder:
    """Find the actors of a text and code them ``<root><role>`` (see the module doc).

    Parameters
    ----------
    vocabulary : compiled dictionaries (None: the gazetteer alone, roles from role nouns are
        then not found).
    recognizer : the gazetteer recognizer (default: the bundled gazetteer).
    roles : False codes every actor by its root alone (the bundled corpus's ids).
    reporters : False keeps reporting sources as ordinary actors.
    """

    def __init__(
        self,
        vocabulary: Vocabulary | None = None,
        recognizer: ActorRecognizer | None = None,
        roles: bool = True,
        reporters: bool = True,
    ) -> None:
        self.vocabulary = vocabulary
        self.recognizer = recognizer or ActorRecognizer()
        self.roles = roles
        self.reporters = reporters

    def find(self, text: str, day: dt.date | None = None) -> list[Mention]:
        """The coded actor mentions of `text` on `day`, sorted by offset."""
        if not text:
            return []
        base = self.recognizer.find(text)
        if self.vocabulary is None and not self.roles:
            return mark_reporters(text, base) if self.reporters else base
        toks = tokens(text)
        starts = [t.start for t in toks]
        agents, found = [], []
        if self.vocabulary is not None:
            agents = self.vocabulary.find_agents(toks)
            found = self.vocabulary.find_actors(toks, day)
            longer = [(toks[f.start].start, toks[f.end - 1].end) for f in found]
            base = [m for m in base if not any(_contains(span, m) for span in longer)]
        mentions = [self._code_base(text, m, toks, starts, agents, day) for m in base]
        if self.vocabulary is not None:
            sentences = split_sentences(text)
            mentions += self._dictionary_mentions(
                text, toks, found, mentions, agents, day, sentences
            )
            mentions += self._bare_agents(text, toks, mentions, agents, sentences)
        mentions = _shared_heads(text, mentions)
        if not self.roles:
            mentions = [replace(m, actor=split_code(m.actor)[0]) for m in mentions]
        mentions.sort(key=lambda m: (m.start, m.end, m.actor))
        return mark_reporters(text, mentions) if self.reporters else mentions

    # -- 2. roles of the gazetteer's mentions -----------------------------------------------
    def _code_base(
        self,
        text: str,
        mention: Mention,
        toks: list[Token],
        starts: list[int],
        agents: list[Match],
        day: dt.date | None,
    ) -> Mention:
        if mention.kind in _ROLELESS_KINDS or mention.actor not in state_ids():
            return mention
        first = bisect.bisect_left(starts, mention.start)
        last = bisect.bisect_left(starts, mention.end)
        inside = [a for a in agents if first <= a.start and a.end <= last]
        if inside:
            return replace(mention, actor=mention.actor + self.vocabulary.role(inside[-1]))
        after = next((a for a in agents if a.start == last), None)
        if after is not None and mention.kind != "person":
            end = toks[after.end - 1].end
            role = self.vocabulary.role(after)
            return replace(
                mention, end=end, text=text[mention.start : end], actor=mention.actor + role
            )
        if mention.kind == "person":  # an office holder: the dictionary's role on the day
            role = self._dictionary_role(toks, first, last, mention.actor, day)
            return replace(mention, actor=mention.actor + (role or "GOV"))
        return mention

    def _dictionary_role(
        self, toks: list[Token], first: int, last: int, root: str, day: dt.date | None
    ) -> str:
        if self.vocabulary is None:
            return ""
        for match in self.vocabulary.find_actors(toks[first:last], day):
            code = self.vocabulary.actor_code(match, day) or ""
            code_root, role = split_code(code)
            if code_root == root and role:
                return role
        return ""

    # -- 1. mentions only the dictionaries know --------------------------------------------
    def _dictionary_mentions(
        self,
        text: str,
        toks: list[Token],
        found: list[Match],
        known: list[Mention],
        agents: list[Match],
        day: dt.date | None,
        sentences: list[tuple[int, int]],
    ) -> list[Mention]:
        out: list[Mention] = []
        agent_at = {a.start: a for a in agents}
        for match in found:
            code = self.vocabulary.actor_code(match, day)
            start, end = toks[match.start].start, toks[match.end - 1].end
            if code is None or _overlaps(start, end, known):
                continue
            root, role = split_code(code)
            follow = agent_at.get(match.end)
            if follow is not None and (root in state_ids() or root == CONTEXT):
                end = toks[follow.end - 1].end  # "Houthi rebels", "Congolese refugees"
                role = role or self.vocabulary.role(follow)
            if root == CONTEXT:  # an armed group known without a country
                root = _place_after(toks, match.end, known) or _only_state(
                    sentences, start, [*known, *out]
                )
                if root is None:
                    continue
            if (
                root in state_ids()
                and start > 0
                and text[max(0, start - 4) : start].lower() == "the "
            ):
                start -= 4  # names keep their article: "the Gaza Strip"
            kind = "state" if root in state_ids() else "organisation"
            out.append(Mention(start, end, text[start:end], root + role, kind))
        return out

    # -- 3. role nouns alone ----------------------------------------------------------------
    def _bare_agents(
        self,
        text: str,
        toks: list[Token],
        known: list[Mention],
        agents: list[Match],
        sentences: list[tuple[int, int]],
    ) -> list[Mention]:
        out = []
        for agent in agents:
            if toks[agent.end - 1].key not in BARE_ROLE_NOUNS:
                continue
            start, end = toks[agent.start].start, toks[agent.end - 1].end
            if _overlaps(start, end, known) or _overlaps(start, end, out):
                continue
            root = _place_after(toks, agent.end, known) or _only_state(sentences, start, known)
            if root is None:
                continue
            role = self.vocabulary.role(agent)
            end = _name_after(toks, agent.end, end, known)
            out.append(Mention(start, end, text[start:end], root + role, "state"))
        return out


def _name_after(toks: list[Token], index: int, end: int, known: list[Mention]) -> int:
    """The end of a personal name right after a role noun ("rebel leader Foday Sankoh")."""
    stop = index
    while stop < len(toks) and stop - index < 4 and toks[stop].capital and toks[stop].key.isalpha():
        if _overlaps(toks[stop].start, toks[stop].end, known):
            break
        stop += 1
    return toks[stop - 1].end if stop > index + 1 else end


def _contains(span: tuple[int, int], mention: Mention) -> bool:
    """`span` holds `mention` and is longer ("Northern Ireland" holds "Ireland")."""
    return (
        span[0] <= mention.start
        and mention.end <= span[1]
        and span[1] - span[0] > mention.end - mention.start
    )


def _overlaps(start: int, end: int, mentions: Sequence[Mention]) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


def _place_after(toks: list[Token], index: int, known: list[Mention]) -> str | None:
    """The state of a mention right after ``near``/``in``/... at token `index`."""
    if index >= len(toks) or toks[index].key not in PLACE_WORDS:
        return None
    for tok in toks[index + 1 : index + 4]:
        for mention in known:
            if mention.start <= tok.start < mention.end:
                root = split_code(mention.actor)[0]
                return root if root in state_ids() else None
    return None


def _only_state(sentences: list[tuple[int, int]], offset: int, known: list[Mention]) -> str | None:
    """The state the sentence holding `offset` is about: the root named most often in it (the
    nearest mention breaks a tie), or None when it names no state."""
    for start, end in sentences:
        if start <= offset < end:
            counts: dict[str, list[int]] = {}
            for m in known:
                root = split_code(m.actor)[0]
                if start <= m.start < end and root in state_ids():
                    counts.setdefault(root, []).append(abs(m.start - offset))
            if not counts:
                return None
            return min(counts, key=lambda r: (-len(counts[r]), min(counts[r])))
    return None


def _shared_heads(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "Nigerian and Cameroonian troops": a bare one-word name (a demonym) coordinated with a
    mention of two or more words that has a role shares that role ("the Gaza Strip and
    Palestinian militants" does not)."""
    ordered = sorted(mentions, key=lambda m: m.start)
    out = list(ordered)
    for i in range(len(ordered) - 2, -1, -1):
        first, second = out[i], out[i + 1]
        gap = text[first.end : second.start].strip().lower()
        root, role = split_code(first.actor)
        other_role = split_code(second.actor)[1]
        one_word = " " not in first.text.strip() and len(second.text.split()) >= 2
        if (
            gap in ("and", ",", ", and", "or")
            and one_word
            and not role
            and other_role
            and (root in state_ids())
        ):
            out[i] = replace(first, actor=root + other_role)
    return out
