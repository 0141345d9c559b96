"""`kabar eval clusters FILE`: story clustering against gold story labels.

Items are JSONL (`text`, or `title` + `text`; gold `cluster`; optional
`published`). The clusterer is NOT told how many stories there are: that is
the real task (a stream of news has no known k). Scores: NMI, ARI, B-cubed F1,
and accuracy under the best one-to-one matching of found to gold clusters
(Hungarian), the figure short-text clustering papers report.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from kabar.model import Article, Corpus


def _contingency(gold: Sequence[Any], pred: Sequence[Any]) -> np.ndarray:
    _, g = np.unique(np.asarray(gold, dtype=object).astype(str), return_inverse=True)
    _, p = np.unique(np.asarray(pred, dtype=object).astype(str), return_inverse=True)
    return coo_matrix((np.ones(len(g)), (g, p))).toarray()


def bcubed_f1(gold: Sequence[Any], pred: Sequence[Any]) -> float:
    """B-cubed F1 (Bagga and Baldwin): per-item precision and recall of its cluster, averaged."""
    if not len(gold):
        return 0.0
    c = _contingency(gold, pred)
    n = c.sum()
    precision = float((c**2 / c.sum(axis=0, keepdims=True)).sum() / n)
    recall = float((c**2 / c.sum(axis=1, keepdims=True)).sum() / n)
    return 2 * precision * recall / (precision + recall)


def accuracy(gold: Sequence[Any], pred: Sequence[Any]) -> float:
    """Share of items in the best one-to-one pairing of found and gold clusters."""
    if not len(gold):
        return 0.0
    c = _contingency(gold, pred)
    rows, cols = linear_sum_assignment(c, maximize=True)
    return float(c[rows, cols].sum() / c.sum())


def scores(gold: Sequence[Any], pred: Sequence[Any]) -> dict[str, float]:
    gold_s = [str(x) for x in gold]
    pred_s = [str(x) for x in pred]
    return {
        "nmi": float(normalized_mutual_info_score(gold_s, pred_s)),
        "ari": float(adjusted_rand_score(gold_s, pred_s)),
        "bcubed_f1": bcubed_f1(gold_s, pred_s),
        "accuracy": accuracy(gold_s, pred_s),
        "clusters": len(set(pred_s)),
        "gold_clusters": len(set(gold_s)),
    }


def read_items(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def items_to_corpus(items: Sequence[dict[str, Any]]) -> Corpus:
    """Gold items as bare articles (no NLP stages: the clusterer copes without them)."""
    arts = [
        Article(id=f"x{i}", text=str(it.get("text", "")), title=it.get("title"), published=it.get("published"))
        for i, it in enumerate(items)
    ]
    return Corpus(articles=arts)


def evaluate(
    path: str | Path,
    method: str = "stream",
    embed: bool = False,
    cache_dir: str | Path | None = None,
    threshold: float | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Cluster the items of `path` with `method` ("stream": StoryClusterer; "batch": average-link
    agglomerative, the quadratic reference) and score against gold. `threshold` overrides the
    method's default (a similarity for stream, a distance for batch). With `embed`, e5 vectors
    are cached under `cache_dir` (default: the user cache), so a second run costs seconds."""
    from kabar.crossdoc.embed import Embedder, default_cache_dir
    from kabar.crossdoc.stories import StoryClusterer, batch_cluster

    items = read_items(path)[:limit] if limit else read_items(path)
    gold = [it["cluster"] for it in items]
    corpus = items_to_corpus(items)
    embedder = Embedder(cache_dir=cache_dir or default_cache_dir()) if embed else None
    t0 = time.perf_counter()
    if method == "stream":
        corpus = StoryClusterer(embed=embed, embedder=embedder, threshold=threshold)(corpus)
        label = {aid: s.id for s in corpus.stories for aid in s.articles}
        pred = [label[a.id] for a in corpus.articles]
    elif method == "batch":
        pred = list(batch_cluster(corpus.articles, embedder=embedder, threshold=threshold))
    else:
        raise ValueError(f"unknown method {method!r}: stream | batch")
    seconds = time.perf_counter() - t0
    return {
        "file": str(path),
        "method": method,
        "embed": embed,
        "items": len(items),
        **scores(gold, pred),
        "seconds": round(seconds, 2),
    }


def render(result: dict[str, Any]) -> str:
    """A table, then the figures as one JSON object on the last line."""
    rows = [(k, f"{v:.4f}" if isinstance(v, float) else str(v)) for k, v in result.items()]
    width = max(len(k) for k, _ in rows)
    lines = [f"{k.ljust(width)}  {v}" for k, v in rows]
    return "\n".join(lines + [json.dumps(result, ensure_ascii=False)])
