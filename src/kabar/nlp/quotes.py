"""Quotes and who said them: the `QuoteExtractor` stage.

Direct quotes are text between quotation marks (every style in `cues.json`,
across sentences and, when the next paragraph reopens the quote, across
paragraphs) with a speech cue right before or right after the marks:
`X berkata, "..."`, `"...," kata X`, `"...," ujarnya`, `"...," demikian menurut X`,
`"...," X menambahkan`. Indirect quotes are reported clauses: `X mengatakan
(bahwa) ...`, `X menyatakan harapan bahwa ...`, `Menurut X, ...`, `..., kata X`.

Decisions worth knowing:
- Quoted fragments inside reported speech (`X mengatakan ada "bukti jelas ..."`)
  belong to the indirect quote that contains them: one quote, kind "indirect",
  whose text keeps the quotation marks. No separate direct fragment is made.
- Quoted text with no cue next to it is a quote only when it stands as a
  sentence of its own; it then takes the speaker (and speaker_cite) of a quote
  at most two sentences before, else stays unattributed. Inline scare quotes
  ("kelompok kriminal") are not quotes, nor is an unclosed mark without a cue.
- `speaker_cite` is the phrase in the text that names the speaker (for
  "katanya" the clitic "nya"); `speaker_mention` the mention it refers to (the
  antecedent for pronouns; the owner for "kantornya"/"pihaknya", whose
  `speaker_text` stays the surface form); `speaker_text` is the surface phrase,
  or the antecedent's text for a bare pronoun. Unresolved speakers keep
  `speaker_mention` None.
- `via` lists wires and outlets the sentence credits ("mengutip Kyodonews",
  "Menurut kantor berita Yonhap"), canonicalised with `wires.json`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from kabar.lang import has, load_json
from kabar.model import Article, Cite, Quote, Sentence
from kabar.nlp.coref import Chunker, Lexicon, Resolver, Token, article_tokens, lexicon, tokenize

_TERMINAL = frozenset(".!?;")
_LEAD_PUNCT = frozenset(",:—–-")
_MIN_WORDS = 3  # shorter reported content is a label, not a statement
_CUE_GAP = 8  # adjunct tokens allowed between a verb cue and the quote it introduces
_BAHWA_GAP = 16  # tokens allowed between a verb cue and its "bahwa"
_INHERIT_SENTENCES = 2


@dataclass
class _Found:
    """A quote before speaker resolution: char spans into the article text."""

    start: int
    end: int
    kind: str
    sent: int  # index of the sentence holding the attribution
    cue: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    via: list[str] = field(default_factory=list)
    inherited: _Found | None = None


class _Cue(NamedTuple):
    """A speech cue found next to quotation marks: its char span and the speaker phrase's, if any."""

    cue: tuple[int, int]
    speaker: tuple[int, int] | None


class _Text:
    """The article's tokens (kept for the claim stage too), each marked free or inside quotation marks,
    sliced by char range."""

    def __init__(self, text: str, quoted: Sequence[tuple[int, int]]) -> None:
        self.text = text
        self.toks, self.starts = article_tokens(text)
        self.free = [True] * len(self.toks)
        for a, b in quoted:
            i, j = self.range(a, b)
            self.free[i:j] = [False] * (j - i)

    def range(self, lo: int, hi: int) -> tuple[int, int]:
        """Token indices of the tokens that start in [lo, hi)."""
        return bisect.bisect_left(self.starts, lo), bisect.bisect_left(self.starts, hi)

    def tokens(self, lo: int, hi: int) -> Sequence[Token]:
        i, j = self.range(lo, hi)
        return self.toks[i:j]

    def words(self, lo: int, hi: int) -> int:
        return sum(t.is_word for t in self.tokens(lo, hi))


