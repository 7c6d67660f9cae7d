"""Noun-phrase expansion: a gazetteer match becomes the phrase that refers to the actor or to
an agent of it.

* demonym / attributive acronym + agent head: "the Chinese side", "Russian Foreign Minister
  Sergei Lavrov", "his Thai counterpart"; before a thing the demonym stands alone ("a US
  destroyer" gives "US");
* possessive + head: "Russia's leadership", "Mexico's Claudia Sheinbaum"; a bare possessive
  marker is never part of a mention ("Russia's decision" gives "Russia");
* organisation + organ or official: "NATO Secretary General Mark Rutte" (but "the NATO
  summit" gives just "NATO");
* title + known person: "President Putin", "Prime Minister Fumio Kishida of Japan";
* "the defence ministry in Beijing", "the Emir of Qatar", "the Trump administration";
* epithets before a bare name ("landlocked Ethiopia"); a name glued after a hyphen stands alone
  ("non-NATO").
"""

from __future__ import annotations

from stance.actors.document import Core, Phrase
from stance.actors.phrases import (
    HEADS_DEMONYM,
    HEADS_INSTITUTION,
    HEADS_OFFICE,
    HEADS_ORGANISATION,
    HEADS_TITLE,
    PhraseWalker,
)


class MentionExpander(PhraseWalker):
    """Turns each gazetteer match of a text into the phrase of its mention (step 3)."""

    def expand(self) -> list[Phrase]:
        """The mention phrases of the text, in order (references not yet resolved)."""
        spans: list[Phrase] = []
        consumed: set[int] = set()
        floor = 0
        for ci, core in enumerate(self.cores):
            if ci in consumed:
                continue
            e = core.entry
            if e.kind == "block":
                floor = core.end
                continue
            if e.kind in ("pair", "anaphor"):
                if e.kind == "anaphor" and self.placed_after(core):
                    continue  # "the junta in Niger": a phrase around the state's name
                end = core.end
                if e.kind == "anaphor":  # "the junta's foreign minister", "the bloc's council"
                    end = self.chain_possessive(end, "", [], HEADS_OFFICE)
                spans.append(Phrase(core.start, end, "", "reference", e.antecedents, e.kind))
                floor = end
                continue
            res = self.expand_core(core, floor)
            if res is None:
                floor = core.end
                continue
            span, used = res
            consumed.update(used)
            spans.append(span)
            floor = span.end
        return spans

    def placed_after(self, core: Core) -> bool:
        """An anaphor followed by "in"/"of" + one of its antecedent states ("the junta in
        Niger"): free its tokens so that the state's mention can take in the whole phrase."""
        nxt = self.core_at(core.end + 1)
        if (
            self.low(core.end) not in ("in", "of")
            or nxt is None
            or nxt.entry.kind != "state"
            or nxt.entry.actor not in core.entry.antecedents
        ):
            return False
        for k in range(core.start, core.end):
            self.occ[k] = -1
        return True

    def expand_core(self, core: Core, floor: int) -> tuple[Phrase, list[int]] | None:
        """Turn a gazetteer match into a mention span (``None``: not an actor mention)."""
        e = core.entry
        actor = e.actor
        kind = e.kind
        s, t = core.start, core.end
        forms = e.forms
        used: list[int] = []
        the_before = s - 1 >= floor and self.free(s - 1) and self.low(s - 1) == "the"
        article_in_alias = self.low(s) == "the"
        article_before = kind == "organisation" and not article_in_alias and the_before
        is_demonym = kind == "state" and "demonym" in forms
        is_acronym = "acronym" in forms
        is_seat = kind == "state" and "seat" in forms
        is_agency = kind == "state" and "agency" in forms and not is_seat
        if self.joined_before(s):
            return Phrase(s, t, actor, kind), used  # "a major non-NATO ally": the name alone

        def titled(end: int, cls: frozenset[str]) -> tuple[int, bool, list[int]]:
            """Absorb a personal name after a title head: (end, is_person, absorbed cores)."""
            if "named" in cls:
                return end, True, []
            if "title" not in cls:
                return end, False, []
            ne = self.name_end(end, None)
            if ne is None:
                head = self.toks[end - 1].low
                return end, not (head.endswith("s") and not head.endswith("ss")), []
            return ne[0], True, ([] if ne[1] is None else [ne[1]])

        # 1. possessive + institution/office head: "Russia's Foreign Ministry"
        core_text = self.text[self.toks[s].start : self.toks[t - 1].end]
        pe = self.possessive_end(t, core_text)
        if pe is not None and not (is_demonym and "name" not in forms):
            w = self.walk(pe, actor, HEADS_INSTITUTION)
            if w is not None:
                end, cls, absorbed = w
                end, is_person, named = titled(end, cls)
                used.extend(absorbed + named)
                start = s - 1 if article_before else s
                if kind == "person":
                    start = self.title_prefix(s, floor)
                k = "person" if (is_person or kind == "person") else kind
                return Phrase(start, end, actor, k), used
            nxt = self.core_at(pe)
            if nxt is not None and nxt.entry.kind == "person" and nxt.entry.actor == actor:
                # "Mexico's Claudia Sheinbaum", "The IMF's Kristalina Georgieva": one mention
                used.append(self.occ[pe])
                start = s - 1 if article_before else s
                return Phrase(start, self.suffix_end(nxt.end), actor, "person"), used
            if kind != "person":
                return Phrase(s - 1 if article_before else s, t, actor, kind), used

        # 2. attributive use: demonym / acronym / seat / organisation + head
        heads: frozenset[str] | None = None
        need_name = False
        det_start = None
        if pe is not None:
            heads = None
        elif is_demonym:
            heads = HEADS_DEMONYM
            prev = self.low(s - 1)
            if prev in ("and", "or", ",", "&") and s - 2 >= 0 and self.occ[s - 2] >= 0:
                pc = self.cores[self.occ[s - 2]]
                if pc.entry.forms & {"demonym", "acronym"}:
                    heads = None  # "US and Israeli officials": a head shared by both
        elif (kind == "state" and is_acronym) or is_seat:
            heads = HEADS_INSTITUTION
        elif is_agency:
            heads = HEADS_TITLE
        elif kind == "organisation":
            heads = HEADS_ORGANISATION
        elif kind == "state" and forms & {"name", "official"}:
            if the_before or article_in_alias:
                # "The Bangladesh government", "the United States government"
                heads = HEADS_INSTITUTION
                det_start = s if article_in_alias else s - 1
            else:
                heads = HEADS_TITLE  # "Palestinian Authority President Mahmoud Abbas"
                need_name = True
        if heads is not None:
            w = self.walk(t, actor, heads)
            if w is not None:
                end, cls, absorbed = w
                end2, is_person, named = titled(end, cls)
                if not need_name or end2 > end or "named" in cls:
                    used.extend(absorbed + named)
                    if det_start is not None:
                        start = det_start
                    elif article_before:
                        start = s - 1
                    elif article_in_alias:
                        start = s
                    else:
                        start = self.left_modifiers(s, floor)
                    end = self.chain_possessive(end2, actor, used)
                    return Phrase(start, end, actor, "person" if is_person else kind), used
            if is_demonym and heads is HEADS_DEMONYM and t < self.n and self.toks[t].space:
                m = self.lex(t)
                if m is not None and "people" in m[1]:
                    return None  # "Syrian refugees": people in general, not the state

        # 3. person: titles before, "Jr.", "of <state>", "the Trump administration"
        if kind == "person":
            end = self.suffix_end(t)
            start = self.title_prefix(s, floor)
            if self.low(start - 1) in ("former", "late") or (
                self.low(start - 1) == "-" and self.low(start - 2) == "ex"
            ):
                return None  # a former office-holder does not speak for the actor
            span_kind = "person"
            if pe is None and start == s and end < self.n and self.toks[end].space:
                m = self.lex(end)
                if m is not None and self.toks[end].low == "administration":
                    end = m[0]
                    w = self.walk(end, actor, HEADS_INSTITUTION)
                    if w is not None:  # "Obama administration officials"
                        end = w[0]
                    if the_before:
                        start = s - 1
                    span_kind = "state"
            end = self.of_state(end, actor, used)
            return Phrase(start, end, actor, span_kind), used

        # 4. bare core: article handling, "the X ministry in <capital>", "the Emir of Qatar"
        start, end = s, t
        if (is_acronym or kind == "organisation") and (article_in_alias or article_before):
            keep = self.keep_article(t)
            if article_in_alias and not keep:
                start = s + 1
            elif article_before and keep:
                start = s - 1
        elif article_before:
            start = s - 1
        if kind == "state" and "capital" in forms and the_before:
            m = self.lex(t) if t < self.n and self.toks[t].space else None
            if m is not None and "attr" in m[1]:
                return None  # "the Vilnius summit": a place name used as a modifier
        if kind == "state" and forms & {"name", "capital", "official"} and start == s:
            start = self.in_place_prefix(start, floor)
            if start == s:
                start = self.of_prefix(start, floor)
            if start == s:
                start = self.adjective_prefix(s, t, floor)
        return Phrase(start, end, actor, kind), used
