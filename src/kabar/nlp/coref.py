"""Who a speaker or source phrase refers to, within one article.

Quotes and claims name their source by name ("Sekjen Rutte"), pronoun ("ia",
the clitic "-nya" in "katanya"), possessive ("kantornya", "pihaknya") or
definite description ("kementerian itu", "presiden Korea Selatan"). The
canonicaliser links entities only through mention ids, so this module finds the
noun phrase next to a speech cue (`Chunker`) and the earlier mention it points
at (`Resolver`), or says it cannot rather than guess.

Rules, not a model: Indonesian news writes attribution in a few fixed shapes,
and the phrase lists live in `lang/<code>/cues.json`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from operator import itemgetter
from typing import Literal, NamedTuple

from kabar.lang import load_json
from kabar.model import Article, Mention, Sentence

Span = tuple[int, int]  # token indices [i, j)
RefKind = Literal["name", "pronoun", "possessive", "description", "statement", "unknown"]

# Words keep inner hyphens and apostrophes ("Covid-19", "kata-kata", "Ma'ruf"): a cue word inside a
# compound is no cue, and a hyphenated name is one name. Anything else is a one-character token.
_TOKEN = re.compile(r"[^\W_]+(?:[-‐'’][^\W_]+)*|[^\w\s]|_")
_BREAKS = frozenset(",;—–")
_LABEL_RANK = {"PER": 0, "ORG": 1, "GPE": 2, "LOC": 3}


class Token(NamedTuple):
    start: int
    end: int
    text: str
    low: str  # casefolded text, the form every word list is matched in

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_cap(self) -> bool:
        return self.text[0].isupper()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of `text` with char offsets shifted by `offset`. Whole articles are tokenised, so each Token is
    made by tuple.__new__ (what Token(...) ends in) without the Python-level __new__ on the way."""
    new = tuple.__new__
    return [new(Token, (m.start() + offset, m.end() + offset, w := m.group(), w.casefold())) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=1)
def article_tokens(text: str) -> tuple[tuple[Token, ...], tuple[int, ...]]:
    """All tokens of an article's text and their start offsets. The quote and claim stages run one after
    the other on each article and both read them, so the last article's are kept."""
    toks = tuple(tokenize(text))
    return toks, tuple(map(itemgetter(0), toks))


def tokens_between(text: str, start: int, end: int) -> list[Token]:
    """`tokenize(text[start:end], start)`, sliced from the whole text's tokens: the same tokens unless one
    runs over an edge (a span cut inside a word), and then the span is tokenised alone."""
    toks, starts = article_tokens(text)
    i, j = bisect_left(starts, start), bisect_left(starts, end)
    if (i and toks[i - 1].end > start) or (j and toks[j - 1].end > end):
        return tokenize(text[start:end], start)
    return list(toks[i:j])


def _word_set(data: dict, key: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in data.get(key, ()))


class Lexicon:
    """The cue and reference word lists of one language, as sets (loaded once)."""

    def __init__(self, lang: str = "id") -> None:
        data = load_json(lang, "cues.json")
        ref = data["reference"]
        words = partial(_word_set, data)
        refs = partial(_word_set, ref)
        self.stem_cues = words("stem_cues")
        self.verb_cues = words("verb_cues")
        self.say_verbs = words("say_verbs")
        self.attitude_nouns = words("attitude_nouns")
        self.passive_cues = words("passive_cues")
        self.according_to = words("according_to")
        self.then_words = words("then_word")
        self.complementizers = words("complementizer")
        self.manner_links = words("manner_links")
        self.relatives = words("relative")
        self.adverbs = words("adverbs")
        self.np_stops = words("np_stops")
        self.adjunct_starts = words("adjunct_starts")
        self.connectives = words("connectives")
        self.time_words = words("time_words")
        self.coordinators = words("coordinators")
        self.prepositions = words("prepositions")
        self.non_verbs = words("non_verbs")
        self.verb_prefixes = tuple(data.get("verb_prefixes", ()))
        self.via_cues = tuple(tuple(v.casefold().split()) for v in data.get("via_cues", ()))
        self.person_pronouns = refs("person_pronouns")
        self.plural_pronouns = refs("plural_pronouns")
        self.clitics = tuple(ref.get("clitics", ()))
        self.demonstratives = refs("demonstratives")
        self.org_heads = refs("org_heads")
        self.person_heads = refs("person_heads")
        self.leader_heads = refs("leader_heads")
        self.statement_heads = refs("statement_heads")
        self.titles = refs("titles")
        self.determiners = refs("determiners")
        self.max_back = int(ref.get("max_sentences_back", 6))

    def is_verb(self, tok: Token) -> bool:
        """A lower-case word with a verbal prefix (me-, ber-, di-, ter-): ends a noun phrase."""
        w = tok.low
        if not tok.text[0].islower() or not w.isalpha() or len(w) < 5:
            return False
        if w in self.non_verbs or w in self.person_heads or w in self.org_heads:
            return False
        return w in self.verb_cues or w.startswith(self.verb_prefixes)

    def head(self, words: Sequence[str], table: frozenset[str]) -> int:
        """Length of the longest entry of `table` that `words` starts with (0 if none)."""
        for n in (3, 2, 1):
            if len(words) >= n and " ".join(words[:n]) in table:
                return n
        return 0

    def clitic_stem(self, word: str) -> str | None:
        """`word` without its possessive/agent clitic ("katanya" -> "kata"), or None."""
        w = word.casefold()
        for c in self.clitics:
            if w.endswith(c) and len(w) > len(c) + 1:
                return w[: -len(c)]
        return None