class QuoteMarks:
    """Pairs quotation marks: which mark opens, which closes, decided by the pair table and the neighbours."""

    def __init__(self, pairs: Sequence[Sequence[str]], singles: Sequence[str]) -> None:
        self.pairs = {(a, b) for a, b in pairs}
        self.openers = {a for a, _ in pairs}
        self.closers = {b for _, b in pairs}
        self.singles = set(singles)
        self.marks = self.openers | self.closers
        self._any_mark = re.compile("[" + re.escape("".join(sorted(self.marks))) + "]")

    def spans(self, text: str, paragraphs: Sequence[Sentence]) -> list[tuple[int, int, bool]]:
        """(open index, close index, closed) of top-level quotes; an unclosed quote ends with its paragraph
        unless the next paragraph opens again (a quote running over paragraphs)."""
        out: list[tuple[int, int, bool]] = []
        open_: tuple[int, str] | None = None
        prev_end = 0
        for para in paragraphs:
            begin = para.start
            if open_ is not None:
                first = next((i for i in range(para.start, para.end) if not text[i].isspace()), None)
                reopens = first is not None and text[first] in self.openers
                if reopens and (text[first] in self.singles) == (open_[1] in self.singles):
                    begin = first + 1  # the quote goes on in this paragraph
                else:
                    out.append((open_[0], prev_end, False))
                    open_ = None
            for hit in self._any_mark.finditer(text, begin, para.end):
                i, c = hit.start(), hit.group()
                prev = text[i - 1] if i > para.start else " "
                nxt = text[i + 1] if i + 1 < para.end else " "
                single = c in self.singles
                if single and prev.isalnum() and nxt.isalnum():
                    continue  # an apostrophe: "Ma'ruf"
                if open_ is not None and (open_[1] in self.singles) != single:
                    if single:
                        continue  # a quote inside the quote
                    open_ = None  # the single mark was an apostrophe after all
                can_open = c in self.openers and not nxt.isspace() and not prev.isalnum()
                can_close = c in self.closers and not prev.isspace() and not nxt.isalnum()
                if open_ is not None:
                    paired = (open_[1], c) in self.pairs
                    if paired and (can_close or not can_open):
                        out.append((open_[0], i, True))
                        open_ = None
                    elif can_open:
                        open_ = (i, c)  # the earlier mark never closed
                elif can_open or (c in self.openers and not single and prev.isspace() and nxt.isspace()):
                    open_ = (i, c)
            prev_end = para.end
        if open_ is not None and open_[1] not in self.singles:
            out.append((open_[0], prev_end, False))
        return out


class Wires:
    """Wire and outlet names as written -> canonical name (`wires.json`), for `Quote.via`."""

    def __init__(self, lang: str) -> None:
        self.alias: dict[str, str] = {}
        self.bare: set[str] = set()
        self.first: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # first word -> bare aliases
        if not has(lang, "wires.json"):
            return
        for name, info in load_json(lang, "wires.json").get("wires", {}).items():
            for a in [name, *info.get("aliases", ())]:
                key = a if len(a) <= 4 else a.casefold()
                self.alias[key] = name
                if info.get("bare"):
                    self.bare.add(key)
                    words = tuple(x.text for x in tokenize(a))
                    self.first.setdefault(words[0].casefold(), []).append((words, name))

    def lookup(self, phrase: str) -> str | None:
        """Canonical wire named inside a phrase ("Kantor Berita Yonhap Korea Selatan" -> Yonhap), longest alias first."""
        words = phrase.split()
        for n in range(len(words), 0, -1):
            for i in range(len(words) - n + 1):
                part = " ".join(words[i : i + n])
                hit = self.alias.get(part if len(part) <= 4 else part.casefold())
                if hit:
                    return hit
        return None

    def named(self, toks: Sequence[Token]) -> list[str]:
        """Wires whose bare name appears among `toks` (names that mean nothing else)."""
        out: list[str] = []
        for k, t in enumerate(toks):
            for words, name in self.first.get(t.text.casefold(), ()):
                got = " ".join(x.text for x in toks[k : k + len(words)])
                key = got if len(got) <= 4 else got.casefold()
                if key in self.bare and self.alias[key] == name and name not in out:
                    out.append(name)
        return out


