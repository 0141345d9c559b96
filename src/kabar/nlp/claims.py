"""Claim frames: who says what happened, to whom, how many, when, and how firmly.

One frame per asserting sentence: one per body quantity in the sentence, or one
for a sentence with a reporting verb, an attribution phrase, a quote or a
denial. Indonesian has no cheap reliable parser, so the frame is read off the
token sequence with word classes from `lang/<code>/claims.json`:

- predicate: the content verb or action noun nearest the quantity, lemmatised
  (spaCy's lookup table first, then root-validated affix stripping, because the
  table lacks most passives: "dikerahkan" -> "kerah");
- subject: the entity before an active predicate, else the agent after "oleh",
  else the owner of the counted noun ("10.000 tentara Korea Utara");
- source: a chain of attributions, outer to inner ("Yonhap melaporkan bahwa NIS
  mengetahui bahwa ..." -> source NIS via Yonhap). Quotes from the quote stage
  supply speakers; the noun phrase next to a cue and the mention it refers to
  come from `kabar.nlp.coref`. With no attribution the outlet is the source;
- stance: ordered cue rules. Denied means the source says the claim is false
  ("membantah"); unconfirmed means it declines or is unable to confirm without
  saying it is false ("menolak untuk mengkonfirmasi", "tidak memiliki
  konfirmasi"); hedged marks estimates and second-hand reports; projected is a
  future or modal predicate with a count ("hingga 100.000 ... dapat dikerahkan").

"Baca Juga" teasers (related-article headlines) never yield body claims.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from kabar.lang import load_json
from kabar.model import Article, Claim, Quantity, Quote, Sentence
from kabar.nlp.coref import Chunker, Resolver, Token, lexicon, tokens_between  # the chunker's own tokens
from kabar.nlp.tokens import joined

_BOUNDARY = frozenset(",;:()[]\"“”«»—–.!?")
_QUOTE_CHARS = frozenset("\"“”«»")


# --- lemmatiser ---------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _spacy_lookup(lang: str) -> dict[str, str]:
    """spaCy's lemma lookup table shipped in spacy-lookups-data (no network), or {} when absent."""
    try:
        import spacy_lookups_data

        with gzip.open(spacy_lookups_data.get_file(f"{lang}_lemma_lookup.json.gz"), "rt", encoding="utf-8") as fh:
            return json.load(fh)
    except Exception:  # package or table missing: the affix rules still work
        return {}


class Lemmatizer:
    """Lookup table first; otherwise strip affixes (Nazief-Adriani order: particle, possessive,
    derivational suffix, then up to two prefixes with nasal recoding) and keep the first
    candidate that is a known root (the table's lemmas plus `roots` and `base_verbs`)."""

    def __init__(self, lang: str = "id", lookup: dict[str, str] | None = None, use_rules: bool = True):
        data = load_json(lang, "claims.json")
        rules = data["lemma"]
        self.lookup = _spacy_lookup(lang) if lookup is None else lookup
        self.roots = set(self.lookup.values()) | set(rules["roots"]) | set(data["base_verbs"])
        self.particles = rules["particles"]
        self.possessives = rules["possessives"]
        self.suffixes = rules["suffixes"]
        self.prefixes = [(p, tuple(r)) for p, r in rules["prefixes"]]
        self.max_prefixes = rules["max_prefixes"]
        self.min_root = rules["min_root"]
        self.use_rules = use_rules
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        w = word.lower()
        if w not in self._cache:
            self._cache[w] = self._lemma(w)
        return self._cache[w]

    def _lemma(self, w: str) -> str:
        if w in self.lookup:
            return self.lookup[w]
        parts = w.split("-")
        if not self.use_rules or w in self.roots or (len(parts) == 2 and parts[0] == parts[1]):
            return w  # a root, or a plain reduplication ("mata-mata")
        for stem in self._suffix_stripped(w):
            for cand in self._prefix_stripped(stem, self.max_prefixes):
                if cand != w and len(cand) >= self.min_root and cand in self.roots:
                    return cand
        return w

    def _suffix_stripped(self, w: str) -> list[str]:
        """Suffix variants, most stripped first: without particle and possessive, then each derivational suffix."""
        bases = [w]
        for group in (self.particles, self.possessives):
            for suf in group:
                if bases[-1].endswith(suf) and len(bases[-1]) - len(suf) >= self.min_root:
                    bases.append(bases[-1][: -len(suf)])
                    break
        out: list[str] = []
        for base in reversed(bases):
            out.extend(base[: -len(suf)] for suf in self.suffixes if base.endswith(suf) and len(base) - len(suf) >= self.min_root)
            out.append(base)
        return out

    def _prefix_stripped(self, w: str, depth: int) -> list[str]:
        """`w` itself, then every prefix-stripped form up to `depth` prefixes deep."""
        out = [w]
        if depth:
            for prefix, recodes in self.prefixes:
                if w.startswith(prefix) and len(w) - len(prefix) >= 2:
                    for r in recodes:
                        out.extend(self._prefix_stripped(r + w[len(prefix):], depth - 1))
        return out