@cache
def lexicon(lang: str = "id") -> Lexicon:
    return Lexicon(lang)


class Chunker:
    """Finds the noun phrase that names a speaker next to a cue, over one sentence's tokens."""

    def __init__(self, lex: Lexicon, max_len: int = 24) -> None:
        self.lex = lex
        self.max_len = max_len

    def abbrev_dot(self, toks: Sequence[Token], k: int) -> bool:
        """True when toks[k] is the dot of a title or an initial ("Tn.", "H."), not a full stop."""
        if k == 0 or toks[k].text != "." or toks[k - 1].end != toks[k].start:
            return False
        prev = toks[k - 1].text
        return (prev.casefold() + ".") in self.lex.titles or (len(prev) == 1 and prev.isupper())

    def _starts_np(self, toks: Sequence[Token], i: int) -> bool:
        t = toks[i]
        w = t.low
        if t.is_cap:
            return w not in self.lex.adjunct_starts and w not in self.lex.connectives
        words = [x.low for x in toks[i : i + 3]]
        return (
            w in self.lex.person_pronouns
            or w in self.lex.plural_pronouns
            or w in self.lex.determiners
            or self.lex.head(words, self.lex.person_heads) > 0
            or self.lex.head(words, self.lex.org_heads) > 0
            or self.lex.head(words, self.lex.statement_heads) > 0
            or self.lex.clitic_stem(w) in self.lex.org_heads
        )

    def _np_end(self, toks: Sequence[Token], i: int, hi: int) -> int:
        """End of the noun phrase starting at `i` inside one comma segment [i, hi)."""
        j = i + 1
        while j < hi and j - i < self.max_len:
            t = toks[j]
            w = t.low
            if t.text == "(":  # short parenthetical inside a name: "(37)", "(Jokowi)"
                close = next((x for x in range(j + 1, min(hi, j + 7)) if toks[x].text == ")"), None)
                if close is None:
                    break
                j = close + 1
                continue
            glued = t.text in ("/", ".", "&") and j + 1 < hi and toks[j + 1].is_word
            glued = glued and toks[j - 1].end == t.start and t.end == toks[j + 1].start
            if glued:  # "Menteri Riset dan Teknologi/Kepala BRIN", "Startupindonesia.co"
                j += 2
                continue
            if not t.is_word and not self.abbrev_dot(toks, j):
                break
            if not t.is_cap and (w in self.lex.np_stops or w in self.lex.adverbs or self.lex.is_verb(t)):
                break
            if w in self.lex.verb_cues or w in self.lex.stem_cues:
                break
            j += 1
        return j

    def _segments(self, toks: Sequence[Token], lo: int, hi: int) -> list[Span]:
        """Segments of [lo, hi) between commas, dashes and semicolons ("JAKARTA, KOMPAS — Ani ..."),
        parentheses kept whole."""
        segs, start, depth = [], lo, 0
        for k in range(lo, hi):
            x = toks[k].text
            depth += (x == "(") - (x == ")")
            if x in _BREAKS and depth <= 0:
                segs.append((start, k))
                start = k + 1
        segs.append((start, hi))
        return [(a, b) for a, b in segs if a < b]

    def _strip_connectives(self, toks: Sequence[Token], a: int, b: int) -> int:
        while a < b and toks[a].low in self.lex.connectives:
            a += 1
        return a

    def segment_np(self, toks: Sequence[Token], a: int, b: int) -> Span | None:
        """The noun phrase a comma segment starts with, or None when it is an adjunct ("Senin lalu")."""
        a = self._strip_connectives(toks, a, b)
        if a >= b or not self._starts_np(toks, a):
            return None
        return (a, self._np_end(toks, a, b))

    def subject(self, toks: Sequence[Token], lo: int, hi: int) -> Span | None:
        """Subject of the clause in [lo, hi): the first noun phrase after leading adjuncts."""
        for a, b in self._segments(toks, lo, hi):
            np = self.segment_np(toks, a, b)
            if np:
                return np
        return None

    def before(self, toks: Sequence[Token], k: int, lo: int = 0) -> Span | None:
        """The speaker phrase that ends right before the cue at `k` ("Sekjen Rutte kemudian | menjawab")."""
        j = k
        while j > lo and toks[j - 1].low in self.lex.adverbs:
            j -= 1
        if j > lo and toks[j - 1].low in self.lex.manner_links:  # "..., dengan mengatakan"
            return self.subject(toks, lo, j - 1)
        if j > lo and toks[j - 1].low in self.lex.relatives:  # "Zelensky, yang mengatakan"
            j -= 1
            while j > lo and toks[j - 1].text == ",":
                j -= 1
        segs = self._segments(toks, lo, j)
        chosen: Span | None = None
        for n, (a, b) in enumerate(reversed(segs)):
            np = self.segment_np(toks, a, b)
            if np is None:
                continue
            if n == 0 and np[1] < b and not self._only_adjunct(toks, np[1], b):
                # the phrase right before the cue is not a bare NP: a clause ("X tidak membantah ...")
                np = self.subject(toks, lo, j)
            chosen = np
            if toks[np[0]].is_cap or toks[np[0]].low in self.lex.person_pronouns:
                break
            # a lower-case role is an appositive ("Aziz, kuasa hukum FPI, menyatakan"): prefer a name before it
            prev = next((self.segment_np(toks, a2, b2) for a2, b2 in reversed(segs[: len(segs) - 1 - n])), None)
            if prev and toks[prev[0]].is_cap:
                chosen = prev
            break
        return chosen

    def _only_adjunct(self, toks: Sequence[Token], a: int, b: int) -> bool:
        """[a, b) holds only adverbs and prepositional adjuncts ("pada Oktober 2024", "secara resmi")."""
        return a >= b or toks[a].low in self.lex.np_stops or toks[a].low in self.lex.adverbs

    def _starts_after(self, tok: Token) -> bool:
        """After a cue almost any noun phrase names the speaker ("kata politisi senior itu", "ujar Hari")."""
        w = tok.low
        if not tok.is_word or w in self.lex.time_words:
            return False
        return tok.is_cap or not (w in self.lex.np_stops or w in self.lex.adverbs or self.lex.is_verb(tok))

    def after(self, toks: Sequence[Token], k: int, hi: int | None = None) -> Span | None:
        """The speaker phrase that starts at `k`, right after a cue ("kata | Presiden Yoon, mengutip ...")."""
        hi = len(toks) if hi is None else hi
        if k >= hi or not self._starts_after(toks[k]):
            return None
        j = self._np_end(toks, k, hi)
        # a name may follow its role after commas: "kata Kepala Dusun X, Kelurahan Y, Wahyu Wibowo"
        while j + 1 < hi and toks[j].text == ",":
            n = j + 1 + int(toks[j + 1].low in self.lex.coordinators and j + 2 < hi)
            if not toks[n].is_cap or toks[n].low in self.lex.time_words:
                break
            nxt = self._np_end(toks, n, hi)
            if nxt - k > self.max_len:
                break
            j = nxt
        while j > k + 1 and toks[j - 1].text in ",(":
            j -= 1
        return (k, j)