class QuoteExtractor:
    """Per-article stage: fills `article.quotes` from sentences and mentions."""

    name = "quotes"

    def __init__(self, lang: str = "id") -> None:
        data = load_json(lang, "cues.json")
        self.lex: Lexicon = lexicon(lang)
        self.chunk = Chunker(self.lex)
        self.resolver = Resolver(lang)
        self.marks = QuoteMarks(data["quote_marks"], data.get("single_marks", ()))
        self.wires = Wires(lang)
        self.via_cues: dict[str, list[tuple[str, ...]]] = {}
        for cue in self.lex.via_cues:
            self.via_cues.setdefault(cue[0], []).append(cue)

    # --- stage --------------------------------------------------------------------
    def __call__(self, article: Article) -> Article:
        found = self.find(article)
        article.quotes = self._build(article, found)
        return article

    def find(self, article: Article) -> list[_Found]:
        """All quotes of the article, unresolved, in text order."""
        text = article.text
        sents = sorted(article.sentences, key=lambda s: s.start) or _lines(text)
        paras = sorted(article.paragraphs, key=lambda s: s.start) or _lines(text)
        starts = [s.start for s in sents]
        marks = self.marks.spans(text, paras)
        doc = _Text(text, [(o, c + 1) for o, c, _ in marks])
        direct, loose = self._direct(doc, sents, starts, marks)
        indirect = self._indirect(doc, sents, [(q.start, q.end) for q in direct])
        inside = [(q.start, q.end) for q in indirect]
        for q in loose:
            if not any(a <= q.start and q.end <= b for a, b in inside):
                direct.append(q)
        found = sorted(direct + indirect, key=lambda q: q.start)
        self._inherit(found, starts)
        vias: dict[int, list[str]] = {}
        for q in found:
            if q.sent not in vias:
                vias[q.sent] = self._sentence_via(doc, sents[q.sent], article.wire_credits)
            speaker = text[q.speaker[0] : q.speaker[1]] if q.speaker else ""
            own = self.wires.lookup(speaker) if speaker else None
            q.via = [v for v in vias[q.sent] if v != own and v != speaker]
        return [q for q in found if q.speaker or q.inherited or q.kind == "direct"]

    # --- direct quotes ------------------------------------------------------------
    def _direct(
        self, doc: _Text, sents: list[Sentence], starts: list[int], marks: list[tuple[int, int, bool]]
    ) -> tuple[list[_Found], list[_Found]]:
        """Quotes with a cue beside their marks, and stand-alone quoted sentences (speaker still open)."""
        text = doc.text
        attributed: list[_Found] = []
        loose: list[_Found] = []
        for n, (o, c, closed) in enumerate(marks):
            start, end = _trim(text, o + 1, c)
            n_words = doc.words(start, end)
            if n_words < 1:
                continue
            so = max(0, bisect.bisect_right(starts, start) - 1)
            sc = max(0, bisect.bisect_right(starts, max(start, c - 1)) - 1)
            prev_close = marks[n - 1][1] + 1 if n else 0
            next_open = marks[n + 1][0] if n + 1 < len(marks) else len(text)
            pre = doc.tokens(max(sents[so].start, prev_close), o) if o >= sents[so].start else []
            post_hi = sents[sc].end
            if sc + 1 < len(sents) and not text[c + 1 : post_hi].strip(" \t.,") and _starts_lower(text, sents[sc + 1]):
                post_hi = sents[sc + 1].end  # the splitter cut before a lower-case cue: `."` | `kata X.`
            post = doc.tokens(c + 1, min(post_hi, next_open)) if closed else []
            after = self._cue_after(post)
            hit = after or self._cue_before(pre)
            if hit:
                attributed.append(_Found(start, end, "direct", sc if after else so, cue=hit.cue, speaker=hit.speaker))
                continue
            alone_before = not any(t.is_word for t in pre)
            alone_after = all(t.text in _TERMINAL or t.text in ")" for t in post)
            if closed and alone_before and (alone_after or sc > so) and n_words >= _MIN_WORDS:
                loose.append(_Found(start, end, "direct", so))
        return attributed, loose

    def _post_cue(self, toks: Sequence[Token], i: int, hi: int) -> tuple[int, bool]:
        """Index of a cue word at `i` after an optional "demikian (yang)", and whether "demikian" was there."""
        then = i < hi and toks[i].low in self.lex.then_words
        if then:
            i += 1 + int(i + 1 < hi and toks[i + 1].low in self.lex.relatives)
        return i, then

    def _is_post_cue(self, w: str, then: bool) -> bool:
        """A cue that comes before its speaker: "kata X", "menurut X", "dilaporkan X", "demikian ungkap X"."""
        lex = self.lex
        return w in lex.stem_cues or w in lex.according_to or w in lex.passive_cues or (then and w in lex.verb_cues)

    def _agent(self, toks: Sequence[Token], k: int, hi: int) -> tuple[int, int] | None:
        """The speaker phrase after a cue ending at `k`, over a passive "oleh" ("dilaporkan oleh X")."""
        k += int(k < hi and toks[k].low == "oleh")
        return self.chunk.after(toks, k, hi)

    def _cue_after(self, toks: Sequence[Token]) -> _Cue | None:
        """`"...," kata X` / `ujarnya` / `demikian menurut X` / `X menambahkan` right after the closing mark."""
        lex = self.lex
        i = 0
        while i < len(toks) and toks[i].text in _LEAD_PUNCT:
            i += 1
        i, then = self._post_cue(toks, i, len(toks))
        if i >= len(toks) or not toks[i].is_word:
            return None
        t = toks[i]
        if not t.is_cap or then:
            if self._is_post_cue(t.low, then):
                np = self._agent(toks, i + 1, len(toks))
                if np is None and t.low not in lex.stem_cues:
                    return None  # "menurut" / "dilaporkan" with no source is no attribution
                return _Cue((t.start, t.end), _char_span(toks, np))
            stem = lex.clitic_stem(t.low)
            if stem in lex.stem_cues or stem in lex.according_to:  # "ujarnya", "menurutnya"
                return _Cue((t.start, t.start + len(stem)), (t.start + len(stem), t.end))
        np = self.chunk.after(toks, i)
        if np is None:
            return None
        j = np[1]
        while j < len(toks) and toks[j].low in lex.adverbs:
            j += 1
        if j < len(toks) and toks[j].low in lex.verb_cues and (j + 1 == len(toks) or not toks[j + 1].is_word):
            return _Cue((toks[j].start, toks[j].end), _char_span(toks, np))  # "...," Yoon menambahkan.
        if then:  # "..., demikian Yoon."
            return _Cue((toks[i - 1].start, toks[i - 1].end), _char_span(toks, np))
        return None

    def _cue_before(self, toks: Sequence[Token]) -> _Cue | None:
        """`X berkata, "` / `X mengatakan kepada wartawan: "` / `kata X, "` / `Menurut X, "` right before the opening mark."""
        lex = self.lex
        j = len(toks)
        while j and toks[j - 1].text in _LEAD_PUNCT:
            j -= 1
        if j == 0:
            return None
        for k in range(j - 1, max(-1, j - _CUE_GAP - 2), -1):
            w = toks[k].low
            if w in lex.stem_cues or w in lex.according_to:
                np = self.chunk.after(toks, k + 1, j)
                if np and np[1] == j:
                    return _Cue((toks[k].start, toks[k].end), _char_span(toks, np))
            stem = lex.clitic_stem(w)
            if k == j - 1 and stem in lex.stem_cues:  # "tulisnya: ..."; on a verb the clitic is its object
                t = toks[k]
                return _Cue((t.start, t.start + len(stem)), (t.start + len(stem), t.end))
            if w in lex.verb_cues and not toks[k].is_cap:
                gap = toks[k + 1 : j]
                if gap and not self._adjunct_gap(gap):
                    return None  # the cue has its own object or clause: not the quote's introducer
                return _Cue((toks[k].start, toks[k].end), _char_span(toks, self.chunk.before(toks, k)))
            if toks[k].text in _TERMINAL and not self.chunk.abbrev_dot(toks, k):
                return None
        return None

    def _adjunct_gap(self, gap: Sequence[Token]) -> bool:
        """Tokens between a cue and an opening mark that only add a hearer or place ("kepada wartawan di Seoul")."""
        lex = self.lex
        if gap[0].low not in lex.np_stops:
            return False
        for n, x in enumerate(gap):
            if x.text in _TERMINAL or self.lex.is_verb(x):
                return False
            if x.low in lex.complementizers and n != len(gap) - 1:
                return False
        return True

    # --- indirect speech ----------------------------------------------------------
    def _indirect(self, doc: _Text, sents: list[Sentence], direct: list[tuple[int, int]]) -> list[_Found]:
        out: list[_Found] = []
        for si, s in enumerate(sents):
            i, j = doc.range(s.start, s.end)
            toks, free = doc.toks[i:j], doc.free[i:j]
            end = len(toks)
            while end and toks[end - 1].text in _TERMINAL and free[end - 1]:
                end -= 1  # the full stop; a quoted fragment at the end keeps its own marks
            for q in self._sentence_indirect(toks, free, end, si):
                if not any(q.start < b and a < q.end for a, b in direct):
                    out.append(q)
        return out

    def _sentence_indirect(self, toks: Sequence[Token], free: list[bool], end: int, si: int) -> list[_Found]:
        """Reported speech in one sentence: verb cues first, then `Menurut X,` and trailing `, kata X`."""
        lex = self.lex
        trail = self._trailing(toks, free, end)
        stop = trail[0] if trail else end
        cues = [k for k in range(stop) if free[k] and toks[k].low in lex.verb_cues and not toks[k].is_cap]
        out: list[_Found] = []
        taken_to = -1
        for n, k in enumerate(cues):
            if k < taken_to and not (k >= 2 and toks[k - 2].text == "," and toks[k - 1].low in lex.manner_links):
                continue  # a cue inside content already reported
            c0 = self._content_start(toks, free, k, stop)
            if c0 is None:
                continue
            c1 = stop
            for k2 in cues[n + 1 :]:
                if k2 >= 2 and toks[k2 - 2].text == "," and toks[k2 - 1].low in lex.manner_links:
                    c1 = min(c1, k2 - 2)  # "..., dengan mengatakan bahwa ..." starts the next report
                    break
            if sum(t.is_word for t in toks[c0:c1]) < _MIN_WORDS:
                continue
            out.append(_reported(toks, c0, c1, si, toks[k], self.chunk.before(toks, k)))
            taken_to = c1
        if out:
            return out
        lead = self._according(toks, free, stop)
        if lead:
            cue, np, c0 = lead
            if sum(t.is_word for t in toks[c0:stop]) >= _MIN_WORDS:
                return [_reported(toks, c0, stop, si, cue, np)]
        if trail:
            comma, cue, np = trail
            body_end = comma if np[1] >= end or toks[np[1]].text != "," else end  # "A, demikian ungkap X, B."
            c0 = 0
            while c0 < body_end and not toks[c0].is_word:
                c0 += 1
            if sum(t.is_word for t in toks[c0:body_end]) >= _MIN_WORDS:
                return [_reported(toks, c0, body_end, si, cue, np)]
        return []

    def _content_start(self, toks: Sequence[Token], free: list[bool], k: int, stop: int) -> int | None:
        """Where the reported clause after the verb cue at `k` starts, or None when the verb has no clause."""
        lex = self.lex
        for b in range(k + 1, min(stop, k + 1 + _BAHWA_GAP)):
            if toks[b].text in _TERMINAL or not free[b]:
                break  # past the clause or into quoted words: a later "bahwa" is not this verb's
            if toks[b].low in lex.complementizers:
                return b + 1 if b + 1 < stop else None
        nxt = k + 1
        if nxt >= stop:
            return None
        if toks[nxt].text in ",:":
            return nxt + 1 if nxt + 1 < stop and toks[nxt + 1].is_word else None
        w = toks[nxt].low
        attitude = w in lex.attitude_nouns or lex.clitic_stem(w) in lex.attitude_nouns
        if toks[k].low in lex.say_verbs and toks[nxt].is_word and w not in lex.np_stops and not attitude:
            return nxt
        return None

    def _according(self, toks: Sequence[Token], free: list[bool], stop: int) -> tuple[Token, tuple[int, int], int] | None:
        """`(Adjunct,) Menurut X, CONTENT`: the cue, the speaker phrase and where the content starts."""
        for k in range(stop):
            if not free[k] or toks[k].low not in self.lex.according_to:
                continue
            if k and toks[k - 1].text != ",":
                return None
            np = self.chunk.after(toks, k + 1, stop)
            if np and np[1] < stop and toks[np[1]].text == ",":
                return toks[k], np, np[1] + 1
            return None
        return None

    def _trailing(self, toks: Sequence[Token], free: list[bool], end: int) -> tuple[int, Token, tuple[int, int]] | None:
        """`CONTENT, (demikian) kata|menurut|dilaporkan X ...`: comma index, cue token, speaker phrase."""
        for k in range(1, end):
            if toks[k].text != "," or not free[k]:
                continue
            i, then = self._post_cue(toks, k + 1, end)
            if i >= end or toks[i].is_cap and toks[i].low not in self.lex.according_to:
                continue
            if self._is_post_cue(toks[i].low, then):
                np = self._agent(toks, i + 1, end)
                if np:
                    return k, toks[i], np
        return None

    # --- speakers -----------------------------------------------------------------
    def _inherit(self, found: list[_Found], starts: list[int]) -> None:
        """A stand-alone quoted sentence continues the speaker of a quote just before it."""
        last: _Found | None = None
        for q in found:
            if q.speaker is None and q.kind == "direct" and q.cue is None:
                here = bisect.bisect_right(starts, q.start) - 1
                if last is not None and here - last.sent <= _INHERIT_SENTENCES:
                    q.inherited = last
                continue
            if q.speaker is not None:
                last = q

    def _sentence_via(self, doc: _Text, sent: Sentence, credits: Sequence[str]) -> list[str]:
        """Wires a sentence credits outside quotation marks: after a via cue ("mengutip X"), by a bare wire
        name, or by a name in the article's own wire credits."""
        i, j = doc.range(sent.start, sent.end)
        toks = [t for t, free in zip(doc.toks[i:j], doc.free[i:j], strict=True) if free]
        low = [t.low for t in toks]
        joined = f" {' '.join(low)} "
        via: list[str] = [c for c in credits if f" {' '.join(t.low for t in tokenize(c))} " in joined]
        for k, w in enumerate(low):
            for cue in self.via_cues.get(w, ()):
                if tuple(low[k : k + len(cue)]) == cue:
                    np = self.chunk.after(toks, k + len(cue))
                    if np:
                        phrase = doc.text[toks[np[0]].start : toks[np[1] - 1].end]
                        via.append(self.wires.lookup(phrase) or phrase)
        via += self.wires.named(toks)
        return list(dict.fromkeys(via))

    def _build(self, article: Article, found: list[_Found]) -> list[Quote]:
        exclude = [(q.start, q.end) for q in found if q.kind == "direct"]
        quotes: list[Quote] = []
        for n, q in enumerate(found, 1):
            src = q.inherited or q
            text_span = (q.start, q.end)
            speaker_cite: Cite | None = None
            mention = None
            speaker_text = None
            if src.speaker:
                a, b = src.speaker
                speaker_cite = article.cite(a, b)
                res = self.resolver.resolve(article, a, b, exclude)
                mention = res.mention
                bare = res.kind == "pronoun" and mention is not None
                speaker_text = mention.text if bare else speaker_cite.text
            cue = article.text[src.cue[0] : src.cue[1]] if src.cue else None
            quotes.append(
                Quote(
                    id=f"{article.id}:q{n}",
                    text=article.text[text_span[0] : text_span[1]],
                    kind=q.kind,  # type: ignore[arg-type]
                    cite=article.cite(*text_span),
                    speaker_text=speaker_text,
                    speaker_cite=speaker_cite,
                    speaker_mention=mention.id if mention else None,
                    cue=cue,
                    via=list(q.via or src.via),
                )
            )
        return quotes


# --- helpers ------------------------------------------------------------------------
def _lines(text: str) -> list[Sentence]:
    """Non-empty lines as units, when no splitter ran before this stage."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append(Sentence(pos, pos + len(line)))
        pos += len(line) + 1
    return out or [Sentence(0, len(text))]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Quote content without surrounding space and the comma that hands over to the cue."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _starts_lower(text: str, sent: Sentence) -> bool:
    head = text[sent.start : sent.end].lstrip()
    return bool(head) and head[0].islower()


def _reported(toks: Sequence[Token], c0: int, c1: int, sent: int, cue: Token, speaker: tuple[int, int] | None) -> _Found:
    """An indirect quote: content tokens [c0, c1), its cue and speaker phrase (token spans)."""
    return _Found(toks[c0].start, toks[c1 - 1].end, "indirect", sent, (cue.start, cue.end), _char_span(toks, speaker))


def _char_span(toks: Sequence[Token], span: tuple[int, int] | None) -> tuple[int, int] | None:
    return (toks[span[0]].start, toks[span[1] - 1].end) if span else None
