"""Noun phrases around an actor word (lexicon ``np_lexicon.tsv``): the heads, names, titles
and prefixes a mention takes in, by the span rule of the statements corpus
(``data/statements/README.md``).

:meth:`PhraseWalker.walk` reads modifiers and heads after a word ("Russian Foreign Minister
Sergei Lavrov"); :meth:`~PhraseWalker.name_end` a personal name; the ``*_prefix`` methods what
comes before it ("former President", "the defence ministry in Beijing", "the Emir of Qatar",
"landlocked Ethiopia").
"""

from __future__ import annotations

from stance.actors.document import NOUNISH, Document
from stance.actors.words import CAP_STOP, DAYS_MONTHS, NAME_PARTICLES

HEADS_DEMONYM = frozenset({"agent", "body", "title"})
HEADS_INSTITUTION = frozenset({"agent", "body", "title"})
HEADS_ORGANISATION = HEADS_INSTITUTION | {"member"}
HEADS_TITLE = frozenset({"title"})
HEADS_OFFICE = frozenset({"body", "title"})


class PhraseWalker(Document):
    """Noun-phrase walks around the gazetteer matches of a :class:`Document`."""

    def walk(
        self, q: int, actor: str, heads: frozenset[str]
    ) -> tuple[int, frozenset[str], list[int]] | None:
        """Walk modifiers/heads from ``q``; return (end of last head, its classes, absorbed
        cores) or ``None`` when no head follows."""
        last: tuple[int, frozenset[str], list[int]] | None = None
        absorbed: list[int] = []
        steps = 0
        while q < self.n and steps < 10:
            steps += 1
            t = self.toks[q]
            if not t.space or not t.word:
                break
            core = self.core_at(q)
            if core is not None:
                e = core.entry
                if e.actor != actor:
                    break
                if e.kind == "state" and "demonym" in e.forms and not e.forms & {"name"}:
                    absorbed.append(self.occ[q])
                    q = core.end
                    continue
                if (
                    e.kind in ("state", "organisation")
                    and (e.forms & {"seat", "agency", "body"})
                    and (heads & {"agent", "body"})
                ):
                    absorbed.append(self.occ[q])
                    q = core.end
                    last = (q, frozenset({"agent"}), list(absorbed))
                    continue
                if (
                    e.kind == "person"
                    and "title" in heads
                    and self.low(core.start) in self.c.title_words
                ):
                    absorbed.append(self.occ[q])
                    q = core.end
                    last = (q, frozenset({"title", "named"}), list(absorbed))
                    break
                break
            if not self.free(q):
                break
            m = self.lex(q)
            cend = self.compound_end(q)
            if m is not None and m[0] >= cend:
                end, cls = m
            elif cend > q + 1:
                end = cend
                last_part = self.lex(cend - 1)
                first = m[1] if m is not None else frozenset()
                if last_part is not None and last_part[0] == cend:
                    cls = last_part[1]
                elif first & {"title", "agent"}:
                    # "Chinese state-backed groups" gives "Chinese"
                    ends_ed = self.toks[cend - 1].low.endswith("ed")
                    cls = frozenset({"thing"}) if ends_ed else first
                elif all(not self.toks[k].cap for k in range(q, cend)):
                    cls = frozenset({"mod"})
                else:
                    cls = frozenset({"proper"})
            elif m is not None:
                end, cls = m
            elif t.cap and t.low not in DAYS_MONTHS and t.low not in CAP_STOP:
                end = q + 1
                cls = frozenset({"proper"})
                # "People's Liberation Army"
                pe = self.possessive_end(end)
                if pe is not None and pe < self.n and self.toks[pe].cap and self.free(pe):
                    end = pe
            else:
                break
            if "kin" in cls and "title" in heads:
                if self.name_end(end, None) is None:
                    break  # "the prime minister's wife": not an agent
                cls = frozenset({"title"})  # "Kim Jong Un's sister Kim Yo Jong"
            if cls & heads:
                last = (end, cls & (heads | {"mod"}), list(absorbed))
            elif not cls & {"mod", "proper", "preadj"}:
                if last is not None and last[0] == q and cls & {"thing", "attr", "people"}:
                    return None  # "U.S. military intervention": the head was a modifier
                break
            q = end
        return last

    def name_end(self, q: int, actor: str | None) -> tuple[int, int | None] | None:
        """A personal name starting at ``q``: (end token, absorbed core index or None).

        A known person is absorbed when ``actor`` is ``None`` (any actor) or matches."""
        if q >= self.n or not self.toks[q].space:
            return None
        core = self.core_at(q)
        if core is not None:
            if core.entry.kind == "person" and actor in (None, core.entry.actor):
                return self.suffix_end(core.end), self.occ[q]
            return None
        i = q
        words = 0
        while i < self.n and words < 6 and self.free(i):
            t = self.toks[i]
            if i > q and t.space is False and t.key in ("-", "'") and i + 1 < self.n:
                nxt = self.toks[i + 1]
                if nxt.word and not nxt.space and self.free(i + 1):
                    i += 2
                    continue
                break
            if i > q and not t.space:
                if t.key == "." and len(self.toks[i - 1].key) == 1:
                    i += 1  # initial "K."
                    continue
                break
            if not t.word:
                break
            if t.cap and t.low not in DAYS_MONTHS and t.low not in CAP_STOP:
                if self.c.lex_match(self.toks, i, i + 1) is not None and words == 0:
                    return None
                words += 1
                i += 1
                continue
            if (
                words > 0
                and t.low in NAME_PARTICLES
                and i + 1 < self.n
                and (self.toks[i + 1].cap or self.toks[i + 1].key == "-")
            ):
                i += 1
                continue
            break
        if words == 0:
            return None
        return self.suffix_end(i), None

    def left_modifiers(self, s: int, floor: int, det: bool = True) -> int:
        """Extend left over pre-adjectives and one determiner (not below ``floor``)."""
        k = self.words_before(s, floor, "preadj", (2, 1))  # "newly appointed"
        if det and k - 1 >= floor and self.free(k - 1):
            m = self.c.lex_match(self.toks, k - 1, k)
            if m is not None and "det" in m[1]:
                k -= 1
        return k

    def words_before(self, s: int, floor: int, cls: str, widths: tuple[int, ...]) -> int:
        """Start of the run of free lexicon entries of class ``cls`` (each ``widths`` tokens
        long at most, tried longest first) that ends at ``s``; ``s`` when there is none."""
        k = s
        while True:
            for width in widths:
                a = k - width
                if a < floor or not all(self.free(x) for x in range(a, k)):
                    continue
                m = self.c.lex_match(self.toks, a, k)
                if m is not None and m[0] == k and cls in m[1] and self.toks[a].space:
                    k = a
                    break
            else:
                return k

    def title_prefix(self, s: int, floor: int) -> int:
        """Start of a title sequence ("Secretary of State", "former President") before ``s``."""
        best = s
        for k in range(s - 1, max(floor, s - 7) - 1, -1):
            if not self.free(k):
                break
            j = k
            last_cls: frozenset[str] = frozenset()
            while j < s:
                m = self.c.lex_match(self.toks, j, s)
                if m is None or not m[1] & {"mod", "title", "preadj"}:
                    break
                j, last_cls = m
            if j == s and "title" in last_cls:
                best = k
        if best < s:
            best = self.left_modifiers(best, floor)
        return best

    def chain_possessive(
        self, end: int, actor: str, used: list[int], heads: frozenset[str] = HEADS_INSTITUTION
    ) -> int:
        """ "The Myanmar junta's foreign minister": a phrase + possessive + office head."""
        pe = self.possessive_end(end)
        if pe is None:
            return end
        w = self.walk(pe, actor, heads)
        if w is None:
            return end
        new_end, cls, absorbed = w
        used.extend(absorbed)
        if "title" in cls and "named" not in cls:
            ne = self.name_end(new_end, actor)
            if ne is not None:
                new_end = ne[0]
                if ne[1] is not None:
                    used.append(ne[1])
        return new_end

    def of_state(self, end: int, actor: str, used: list[int]) -> int:
        """ "Prime Minister Fumio Kishida of Japan": absorb "of <same state>"."""
        if self.low(end) != "of" or not self.free(end):
            return end
        nxt = self.core_at(end + 1)
        if nxt is None and self.low(end + 1) == "the" and self.free(end + 1):
            nxt = self.core_at(end + 2)
        if nxt is not None and nxt.entry.actor == actor and nxt.entry.kind == "state":
            used.append(self.occ[nxt.start])
            return nxt.end
        return end

    def in_place_prefix(self, s: int, floor: int) -> int:
        """ "the defence ministry in Beijing": NP with institution head + "in" + place."""
        if s - 1 < floor or self.low(s - 1) != "in" or not self.free(s - 1):
            return s
        k = s - 1
        for a in range(k - 1, max(floor, k - 6) - 1, -1):
            if not self.free(a):
                break
            if self.low(a) != "the":
                continue
            j = a + 1
            last: frozenset[str] = frozenset()
            while j < k:
                m = self.c.lex_match(self.toks, j, k)
                if m is None:
                    break
                j, last = m
            if j == k and last & {"agent", "body"} and j > a + 1:
                return a
        return s

    def of_prefix(self, s: int, floor: int) -> int:
        """ "the Emir of Qatar", "King Abdullah of Jordan", "the government of Bolivia"."""
        k = s
        if self.low(k - 1) == "the" and self.free(k - 1):
            k -= 1
        if k - 1 < floor or self.low(k - 1) != "of" or not self.free(k - 1):
            return s
        k -= 1
        # optional unknown name before "of"
        j = k
        while j - 1 >= floor and self.free(j - 1) and self.toks[j - 1].cap:
            if self.c.lex_match(self.toks, j - 1, j) is not None:
                break
            j -= 1
            if k - j >= 5:
                break
        named = j < k
        # title / institution sequence ending at j
        for a in range(j - 1, max(floor, j - 5) - 1, -1):
            if not self.free(a):
                break
            p = a
            last: frozenset[str] = frozenset()
            last_word = ""
            while p < j:
                m = self.c.lex_match(self.toks, p, j)
                if m is None:
                    break
                last_word = self.toks[m[0] - 1].low
                p, last = m
            if p != j:
                continue
            plural = last_word.endswith("s") and not last_word.endswith("ss")
            if plural:
                return s
            if named and "title" in last:
                return self.left_modifiers(a, floor)
            if not named and last & {"title", "agent"} and self.low(a - 1) == "the":
                return a - 1
        return s

    def adjective_prefix(self, s: int, t: int, floor: int) -> int:
        """ "landlocked Ethiopia", "reclusive North Korea": epithets (and their article) before a
        name that heads its phrase (not "the new Japan-Philippines pact")."""
        if self.joined(t):
            return s  # "the new Japan-Philippines pact"
        if t < self.n and self.toks[t].space:
            m = self.lex(t)
            if m is not None and m[1] & NOUNISH:
                return s
        k = self.words_before(s, floor, "epithet", (3, 1))  # "war-torn" is three tokens
        if k < s and k - 1 >= floor and self.free(k - 1) and self.low(k - 1) in ("the", "a", "an"):
            k -= 1
        return k
