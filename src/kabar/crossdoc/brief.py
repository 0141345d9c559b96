"""The brief: a few verbatim, cited sentences that tell each story.

Extractive on purpose: every sentence is quoted exactly from one article with
its span, so a reader can check it. A sentence earns its place by being
central to the story (TF-IDF cosine to the centroid of all candidate
sentences), by carrying what the reconciled slots are about, by reporting an
event (a date, a quote, a number), and by standing early in its article (news
puts the gist first). Maximal marginal relevance keeps the picks diverse, and a
sentence that near-duplicates one already chosen (the same wire text in two
outlets) is dropped. An opening sentence leads; the others follow in time order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kabar.crossdoc.copies import jaccard, passages, shingles, words
from kabar.crossdoc.stories import tfidf_matrix
from kabar.crossdoc.slots import slots_by_story, story_articles
from kabar.model import Article, BriefSentence, Corpus, Slot

MIN_WORDS = 6
MAX_WORDS = 80


@dataclass
class _Candidate:
    article: Article
    rank: int  # article's place in the story
    pos: int  # sentence's place among its article's candidates
    start: int
    end: int
    text: str
    score: float = 0.0
    day: str = ""


def _candidates(articles: Sequence[Article]) -> list[_Candidate]:
    """Body sentences of a readable length, trimmed of surrounding space; headlines of related
    stories are not the story's own."""
    out = []
    for rank, art in enumerate(articles):
        teasers = [(c.start, c.end) for c in art.related_headlines]
        title = (art.title or "").strip()
        pos = 0
        for s in passages(art):
            raw = art.text[s.start:s.end]
            start = s.start + len(raw) - len(raw.lstrip())
            end = s.end - (len(raw) - len(raw.rstrip()))
            text = art.text[start:end]
            n = len(words(text))
            if not MIN_WORDS <= n <= MAX_WORDS or text == title:
                continue
            if _overlaps(teasers, start, end):
                continue
            out.append(_Candidate(art, rank, pos, start, end, text, day=_day(art, start, end)))
            pos += 1
    return out


def _day(article: Article, start: int, end: int) -> str:
    """When the sentence's event happened: its own anchored date, else the article's date."""
    for t in article.times:
        if t.anchored and t.value and len(t.value) == 10 and start <= t.cite.start < end:
            return t.value
    return (article.published or "")[:10]


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _reads_alone(text: str) -> bool:
    """False for a piece of a longer quotation (its quote marks do not pair up)."""
    return text.count('"') % 2 == 0 and text.count("“") == text.count("”")


def _event_score(c: _Candidate) -> float:
    """Share of the event markers (time, quote, quantity) the sentence carries."""
    kinds = (c.article.times, c.article.quotes, c.article.quantities)
    return sum(_overlaps([(x.cite.start, x.cite.end) for x in xs], c.start, c.end) for xs in kinds) / len(kinds)


def _slot_weights(slots: Sequence[Slot], articles: Sequence[Article]) -> dict[str, float]:
    """Claim id -> how much its slot matters (share of the story's articles that report it)."""
    claim_article = {cl.id: a.id for a in articles for cl in a.claims}
    out: dict[str, float] = {}
    for slot in slots:
        members = [c for c in slot.claims if c in claim_article]
        if not members:
            continue
        weight = len({claim_article[c] for c in members}) / len(articles)
        weight += 0.5 if slot.status != "agreeing" else 0.0  # disagreements belong in a brief
        for c in members:
            out[c] = max(out.get(c, 0.0), weight)
    return out


