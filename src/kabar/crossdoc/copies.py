"""Wire copies and near-duplicate passages across articles.

Outlets reprint wire copy with light edits: a word swapped, a clause cut, a
paragraph split in two. So the unit compared is the sentence (or paragraph
when sentences are not split yet), as a set of word bigrams over normalised
text; MinHash signatures with LSH banding find candidate pairs without
comparing every sentence with every other, and the exact Jaccard decides.
Consecutive matched sentences merge into one passage, so a copied paragraph
is one `Copy`, whatever the two outlets did to its sentence breaks.

Knowing who copied whom matters downstream: five outlets repeating one wire
report are one source, not five (`independence_groups`).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from kabar.model import Article, Copy, Corpus, Sentence

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Case-folded word tokens, compatibility-normalised (curly quotes, ligatures, full-width forms)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def passages(article: Article) -> list[Sentence]:
    """The article's sentences, else its paragraphs, else its non-empty lines."""
    if article.sentences:
        return article.sentences
    if article.paragraphs:
        return article.paragraphs
    return [Sentence(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", article.text)]


def shingles(text: str, n: int = 2) -> set[int]:
    """Word n-grams hashed to 32 bits (crc32: stable across processes, unlike `hash`)."""
    toks = words(text)
    grams = (" ".join(toks[i:i + n]) for i in range(max(len(toks) - n + 1, 0)))
    return {zlib.crc32(g.encode("utf-8")) for g in grams}


class MinHasher:
    """MinHash signatures with `bands` x `rows` hash functions, for LSH banding.

    Function k hashes an item as splitmix64(item ^ seed_k): a strong mixer, so the minimum of each
    function is a random member of the set whatever the items look like. (The textbook family
    (a*x + b) mod p with 32-bit a and x picks the smallest item for every function when items are
    small consecutive integers such as term ids, and unrelated sets then collide.)"""

    def __init__(self, bands: int = 24, rows: int = 2, seed: int = 1):
        rng = np.random.default_rng(seed)
        self.bands, self.rows = bands, rows
        self.seeds = rng.integers(0, np.iinfo(np.uint64).max, size=bands * rows, dtype=np.uint64, endpoint=True)

    def signature(self, items: set[int]) -> np.ndarray:
        """The minimum of each hash function over `items` (non-negative integers below 2**64)."""
        h = np.fromiter(items, dtype=np.uint64, count=len(items))[:, None] ^ self.seeds[None, :]
        return _splitmix64(h).min(axis=0)

    def band_keys(self, sig: np.ndarray) -> list[bytes]:
        return [bytes([b]) + sig[b * self.rows:(b + 1) * self.rows].tobytes() for b in range(self.bands)]


def _splitmix64(z: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, element-wise (uint64 products wrap, as the algorithm intends)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def jaccard(x: set[int], y: set[int]) -> float:
    """|x ∩ y| / |x ∪ y|; 0 for an empty side."""
    return len(x & y) / len(x | y) if x and y else 0.0


class CopyDetector:
    """Corpus stage: fills `corpus.copies` with passages shared between articles."""

    name = "copies"

    def __init__(self, threshold: float = 0.35, min_shingles: int = 5, min_shared: int = 3, bands: int = 24, rows: int = 2):
        self.threshold = threshold
        self.min_shingles = min_shingles  # shorter units (datelines, bylines) match by accident
        self.min_shared = min_shared
        self.hasher = MinHasher(bands, rows)

    def __call__(self, corpus: Corpus) -> Corpus:
        corpus.copies = self.detect(corpus.articles)
        return corpus

    def passage_shingles(self, article: Article, spans: Sequence[Sentence]) -> list[tuple[int, set[int]]]:
        """(passage index, shingles) of the passages long enough to compare."""
        out = []
        for pi, p in enumerate(spans):
            sh = shingles(article.text[p.start:p.end])
            if len(sh) >= self.min_shingles:
                out.append((pi, sh))
        return out

    def band_keys(self, article: Article) -> set[bytes]:
        """The LSH band keys of all the article's passages: two articles are compared only when
        they share one. `detect` buckets by them; the Spark job joins on them."""
        return {k for _, sh in self.passage_shingles(article, passages(article)) for k in self.hasher.band_keys(self.hasher.signature(sh))}

    def detect(self, articles: Sequence[Article]) -> list[Copy]:
        units: list[tuple[int, int, set[int]]] = []  # (article index, passage index, shingles)
        spans = [passages(a) for a in articles]
        buckets: dict[bytes, list[int]] = defaultdict(list)
        for ai, art in enumerate(articles):
            for pi, sh in self.passage_shingles(art, spans[ai]):
                u = len(units)
                units.append((ai, pi, sh))
                for key in self.hasher.band_keys(self.hasher.signature(sh)):
                    buckets[key].append(u)

        # best match of each passage in each other article: (a, b) -> {pa: (pb, sim)}
        best: dict[tuple[int, int], dict[int, tuple[int, float]]] = defaultdict(dict)
        seen: set[tuple[int, int]] = set()
        for members in buckets.values():
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    u, v = members[x], members[y]
                    if (u, v) in seen or units[u][0] == units[v][0]:
                        continue
                    seen.add((u, v))
                    (ai, pi, su), (bi, qi, sv) = units[u], units[v]
                    if len(su & sv) < self.min_shared:
                        continue
                    sim = jaccard(su, sv)
                    if sim < self.threshold:
                        continue
                    if ai > bi:
                        ai, pi, bi, qi = bi, qi, ai, pi
                    prev = best[(ai, bi)].get(pi)
                    if prev is None or sim > prev[1]:
                        best[(ai, bi)][pi] = (qi, sim)

        copies: list[Copy] = []
        for (ai, bi), matches in sorted(best.items()):
            copies += self._runs(articles[ai], articles[bi], spans[ai], spans[bi], matches)
        return copies

    def _runs(self, a: Article, b: Article, pa: list[Sentence], pb: list[Sentence], matches: dict[int, tuple[int, float]]) -> list[Copy]:
        """Merge matches of consecutive passages (in both articles) into one copied stretch."""
        runs: list[list[tuple[int, int]]] = []
        for i in sorted(matches):
            j = matches[i][0]
            if runs and i == runs[-1][-1][0] + 1 and 0 <= j - runs[-1][-1][1] <= 1:
                runs[-1].append((i, j))
            else:
                runs.append([(i, j)])
        origin = _origin(a, b)
        out = []
        for run in runs:
            i0, i1 = run[0][0], run[-1][0]
            j0, j1 = run[0][1], run[-1][1]
            ca = a.cite(pa[i0].start, pa[i1].end)
            cb = b.cite(pb[j0].start, pb[j1].end)
            sim = jaccard(shingles(ca.text), shingles(cb.text)) if len(run) > 1 else matches[i0][1]
            out.append(Copy(a=ca, b=cb, similarity=round(sim, 4), origin=origin))
        return out


def _origin(a: Article, b: Article) -> str | None:
    """The wire both credit, else the one either credits."""
    fold = {w.casefold(): w for w in b.wire_credits}
    for w in a.wire_credits:
        if w.casefold() in fold:
            return w
    credits = a.wire_credits + b.wire_credits
    return credits[0] if credits else None


def independence_groups(corpus: Corpus, min_share: float = 0.2) -> dict[str, str]:
    """Article id -> group id ("g1", ...): articles that copy each other (copied text covers
    at least `min_share` of either one) or credit the same wire service share a group,
    so that agreement among them counts once. Reads `corpus.copies` (run CopyDetector first)."""
    ids = [a.id for a in corpus.articles]
    parent = {i: i for i in ids}
    order = {i: k for k, i in enumerate(ids)}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry, key=order.__getitem__)] = min(rx, ry, key=order.__getitem__)

    length = {a.id: max(len(a.text), 1) for a in corpus.articles}
    shared: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for c in corpus.copies:
        if c.a.article in parent and c.b.article in parent:
            tot = shared[(c.a.article, c.b.article)]
            tot[0] += c.a.end - c.a.start
            tot[1] += c.b.end - c.b.start
    for (x, y), (na, nb) in shared.items():
        if na / length[x] >= min_share or nb / length[y] >= min_share:
            union(x, y)
    by_wire: dict[str, str] = {}
    for a in corpus.articles:
        for w in a.wire_credits:
            key = w.casefold()
            if key in by_wire:
                union(by_wire[key], a.id)
            else:
                by_wire[key] = a.id
    names: dict[str, str] = {}
    return {i: names.setdefault(find(i), f"g{len(names) + 1}") for i in ids}
