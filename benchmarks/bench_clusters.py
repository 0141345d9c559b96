"""Story clustering at scale: 100,000 articles, time and peak memory.

Real texts (GoogleNews-TS items and IndoSum articles) are replicated with light
perturbation (words dropped and swapped, seeded) up to --n items and shuffled
into one stream. Measured, each in a fresh process so peak RSS is its own:

  stream tfidf   StoryClusterer(embed=False) on all --n items
  stream e5      StoryClusterer(embed=True) on --embed-sample items (default: all --n).
                 Embedding is the cost, and only texts without a lexical twin (an
                 earlier text at TF-IDF cosine >= 0.8) are embedded: the row says how
                 many, since that share, not n, sets the time
  baselines      naive all-pairs on --pairs-sample items, extrapolated as n^2:
                 the stream clusterer without blocking (every story compared), and
                 average-link agglomerative clustering (the batch reference)

Quality is scored on the GoogleNews items (their gold stories) inside each run.

  .venv/bin/python benchmarks/bench_clusters.py ../shared/data/clustering/googlenews/TS.jsonl \
      ../shared/data/summaries/indosum --n 100000
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import resource
import time
from pathlib import Path


def build_items(googlenews: Path, indosum: Path, n: int, seed: int = 7) -> list[dict]:
    """Originals first, then perturbed replicas (a replica keeps its original's story), shuffled."""
    from kabar.eval.datasets import reworded
    from kabar.eval.summaries import indosum_article

    base = [{"text": json.loads(line)["text"], "cluster": f"gn{json.loads(line)['cluster']}"} for line in googlenews.open()]
    for path in sorted(indosum.glob("*.jsonl")):
        for line in path.open():
            art, _ = indosum_article(json.loads(line))
            base.append({"text": art.text[:1500], "cluster": f"is:{art.id}"})
    rng = random.Random(seed)
    items = list(base)
    while len(items) < n:
        src = base[rng.randrange(len(base))]
        items.append({"text": reworded(src["text"], rng), "cluster": src["cluster"]})
    items = items[:n]
    rng.shuffle(items)
    return items


def _run(kind: str, items: list[dict], opts: dict) -> dict:
    """One measurement in this (fresh) process: seconds, peak RSS, stories, NMI on GoogleNews items."""
    from kabar.crossdoc.embed import Embedder
    from kabar.crossdoc.stories import StoryClusterer, batch_cluster
    from kabar.eval.clusters import items_to_corpus, scores

    arts = items_to_corpus(items).articles
    t0 = time.perf_counter()
    if kind == "batch":
        labels = list(batch_cluster(arts, threshold=opts["batch_threshold"]))
    else:
        embedder = Embedder(cache_dir=opts.get("cache_dir")) if kind == "e5" else None
        kw = {"candidates": 10**9, "postings_cap": 10**9, "top_terms": 10**6, "recent": 0} if kind == "allpairs" else {}
        labels = StoryClusterer(embed=kind == "e5", embedder=embedder, **kw).assign(arts)
    seconds = time.perf_counter() - t0
    embedded = 0
    if kind == "e5":  # counted outside the timing: the texts that had no twin to lean on
        from kabar.crossdoc.embed import article_text
        from kabar.crossdoc.stories import LEXICAL_CHARS, TWIN_COSINE, lexical_twins, tfidf_matrix

        embedded = len(set(lexical_twins(tfidf_matrix([article_text(a, LEXICAL_CHARS) for a in arts]), TWIN_COSINE).tolist()))
    gn = [(it["cluster"], lab) for it, lab in zip(items, labels) if it["cluster"].startswith("gn")]
    quality = scores([g for g, _ in gn], [p for _, p in gn]) if gn else {}
    return {
        "kind": kind,
        "items": len(items),
        "seconds": round(seconds, 2),
        "items_per_s": round(len(items) / max(seconds, 1e-9), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "stories": len(set(labels)),
        "embedded": embedded,
        "nmi_gn": round(quality.get("nmi", float("nan")), 4),
    }


def measure(kind: str, items: list[dict], opts: dict) -> dict:
    with mp.get_context("spawn").Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(_run, (kind, items, opts))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("googlenews", type=Path, help="GoogleNews TS.jsonl")
    ap.add_argument("indosum", type=Path, help="folder of IndoSum *.jsonl")
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--embed-sample", type=int, default=None, help="items for the e5 run (default: all --n)")
    ap.add_argument("--pairs-sample", type=int, default=4000)
    ap.add_argument("--batch-threshold", type=float, default=0.8)
    ap.add_argument("--cache-dir", default=None, help="embedding cache (default: none, so embedding is timed)")
    ap.add_argument("--skip", nargs="*", default=[], help="kinds to skip: tfidf e5 allpairs batch")
    args = ap.parse_args()

    items = build_items(args.googlenews, args.indosum, args.n)
    opts = {"batch_threshold": args.batch_threshold, "cache_dir": args.cache_dir}
    rows = []
    plan = [("tfidf", args.n), ("e5", args.embed_sample or args.n), ("tfidf", args.pairs_sample), ("allpairs", args.pairs_sample), ("batch", args.pairs_sample)]
    for kind, size in plan:
        if kind in args.skip:
            continue
        row = measure(kind, items[:size], opts)
        scale = args.n / size
        exponent = 2 if kind in ("allpairs", "batch") else 1
        row["extrapolated_s_at_n"] = round(row["seconds"] * scale**exponent, 1)
        rows.append(row)
        print(json.dumps(row), flush=True)

    print(f"\n{'kind':<9} {'items':>7} {'embedded':>8} {'seconds':>9} {'items/s':>9} {'peak MB':>8} {'stories':>8} {'NMI(GN)':>8} {'s at n=' + str(args.n):>12}")
    for r in rows:
        print(f"{r['kind']:<9} {r['items']:>7} {r['embedded']:>8} {r['seconds']:>9} {r['items_per_s']:>9} {r['peak_rss_mb']:>8} {r['stories']:>8} {r['nmi_gn']:>8} {r['extrapolated_s_at_n']:>12}")
    print(json.dumps({"n": args.n, "rows": rows}))


if __name__ == "__main__":
    main()