class Ranker:
    """Scores and picks sentences; the weights were set on IndoSum development data (single
    articles) and the seeds (a story), see kabar.eval.summaries."""

    def __init__(
        self,
        centrality: float = 1.0,
        position: float = 4.0,
        events: float = 0.3,
        slots: float = 0.5,
        fragment: float = 0.5,
        diversity: float = 0.3,
        duplicate: float = 0.5,
    ):
        self.w_centrality, self.w_position, self.w_events, self.w_slots = centrality, position, events, slots
        self.w_fragment = fragment  # penalty for a sentence that is part of a longer quotation
        self.diversity = diversity  # MMR trade-off: share of the score given to novelty
        self.duplicate = duplicate  # bigram Jaccard from which two sentences say the same

    def pick(self, cands: list[_Candidate], n: int, claim_weights: dict[str, float] | None = None) -> list[_Candidate]:
        if not cands:
            return []
        X = tfidf_matrix([c.text for c in cands])
        centroid = np.asarray(X.sum(axis=0)).ravel()
        central = X @ centroid / max(float(np.linalg.norm(centroid)), 1e-9)
        central = central / max(float(central.max()), 1e-9)
        for k, c in enumerate(cands):
            slot = 0.0
            if claim_weights:
                slot = max((claim_weights.get(cl.id, 0.0) for cl in c.article.claims if c.start <= cl.cite.start < c.end), default=0.0)
            c.score = (
                self.w_centrality * float(central[k])
                + self.w_position / (1.0 + c.pos) ** 0.5
                + self.w_events * _event_score(c)
                + self.w_slots * slot
                - self.w_fragment * (not _reads_alone(c.text))
            )
        scores = np.array([c.score for c in cands])
        grams = [shingles(c.text) for c in cands]
        redundancy = np.zeros(len(cands))  # highest cosine to anything chosen so far
        open_ = np.ones(len(cands), dtype=bool)
        chosen: list[int] = []
        while open_.any() and len(chosen) < n:
            mmr = np.where(open_, (1 - self.diversity) * scores - self.diversity * redundancy, -np.inf)
            k = int(np.argmax(mmr))  # ties go to the earlier candidate
            open_[k] = False
            if any(jaccard(grams[k], grams[j]) >= self.duplicate for j in chosen):
                continue
            chosen.append(k)
            redundancy = np.maximum(redundancy, (X @ X[k].T).toarray().ravel())
        return [cands[k] for k in chosen]


def _as_brief(c: _Candidate) -> BriefSentence:
    cite = c.article.cite(c.start, c.end)
    return BriefSentence(text=cite.text, cite=cite)


def summarize_article(article: Article, n: int = 3, ranker: Ranker | None = None) -> list[BriefSentence]:
    """Single-document summary: the `n` best sentences in article order."""
    picks = (ranker or Ranker()).pick(_candidates([article]), n)
    return [_as_brief(c) for c in sorted(picks, key=lambda c: c.pos)]


class Briefer:
    """Corpus stage: fills `Story.brief` for every story (after slots, whose claims it favours)."""

    name = "brief"

    def __init__(self, ranker: Ranker | None = None, min_sentences: int = 4, max_sentences: int = 8, max_articles: int = 40):
        # a weaker lead bias than for one article: five ledes mostly say the same thing, while
        # the developments and disputed figures further down are what a story brief is for
        self.ranker = ranker or Ranker(position=1.0)
        self.min_sentences, self.max_sentences = min_sentences, max_sentences
        self.max_articles = max_articles  # a story of thousands of reprints is read through a sample

    def __call__(self, corpus: Corpus) -> Corpus:
        slots = slots_by_story(corpus)
        for story, articles in story_articles(corpus):
            if story is not None:
                story.brief = self.brief(articles, slots.get(story.id, []))
        return corpus

    def brief(self, articles: Sequence[Article], slots: Sequence[Slot] = ()) -> list[BriefSentence]:
        """The brief of one story from its articles (in corpus order) and its slots."""
        articles = _spread(list(articles), self.max_articles)
        n = min(self.max_sentences, max(self.min_sentences, 3 + len(articles)))
        weights = _slot_weights(slots, articles)
        picks = self.ranker.pick(_candidates(articles), n, weights)
        if not picks:
            return []
        # an article's opening sentence, written to stand alone, leads; the rest follow in time order
        lede = max(picks, key=lambda c: (c.pos == 0, c.score))
        rest = sorted((c for c in picks if c is not lede), key=lambda c: (_sortable(c.day), (c.article.published or "")[:10], c.rank, c.pos))
        return [_as_brief(c) for c in [lede, *rest]]


def _spread(items: list[Article], k: int) -> list[Article]:
    """At most k items, evenly spaced over the list, first and last included."""
    if len(items) <= k:
        return items
    return [items[round(i * (len(items) - 1) / (k - 1))] for i in range(k)]


def _sortable(day: str) -> str:
    """Undated sentences sort after dated ones: their place in time is unknown."""
    try:
        return dt.date.fromisoformat(day).isoformat()
    except ValueError:
        return "9999"