@dataclass(frozen=True)
class Resolution:
    """What a phrase refers to: the mention (None when unresolved) and how it was found."""

    mention: Mention | None
    kind: RefKind


class Resolver:
    """Resolves speaker phrases to mentions of the same article (most recent compatible antecedent)."""

    def __init__(self, lang: str = "id") -> None:
        self.lex = lexicon(lang)

    # --- mentions -----------------------------------------------------------------
    @staticmethod
    def _outside(m: Mention, exclude: Sequence[tuple[int, int]]) -> bool:
        return not any(a <= m.start and m.end <= b for a, b in exclude)

    def overlapping(self, article: Article, start: int, end: int) -> list[Mention]:
        """Mentions overlapping [start, end), best speaker first: PER (the last, the name after a role), ORG, places."""
        found = [m for m in article.mentions if m.start < end and m.end > start]
        return sorted(found, key=lambda m: (_LABEL_RANK.get(m.label, 9), -m.start if m.label == "PER" else m.start))

    # --- sentences ----------------------------------------------------------------
    @staticmethod
    def _sentences(article: Article) -> list[Sentence]:
        return article.sentences or [Sentence(0, len(article.text))]

    def _subject_rank(self, article: Article, sent: Sentence, m: Mention) -> int:
        """How much a mention looks like its clause's subject: 2 when it opens the clause (or follows
        "menurut") and a verb or comma follows it, 1 when it only opens the clause, 0 otherwise (inside a
        fronted adjunct, after a preposition or a verb)."""
        toks = tokens_between(article.text, sent.start, m.start)
        seg = next((n + 1 for n in range(len(toks) - 1, -1, -1) if toks[n].text in _BREAKS), 0)
        if seg < len(toks) and toks[seg].low in self.lex.according_to:
            return 2  # "Menurut Kusnawan, ..." names the source
        if seg < len(toks) and toks[seg].low in self.lex.adjunct_starts:
            return 0  # "Dalam panggilan dengan ... Zelensky, Presiden Yoon ..."
        k = len(toks)
        while k > 0 and (toks[k - 1].is_cap or toks[k - 1].low in self.lex.titles or toks[k - 1].text in "()."):
            k -= 1  # walk back over the role/title run ("Sekretaris Jenderal NATO")
        if k and (toks[k - 1].low in self.lex.stem_cues or toks[k - 1].low in self.lex.passive_cues):
            return 2  # a speaker named after its cue: "..., ujar Syafrin."
        if k and (toks[k - 1].low in self.lex.prepositions or self.lex.is_verb(toks[k - 1])):
            return 0
        nxt = next((t for t in tokens_between(article.text, m.end, min(sent.end, m.end + 80)) if t.text not in "()"), None)
        verbish = nxt is not None and (
            nxt.text in _BREAKS or nxt.low in self.lex.adverbs or nxt.low in self.lex.verb_cues or self.lex.is_verb(nxt)
        )
        return 2 if verbish else 1

    def antecedent(
        self, article: Article, pos: int, labels: frozenset[str] = frozenset({"PER"}), exclude: Sequence[tuple[int, int]] = ()
    ) -> Mention | None:
        """Most recent salient mention with one of `labels` before `pos`: the nearest sentence with a clear
        subject or speaker wins ("Ketua Apindo Tutum Rahanta mengatakan" -> Tutum Rahanta), then the nearest
        clause opener, then the latest mention seen."""
        sents = [s for s in self._sentences(article) if s.start < pos]
        best: dict[int, Mention] = {}
        for sent in reversed(sents[-self.lex.max_back :]):
            cands = [
                m
                for m in sorted(article.mentions, key=lambda m: m.start)
                if m.label in labels and sent.start <= m.start and m.end <= min(sent.end, pos) and self._outside(m, exclude)
            ]
            if cands:
                best.setdefault(0, cands[-1])
            for m in cands:
                rank = self._subject_rank(article, sent, m)
                if rank:
                    best.setdefault(rank, m)
            if 2 in best:
                return best[2]
        return best.get(1) or best.get(0)

    # --- phrases --------------------------------------------------------------------
    def _context(self, article: Article, m: Mention) -> set[str]:
        """Words of a mention, its role, and the role words right before it ("juru bicara Kremlin | Dmitry Peskov")."""
        words = {t.low for t in tokenize(m.text + " " + (m.role or ""))}
        lo = max(0, m.start - 100)
        before = tokens_between(article.text, lo, m.start)
        k, taken = len(before), 0
        while k > 0 and taken < 8:
            t = before[k - 1]
            if t.text == ")":  # skip a parenthetical expansion: "NATO (Pakta Pertahanan Atlantik Utara) Mark Rutte"
                k = next((x for x in range(k - 1, -1, -1) if before[x].text == "("), 0)
                continue
            w = t.low
            if not t.is_word or w in self.lex.prepositions or w in self.lex.adverbs or self.lex.is_verb(t):
                break
            words.add(w)
            k, taken = k - 1, taken + 1
        return words

    def by_description(
        self, article: Article, words: list[str], start: int, labels: frozenset[str], exclude: Sequence[tuple[int, int]]
    ) -> Mention | None:
        """The most recent mention whose own words, role and title cover every content word of the description."""
        need = {w for w in words if w not in self.lex.demonstratives and w not in self.lex.determiners}
        if not need:
            return None
        ms = [m for m in article.mentions if m.label in labels and self._outside(m, exclude)]
        before = sorted((m for m in ms if m.end <= start), key=lambda m: -m.start)
        after = sorted((m for m in ms if m.start >= start), key=lambda m: m.start)
        for m in before + after:
            ctx = self._context(article, m)
            if need <= ctx or (len(need) > 1 and need <= ctx | {" ".join(words[:2])}):
                return m
        return None

    def _by_alias(self, article: Article, toks: Sequence[Token], start: int) -> Mention | None:
        """A shortened name ("Rutte", "Sekjen Rutte") matched to a fuller mention by its last capitalised word."""
        names = [t for t in toks if t.is_cap and t.low not in self.lex.titles and (t.low + ".") not in self.lex.titles]
        if not names:
            return None
        key = names[-1].low
        ms = [m for m in article.mentions if m.label in ("PER", "ORG") and key in {t.low for t in tokenize(m.text)}]
        before = [m for m in ms if m.end <= start]
        if before:
            return max(before, key=lambda m: (m.label == "PER", m.start))
        return min(ms, key=lambda m: m.start) if ms else None

    def resolve(self, article: Article, start: int, end: int, exclude: Sequence[tuple[int, int]] = ()) -> Resolution:
        """The mention the phrase article.text[start:end] refers to; `exclude` masks quoted text from antecedents."""
        toks = tokens_between(article.text, start, end)
        words = [t.low for t in toks if t.is_word]
        if not words:
            return Resolution(None, "unknown")
        lex = self.lex
        per = frozenset({"PER"})
        if lex.head(words, lex.statement_heads):
            return Resolution(None, "statement")  # "demikian menurut pernyataan itu"
        if len(words) == 1 and (words[0] in lex.person_pronouns or words[0] in lex.clitics):
            return Resolution(self.antecedent(article, start, per, exclude), "pronoun")
        if len(words) == 1 and words[0] in lex.plural_pronouns:
            return Resolution(None, "pronoun")
        stem = lex.clitic_stem(words[-1])
        if stem and (lex.head([stem], lex.org_heads) or lex.head(words[:-1] + [stem], lex.person_heads)):
            # "kantornya", "pihaknya", "juru bicaranya": refers through its owner, the nearest salient person or body
            return Resolution(self.antecedent(article, start, frozenset({"PER", "ORG"}), exclude), "possessive")
        found = self.overlapping(article, start, end)
        if found and found[0].label == "PER":
            return Resolution(found[0], "name")
        person_head = lex.head(words, lex.person_heads)
        if person_head:
            leader = lex.head(words, lex.leader_heads)
            if leader and all(w in lex.demonstratives for w in words[leader:]):
                return Resolution(self.antecedent(article, start, per, exclude), "description")  # "pemimpin itu"
            # "pemimpin Ukraina": a generic head says nothing about the title, its modifiers must match
            need = words[leader:] if leader else words
            m = self.by_description(article, need, start, per, exclude)
            last = max(found, key=lambda x: x.start) if found else None
            if m is None and last is not None and last.end >= toks[-1].end:
                return Resolution(last, "name")  # the name after the title, whatever label the recogniser gave it
            return Resolution(m, "description")
        if found and found[0].label == "ORG":
            return Resolution(found[0], "name")
        if lex.head(words, lex.org_heads):
            m = self.by_description(article, words, start, frozenset({"ORG"}), exclude)
            if m is None and any(w in lex.demonstratives for w in words):
                m = self.antecedent(article, start, frozenset({"ORG"}), exclude)  # "kementerian itu"
            if m is not None:
                return Resolution(m, "description")
            if not found:
                return Resolution(None, "description")
        if found:
            return Resolution(found[0], "name")  # a place speaking for its government ("Pemerintah Korea Selatan")
        return Resolution(self._by_alias(article, toks, start), "name")