# --- language data ------------------------------------------------------------------------------


def _alternation(phrases: list[str]) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


class Lexicon:
    """claims.json as sets and compiled regexes, plus the coref chunker and resolver of the language."""

    def __init__(self, lang: str = "id"):
        d = load_json(lang, "claims.json")
        self.lemma = Lemmatizer(lang)
        self._predicates: dict[str, bool] = {}  # written form -> is_predicate, inside a sentence
        self._initial_predicates: dict[str, bool] = {}  # the same, opening a sentence
        self._report_kinds: dict[str, str] = {}  # written form -> "report", "epistemic" or ""
        self.chunker = Chunker(lexicon(lang))
        self.resolver = Resolver(lang)
        self.verbal_prefixes = tuple(d["verbal_prefixes"])
        self.active_prefixes = tuple(d["active_prefixes"])
        self.circumfixes = [tuple(x) for x in d["nominal_circumfixes"]]
        self.base_verbs = set(d["base_verbs"])
        self.light = set(d["light_predicates"])
        self.aux = set(d["aux_words"])
        self.np_stop = set(d["np_stop_words"])
        self.connectives = set(d["connectives"])
        self.report_nouns = set(d["report_nouns"])
        self.report = set(d["report_lemmas"])
        self.epistemic = set(d["epistemic_lemmas"])
        self.complementizers = set(d["complementizers"])
        self.negations = d["negations"]
        self.modal = d["modal_markers"]
        self.future = d["future_markers"]
        self.passive_agent = set(d["passive_agent"])
        self.destination_preps = set(d["destination_preps"])
        self.object_stops = set(d["object_stops"])
        self.not_predicate = set(d["non_predicates"]) | self.aux | self.np_stop | self.connectives | set(d["pronouns"])
        rlex = self.resolver.lex
        self.adjunct_preps = rlex.prepositions | (self.np_stop - self.complementizers - rlex.relatives)
        att = d["attribution"]
        self.preposed = re.compile(
            rf"^\W*(?:(?P<via>{_alternation(att['preposed_via'])})|{_alternation(att['preposed_source'])})\s+(?P<np>[^,;:]+?)\s*,", re.I
        )
        lead = r"(?:[,;]\s*[”\"’]?|[”\"’])\s*"
        self.postposed_via = re.compile(rf"{lead}(?:{_alternation(att['postposed_via'])})\s+", re.I)
        self.postposed = re.compile(rf"{lead}(?:{_alternation(att['postposed_source'])})\s+", re.I)
        self.stance_rules = [(r["stance"], re.compile(r"\b(?:" + "|".join(r["patterns"]) + r")\b", re.I)) for r in d["stance"]]
        # Matches wherever some rule does, so one search rules out most sentences. It runs on lowered ASCII
        # text, where a case-sensitive search finds what re.I finds as long as the patterns are lower case.
        alts = "|".join(p for r in d["stance"] for p in r["patterns"])
        self.stance_probe = re.compile(rf"\b(?:{alts})\b", 0 if alts == alts.lower() else re.I)
        self.teaser = re.compile(rf"^\W*(?:{_alternation(d['teaser_prefixes'])})", re.I)

    def is_predicate(self, tok: Token, initial: bool = False) -> bool:
        """A content verb or action noun: derived by a verbal affix or circumfix, or a known bare verb.
        Capitalised words are names unless they open the sentence. Asked of every token of every
        sentence many times over, so the answer per written form is kept."""
        cache = self._initial_predicates if initial else self._predicates
        found = cache.get(tok.text)
        if found is None:
            found = cache[tok.text] = self._is_predicate(tok.text, initial)
        return found

    def _is_predicate(self, text: str, initial: bool) -> bool:
        low = text.lower()
        if not text[0].isalpha() or (text[0].isupper() and not initial) or low in self.not_predicate:
            return False
        if low in self.base_verbs:
            return True
        lemma = self.lemma(low)
        if lemma == low or len(lemma) < 3:
            return False
        if low.startswith(self.verbal_prefixes):
            return True
        stem = low[:-3] if low.endswith("nya") else low
        return any(stem.startswith(p) and stem.endswith(s) for p, s in self.circumfixes)

    def is_passive(self, tok: Token) -> bool:
        low = tok.text.lower()
        return low.startswith(("di", "ter")) and self.lemma(low) != low

    def is_nominal(self, tok: Token) -> bool:
        low = tok.text.lower()
        return not low.startswith(self.verbal_prefixes) and low not in self.base_verbs

    def report_cues(self, toks: Sequence[Token]) -> list[int]:
        """Indices of the active speech verbs ("mengatakan") and the knowing verbs followed by "bahwa"
        ("mengetahui bahwa") among a sentence's tokens. Bare forms ("kata X") come after the content,
        where `postposed` finds them. Every token is asked, so the kind of each written form is kept."""
        kinds = self._report_kinds
        out = []
        for i, t in enumerate(toks):
            kind = kinds.get(t.text)
            if kind is None:
                kind = kinds[t.text] = self._report_kind(t.text)
            if kind == "report" or (kind == "epistemic" and i + 1 < len(toks) and toks[i + 1].text.lower() in self.complementizers):
                out.append(i)
        return out

    def _report_kind(self, text: str) -> str:
        """"report" for a speech verb, "epistemic" for a knowing verb, "" for any other word."""
        low = text.lower()
        if not text[0].islower() or not low.startswith(self.active_prefixes):
            return ""
        lemma = self.lemma(low)
        if lemma in self.report:
            return "report"
        return "epistemic" if lemma in self.epistemic else ""

    def opens_cue(self, tok: Token) -> bool:
        """Stance phrases credit the phrase before them when they open with an active verb or a negation
        ("menolak untuk mengkonfirmasi", "tidak memiliki konfirmasi"), not with a passive ("diperkirakan")."""
        low = tok.text.lower()
        return tok.text[0].islower() and (low.startswith(self.active_prefixes) or any(low == n.split()[0] for n in self.negations))


# --- sentence structure -------------------------------------------------------------------------


@dataclass
class Attribution:
    """A party a sentence (or part of it) is credited to; `order` runs outer (0) to inner."""

    start: int
    end: int
    text: str
    role: str  # source | via
    kind: str = "attribution"  # attribution | speaker
    mention: str | None = None
    pronoun: bool = False  # an unresolved pronoun: stands for the party outside it
    order: int = 0
    cue_end: int = -1  # inline cues: where the credited content starts


@dataclass
class SentenceView:
    """One sentence's tokens with its attribution structure."""

    start: int
    end: int
    toks: list[Token]
    attributions: list[Attribution] = field(default_factory=list)
    blocked: list[tuple[int, int]] = field(default_factory=list)  # attribution phrases, cue included
    cues: list[tuple[int, int]] = field(default_factory=list)  # inline cue words
    stance_cues: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, stance), rule order
    candidates: list[int] | None = None  # predicate token indices, found by the first frame that asks


class ClaimExtractor:
    """Per-article stage: fills `article.claims` (needs sentences, mentions, quantities, times, quotes)."""

    name = "claims"

    def __init__(self, lang: str = "id"):
        self.lang = lang
        self._lex: dict[str, Lexicon] = {lang: Lexicon(lang)}

    def lexicon(self, lang: str | None) -> Lexicon:
        key = lang or self.lang
        if key not in self._lex:
            self._lex[key] = Lexicon(key)
        return self._lex[key]

    def __call__(self, article: Article) -> Article:
        lex = self.lexicon(article.language)
        article.claims = []
        sentences = article.sentences or [Sentence(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", article.text)]
        teasers = [(c.start, c.end) for c in article.related_headlines]
        quantities = sorted((q for q in article.quantities if q.context == "body"), key=lambda q: q.cite.start)
        for sent in sentences:
            if lex.teaser.match(article.text[sent.start:sent.end]) or any(_overlaps(a, b, sent.start, sent.end) for a, b in teasers):
                continue
            view = _view(article, lex, sent)
            if view is None:
                continue
            qs = [q for q in quantities if view.start <= q.cite.start < view.end]
            frames = [_Frame(article, lex, view, q, _partition(qs, i, view)) for i, q in enumerate(qs)]
            if not qs and _asserting(article, view):
                frames.append(_Frame(article, lex, view, None, (view.start, view.end)))
            for frame in frames:
                claim = frame.claim(f"{article.id}:c{len(article.claims) + 1}")
                if claim is not None:
                    article.claims.append(claim)
        return article


def _partition(qs: list[Quantity], i: int, view: SentenceView) -> tuple[int, int]:
    """The part of the sentence that belongs to the i-th quantity: between its neighbours."""
    lo = qs[i - 1].cite.end if i else view.start
    hi = qs[i + 1].cite.start if i + 1 < len(qs) else view.end
    return lo, hi


def _asserting(article: Article, view: SentenceView) -> bool:
    """A sentence without numbers asserts when someone is credited with it or it is quoted."""
    return bool(view.attributions) or any(_overlaps(q.cite.start, q.cite.end, view.start, view.end) for q in article.quotes)


def _view(article: Article, lex: Lexicon, sent: Sentence) -> SentenceView | None:
    raw = article.text[sent.start:sent.end]
    start = sent.start + len(raw) - len(raw.lstrip())
    end = sent.start + len(raw.rstrip())
    if start >= end:
        return None
    text = article.text[start:end]
    view = SentenceView(start, end, tokens_between(article.text, start, end))
    m = lex.preposed.match(text)
    if m:
        role = "via" if m.group("via") else "source"
        view.attributions.append(_attribution(article, lex, start + m.start("np"), start + m.end("np"), role))
        view.blocked.append((start, start + m.end()))
    for rx, role in ((lex.postposed_via, "via"), (lex.postposed, "source")):
        for pm in rx.finditer(text):
            if _inside(start + pm.start(), view.blocked):
                continue
            k = _tok_index(view.toks, start + pm.end())
            span = lex.chunker.after(view.toks, k) if k is not None else None
            if span is None:
                continue
            a, b = view.toks[span[0]].start, view.toks[span[1] - 1].end
            view.attributions.append(_attribution(article, lex, a, b, role))
            view.blocked.append((start + pm.start(), b))
    _stance_cues(lex, article.text, view)
    _inline(article, lex, view)
    return view


def _attribution(article: Article, lex: Lexicon, a: int, b: int, role: str, **kw) -> Attribution:
    """An attribution phrase, trimmed, with the mention it refers to."""
    words = [t for t in tokens_between(article.text, a, b) if t.text[0].isalnum()]
    while words and (words[-1].text.lower() in lex.aux or words[-1].text.lower() in lex.resolver.lex.adverbs):
        words.pop()  # "Moskow dan Pyongyang sebelumnya"
    if not words:
        return Attribution(a, a, "", role, pronoun=True, **kw)
    a, b = words[0].start, words[-1].end
    res = lex.resolver.resolve(article, a, b)
    mention = res.mention
    if mention is None and res.kind == "description":
        mention = _by_leader(article, lex, a, b)
    text = mention.text if res.kind == "pronoun" and mention is not None else article.text[a:b]
    return Attribution(a, b, text, role, mention=mention.id if mention else None, pronoun=res.kind == "pronoun" and mention is None, **kw)


def _by_leader(article: Article, lex: Lexicon, a: int, b: int):
    """"pemimpin Ukraina", "presiden Korea Selatan": the last person named with that place in the
    words before the name, when the head noun itself is not among them."""
    rlex = lex.resolver.lex
    words = [t.text.casefold() for t in tokens_between(article.text, a, b) if t.is_word]
    n = rlex.head(words, rlex.person_heads)
    rest = [w for w in words[n:] if w not in rlex.demonstratives]
    if not n or not rest:
        return None
    return lex.resolver.by_description(article, rest, a, frozenset({"PER"}), ())


def _stance_cues(lex: Lexicon, text: str, view: SentenceView) -> None:
    """Every stance cue of the sentence, with attribution phrases masked so that "demikian yang
    dilaporkan X" is not read as a hedge."""
    parts, pos = [], view.start
    for a, b in sorted(view.blocked):
        a, b = max(a, pos), min(b, view.end)
        if a < b:
            parts += [text[pos:a], " " * (b - a)]
            pos = b
    masked = "".join(parts) + text[pos:view.end]
    if not masked.isascii() or lex.stance_probe.search(masked.lower()):
        view.stance_cues = [(m.start() + view.start, m.end() + view.start, st) for st, rx in lex.stance_rules for m in rx.finditer(masked)]


def _inline(article: Article, lex: Lexicon, view: SentenceView) -> None:
    """Speech verbs, knowing verbs with "bahwa", stance phrases and a bare "<Name> bahwa": each
    credits the phrase before it, which is inner to the ones before."""
    toks = view.toks
    cues: dict[int, int] = {}  # token index where a cue starts -> char end of the cue
    for i in lex.report_cues(toks):
        if not _inside(toks[i].start, view.blocked):
            cues[i] = toks[i].end
    for a, b, _ in view.stance_cues:
        i = _tok_index(toks, a)
        if i is not None and lex.opens_cue(toks[i]):
            cues[i] = max(cues.get(i, 0), b)
    for i, t in enumerate(toks):
        if t.text.lower() in lex.complementizers and not _inside(t.start, view.blocked):
            region = _region_start(lex, toks, i)
            bare = not any(lex.is_predicate(toks[k], k == 0) for k in range(region, i))
            named = any(toks[k].is_cap for k in range(region, i))
            if bare and named and not any(region <= c < i for c in cues):
                cues[i] = t.end
    if not cues:
        return
    times = [(t.cite.start, t.cite.end) for t in article.times if view.start <= t.cite.start < view.end]
    for order, i in enumerate(sorted(cues), start=1):
        view.cues.append((toks[i].start, cues[i]))
        lo = next((k + 1 for k in range(i - 1, -1, -1) if toks[k].text.lower() in lex.complementizers), 0)
        span = _np_before(lex, toks, i, lo, times) or lex.chunker.before(toks, i)
        if span is None or span[0] >= span[1]:
            continue
        a, b = toks[span[0]].start, toks[span[1] - 1].end
        view.attributions.append(_attribution(article, lex, a, b, "source", order=order, cue_end=cues[i]))


def _np_before(lex: Lexicon, toks: list[Token], i: int, lo: int, adjuncts: Sequence[tuple[int, int]] = ()) -> tuple[int, int] | None:
    """Token span [a, b) of the noun phrase right before the cue at `i`: over auxiliaries, a relative
    "yang", time expressions (`adjuncts`: "Sabtu (10/2) malam") and up to two prepositional adjuncts
    ("Zelenskyy | pada Oktober 2024 | mengatakan"). None when no plain noun phrase is there (a
    coordinated verb: "..., dan memperkirakan")."""
    rlex = lex.resolver.lex
    j = i - 1
    skips = 0
    while j >= lo:
        low = toks[j].text.lower()
        if low in lex.aux or low in rlex.adverbs or _inside(toks[j].start, adjuncts):
            j -= 1
            continue
        if low in rlex.relatives:
            j -= 1 + int(j - 1 >= lo and toks[j - 1].text == ",")
            continue
        end = j
        while j >= lo and _np_token(lex, toks, j):
            j -= 1
        if j >= lo and end > j and skips < 2 and toks[j].text.lower() in lex.adjunct_preps:
            j -= 1  # the run was a prepositional adjunct: keep walking back
            skips += 1
            continue
        first = j + 1
        while first <= end and not toks[first].text[0].isalnum():
            first += 1
        return (first, end + 1) if first <= end else None
    return None


def _np_token(lex: Lexicon, toks: list[Token], j: int) -> bool:
    """Whether toks[j] can sit inside a noun phrase: a non-verb word, the dot of a title ("Tn."),
    an inner hyphen ("mata-mata"), or "dan" between two names ("Moskow dan Pyongyang")."""
    t, rlex = toks[j], lex.resolver.lex
    low = t.text.lower()
    if t.text == ".":
        return j > 0 and toks[j - 1].end == t.start and len(toks[j - 1].text) <= 3
    if t.text == "-":
        return joined(toks, j)
    if low in rlex.coordinators and 0 < j < len(toks) - 1:
        return toks[j - 1].is_cap and toks[j + 1].is_cap
    if not t.text[0].isalnum() or low in lex.np_stop or low in lex.connectives or low in lex.aux:
        return False
    if (low in rlex.prepositions or low in rlex.np_stops) and not t.is_cap:
        return False
    return not lex.is_predicate(t)


# --- one frame ----------------------------------------------------------------------------------


class _Frame:
    """One claim from a sentence view and its anchor: a quantity, or (for sentences without numbers)
    the first predicate of the credited content."""

    def __init__(self, article: Article, lex: Lexicon, view: SentenceView, q: Quantity | None, scope: tuple[int, int]):
        self.article, self.lex, self.view, self.q, self.scope = article, lex, view, q, scope
        self.toks = view.toks

    def claim(self, cid: str) -> Claim | None:
        art, view, q = self.article, self.view, self.q
        anchor = q.cite.start if q else None
        chain = [a for a in view.attributions if a.cue_end < 0 or anchor is None or a.cue_end <= anchor]
        content_start = max((a.cue_end for a in chain if a.cue_end >= 0 and (anchor is None or a.cue_end <= anchor)), default=view.start)
        content_start = max([content_start] + [b for a, b in view.blocked if a == view.start])
        pred_i = self._predicate(content_start, anchor)
        if q is None and pred_i is None:
            return None
        if anchor is None:
            anchor = self.toks[pred_i].start
        quote = next((x for x in art.quotes if x.cite.start <= anchor < x.cite.end), None)
        src = _source(chain, quote)
        subj = self._subject(pred_i, content_start, anchor)
        return Claim(
            id=cid,
            predicate=self.lex.lemma(self.toks[pred_i].text) if pred_i is not None else "",
            stance=self._stance(pred_i, anchor),
            cite=art.cite(view.start, view.end),
            subject_text=subj[0] if subj else None,
            subject_mention=subj[1] if subj else None,
            object=self._object(pred_i),
            quantity=q.id if q else None,
            time=self._time(anchor, content_start),
            source_text=src.text if src else art.outlet,
            source_mention=src.mention if src else None,
            source_kind=src.kind if src else "outlet",
            via=self._via(chain, src, quote),
        )

    # -- predicate ------------------------------------------------------------------------------

    def _candidates(self) -> list[int]:
        """Token indices of possible predicates: outside attribution phrases and cues; an action noun
        only where it heads a phrase, not as a modifier ("fasilitas pelatihan"). They depend on the
        sentence alone, so the view keeps them for its other frames."""
        view = self.view
        if view.candidates is not None:
            return view.candidates
        skip = view.blocked + view.cues + [(a.start, a.end) for a in view.attributions]
        skip += [(a, b) for a, b, _ in view.stance_cues]
        toks, lex = self.toks, self.lex
        out = []
        for i, t in enumerate(toks):
            initial = i == 0 or toks[i - 1].text in _QUOTE_CHARS
            if not lex.is_predicate(t, initial) or _inside(t.start, skip):
                continue
            if lex.is_nominal(t) and i > 0 and not self._heads_phrase(i):
                continue
            out.append(i)
        view.candidates = out
        return out

    def _heads_phrase(self, i: int) -> bool:
        prev = self.toks[i - 1]
        low = prev.text.lower()
        return (
            not prev.text[0].isalnum()
            or low in self.lex.np_stop
            or low in self.lex.aux
            or low in self.lex.report_nouns
            or low in self.lex.connectives
            or _inside(prev.start, self.view.cues + [(a, b) for a, b, _ in self.view.stance_cues])
            or (self.lex.is_predicate(prev) and not self.lex.is_nominal(prev))
        )

    def _predicate(self, content_start: int, anchor: int | None) -> int | None:
        """The content predicate nearest the anchor: before it in its clause, else right after it in its
        clause, else before it in the credited content, else anywhere before it; light verbs ("ada",
        "mencapai") only as a last resort."""
        cands = self._candidates()
        heavy = [i for i in cands if self.lex.lemma(self.toks[i].text) not in self.lex.light]
        light = [i for i in cands if i not in heavy]
        if anchor is None:
            for pool in (heavy, light):
                after = [i for i in pool if self.toks[i].start >= content_start]
                if after:
                    return after[0]
            return (heavy or light or [None])[0]
        q_end = self.q.cite.end if self.q else anchor
        clause_start = max(content_start, self._clause_start(anchor))
        clause_end = self._clause_end(q_end)
        for pool in (heavy, light):
            in_clause = [i for i in pool if clause_start <= self.toks[i].start < anchor][-1:]
            after = [i for i in pool if q_end <= self.toks[i].start < clause_end][:1]
            before = [i for i in pool if content_start <= self.toks[i].start < anchor][-1:]
            anywhere = [i for i in pool if self.toks[i].start < anchor][-1:]
            for found in (in_clause, after, before, anywhere):
                if found:
                    return found[0]
        return next((i for i in light if anchor <= self.toks[i].start < q_end), None)  # "| mencapai 1,59 miliar ekor"

    def _clause_start(self, pos: int) -> int:
        return max((t.end for t in self.toks if t.end <= pos and t.text in _BOUNDARY), default=self.view.start)

    def _clause_end(self, pos: int) -> int:
        return next((t.start for t in self.toks if t.start >= pos and t.text in _BOUNDARY), self.view.end)

    # -- subject and object ---------------------------------------------------------------------

    def _entities(self, a: int, b: int) -> list[tuple[int, int, str, str | None]]:
        """(start, end, text, mention id) of named things in [a, b), outside attribution phrases;
        capitalised runs when the article has no mentions at all."""
        art = self.article
        if art.mentions:
            out = [(m.start, m.end, m.text, m.id) for m in art.mentions if a <= m.start and m.end <= b]
        else:
            out = _capitalised_runs(art.text, self.toks, a, b)
        return [e for e in out if not any(x.start <= e[0] < x.end for x in self.view.attributions)]

    def _subject(self, pred_i: int | None, content_start: int, anchor: int) -> tuple[str, str | None] | None:
        if pred_i is None:
            return self._owner(self.q.cite.end) if self.q else None
        pred = self.toks[pred_i]
        nominal = self.lex.is_nominal(pred)
        if not self.lex.is_passive(pred) and not nominal and (self.q is None or pred.start < anchor):
            lo = content_start if content_start <= pred.start else self.view.start
            ents = self._entities(lo, pred.start)
            if ents:
                return ents[-1][2], ents[-1][3]
            span = _np_before(self.lex, self.toks, pred_i, _tok_index(self.toks, lo) or 0)
            if span and not (self.q and _overlaps(self.toks[span[0]].start, self.toks[span[1] - 1].end, self.q.cite.start, self.q.cite.end)):
                text = self.article.text[self.toks[span[0]].start:self.toks[span[1] - 1].end]
                if text.lower() not in self.lex.not_predicate:  # a pronoun or a function word says nothing
                    return text, None
        agent = self._agent(pred_i)
        if agent:
            return agent
        owner = self._owner(pred.end if nominal and pred.start < anchor else (self.q.cite.end if self.q else pred.end))
        if owner:
            return owner
        ents = self._entities(self.view.start, pred.start)
        return (ents[-1][2], ents[-1][3]) if ents else None

    def _agent(self, pred_i: int) -> tuple[str, str | None] | None:
        """The agent of a passive: the name right after "oleh"."""
        for j in range(pred_i + 1, min(pred_i + 3, len(self.toks) - 1)):
            if self.toks[j].text.lower() in self.lex.passive_agent:
                nxt = self.toks[j + 1]
                ents = self._entities(nxt.start, self._clause_end(nxt.start))
                if ents and ents[0][0] == nxt.start:
                    return ents[0][2], ents[0][3]
        return None

    def _owner(self, pos: int) -> tuple[str, str | None] | None:
        """The named owner of a counted or acted-on noun: the first entity after `pos`, reached over
        lower-case nouns only ("10.000 tentara | Korea Utara", "pengerahan pasukan | Korea Utara")."""
        ents = self._entities(pos, self.view.end)
        if not ents:
            return None
        for t in self.toks:
            if t.start < pos:
                continue
            if t.start >= ents[0][0]:
                return ents[0][2], ents[0][3]
            low = t.text.lower()
            if not t.text[0].isalpha() or low in self.lex.np_stop or low in self.lex.destination_preps or low in self.lex.aux or self.lex.is_predicate(t):
                return None
        return None

    def _object(self, pred_i: int | None) -> str | None:
        """What the predicate acts on, with its destination: from the predicate (or the counted noun when
        the predicate follows it) to the end of the clause that holds the quantity."""
        q = self.q
        if pred_i is None:
            return q.cite.text if q else None
        pred = self.toks[pred_i]
        if q and pred.start >= q.cite.end:
            a, b = q.cite.start, pred.start
        else:
            a = pred.end
            b = self._object_end(a)
            if q and a <= q.cite.start and not any(a <= t.start < q.cite.start and t.text in _BOUNDARY for t in self.toks):
                b = self._object_end(q.cite.end)  # "mengirim empat brigade yang berjumlah 12.000 tentara"
        words = [t for t in self.toks if a <= t.start and t.end <= b]
        while words and (words[-1].text.lower() in self.lex.aux or words[-1].text.lower() in self.lex.np_stop or not words[-1].text[0].isalnum()):
            words.pop()
        while words and (words[0].text.lower() in self.lex.aux or not words[0].text[0].isalnum()):
            words.pop(0)
        if not words:
            return None
        out = self.article.text[words[0].start:words[-1].end]
        return out if len(out) <= 120 else out[:120].rsplit(" ", 1)[0]

    def _object_end(self, pos: int) -> int:
        stops = self.lex.object_stops
        return next((t.start for t in self.toks if t.start >= pos and (t.text in _BOUNDARY or t.text.lower() in stops)), self.view.end)

    # -- time, source, stance -------------------------------------------------------------------

    def _time(self, anchor: int, content_start: int) -> str | None:
        """The time expression of the sentence nearest the anchor, preferring the credited content."""
        times = [t for t in self.article.times if self.view.start <= t.cite.start < self.view.end]
        if not times:
            return None
        inside = [t for t in times if t.cite.start >= content_start] or times
        return min(inside, key=lambda t: abs(t.cite.start - anchor)).id

    def _via(self, chain: list[Attribution], src: Attribution | None, quote: Quote | None) -> list[str]:
        """Parties the claim came through: outer attributions, the quote's wires, else the article's wires."""
        out = [
            a.text
            for a in sorted(chain, key=lambda a: (a.order, a.start))
            if a is not src and not a.pronoun and (src is None or (a.text != src.text and (a.mention is None or a.mention != src.mention)))
        ]
        if quote is not None:
            out.extend(quote.via)
        if src is None:
            out.extend(self.article.wire_credits)
        return list(dict.fromkeys(out))

    def _stance(self, pred_i: int | None, anchor: int) -> str:
        """First stance cue in the claim's scope (up to the end of the anchor's clause), then a negated
        predicate (denied), then future or modal auxiliaries with a count (projected)."""
        lo, hi = self.scope
        if self.q is not None:
            hi = min(hi, self._clause_end(self.q.cite.end))
        for start, _, stance in self.view.stance_cues:
            if lo <= start < hi:
                return stance
        if pred_i is None:
            return "asserted"
        before = self._aux_window(pred_i)
        if any(before.endswith(" " + n) for n in self.lex.negations):
            return "denied"
        if self.q is not None and _has_phrase(before, self.lex.future):
            return "projected"
        if _has_phrase(before, self.lex.modal):
            return "projected" if self.q is not None and self.q.qualifier in ("<", "<=") else "hedged"
        return "asserted"

    def _aux_window(self, pred_i: int) -> str:
        """The auxiliaries right before the predicate ("pada akhirnya dapat"), lower case, space-led."""
        words: list[str] = []
        j = pred_i - 1
        while j >= 0 and len(words) < 5 and self.toks[j].text.lower() in self.lex.aux:
            words.insert(0, self.toks[j].text.lower())
            j -= 1
        return " " + " ".join(words)


def _source(chain: list[Attribution], quote: Quote | None) -> Attribution | None:
    """The innermost credited party. An unresolved pronoun stands for the party outside it; the
    quote stage's speaker is the outermost party of a quoted claim."""
    chain = list(chain)
    if quote is not None and quote.speaker_text:
        spk = quote.speaker_cite
        matched = [a for a in chain if spk is not None and _overlaps(a.start, a.end, spk.start, spk.end)]
        for a in matched:
            a.kind, a.mention, a.pronoun = "speaker", quote.speaker_mention or a.mention, False
        if not matched:
            s, e = (spk.start, spk.end) if spk else (quote.cite.start, quote.cite.start)
            chain.insert(0, Attribution(s, e, quote.speaker_text, "source", "speaker", quote.speaker_mention))
    sources = sorted((a for a in chain if a.role == "source"), key=lambda a: (a.order, a.start))
    named = [a for a in sources if not a.pronoun]
    return named[-1] if named else None


# --- helpers ------------------------------------------------------------------------------------


def _has_phrase(window: str, phrases: list[str]) -> bool:
    padded = window + " "
    return any(f" {p} " in padded for p in phrases)


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return bool(spans) and any(a <= pos < b for a, b in spans)


def _overlaps(a: int, b: int, c: int, d: int) -> bool:
    return a < d and c < b


def _tok_index(toks: list[Token], pos: int) -> int | None:
    """Index of the token at or after char `pos`."""
    return next((i for i, t in enumerate(toks) if t.end > pos), None)


def _region_start(lex: Lexicon, toks: list[Token], i: int) -> int:
    """Index of the first token after the last punctuation boundary or complementizer before `i`."""
    j = i - 1
    while j >= 0 and toks[j].text not in _BOUNDARY and toks[j].text.lower() not in lex.complementizers:
        j -= 1
    return j + 1


def _capitalised_runs(text: str, toks: list[Token], a: int, b: int) -> list[tuple[int, int, str, str | None]]:
    """Fallback names when no mentions exist: runs of capitalised words not opening the sentence."""
    runs: list[list[Token]] = []
    for k, t in enumerate(toks):
        if a <= t.start < b and t.text[0].isupper() and k > 0:
            if runs and runs[-1][-1] is toks[k - 1]:
                runs[-1].append(t)
            else:
                runs.append([t])
    return [(r[0].start, r[-1].end, text[r[0].start:r[-1].end], None) for r in runs]
