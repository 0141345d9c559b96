"""Extractive summaries on IndoSum: ROUGE against the gold summaries and speed,
next to the lead-3 baseline computed in the same run.

  kabar      summarize_article(article, n=3): centrality + lead position + MMR
  lead3      the first three sentences (strong on news: writers put the gist first)
  brief      Briefer over pseudo-stories of --story-size consecutive articles
             (throughput of the multi-document path only; IndoSum has no story gold)

  .venv/bin/python benchmarks/bench_summaries.py ../shared/data/summaries/indosum
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from kabar.crossdoc.brief import Briefer, summarize_article
from kabar.eval.summaries import indosum_article, rouge
from kabar.model import Corpus, Story


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("indosum", type=Path, help="folder of IndoSum *.jsonl")
    ap.add_argument("--limit", type=int, default=None, help="articles to use (default: all)")
    ap.add_argument("--story-size", type=int, default=5)
    args = ap.parse_args()

    pairs = [indosum_article(json.loads(line)) for path in sorted(args.indosum.glob("*.jsonl")) for line in path.open()]
    pairs = pairs[: args.limit] if args.limit else pairs
    articles = [a for a, _ in pairs]

    t0 = time.perf_counter()
    ours = [" ".join(b.text for b in summarize_article(a, n=3)) for a in articles]
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    lead = [" ".join(a.text[s.start:s.end] for s in a.sentences[:3]) for a in articles]
    t_lead = time.perf_counter() - t0

    corpus = Corpus(articles=articles)
    size = args.story_size
    corpus.stories = [
        Story(id=f"st{k + 1}", title="", articles=[a.id for a in articles[i:i + size]]) for k, i in enumerate(range(0, len(articles), size))
    ]
    t0 = time.perf_counter()
    Briefer()(corpus)
    t_brief = time.perf_counter() - t0

    rows = {}
    for name, outs, secs in (("kabar", ours, t_ours), ("lead3", lead, t_lead)):
        scored = [rouge(o, g) for o, (_, g) in zip(outs, pairs)]
        rows[name] = {k: round(100 * sum(r[k] for r in scored) / len(scored), 2) for k in ("rouge1", "rouge2", "rougeL")}
        rows[name]["articles_per_s"] = round(len(articles) / max(secs, 1e-9), 1)
    rows["brief"] = {"stories": len(corpus.stories), "stories_per_s": round(len(corpus.stories) / max(t_brief, 1e-9), 1)}
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    print(f"IndoSum {args.indosum}: {len(articles)} articles (ROUGE F1 x100, whitespace tokens, case-folded)")
    print(f"{'system':<7} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'articles/s':>11}")
    for name in ("kabar", "lead3"):
        r = rows[name]
        print(f"{name:<7} {r['rouge1']:>6} {r['rouge2']:>6} {r['rougeL']:>6} {r['articles_per_s']:>11}")
    print(f"brief   {rows['brief']['stories']} stories of {size} articles: {rows['brief']['stories_per_s']} stories/s; peak RSS {peak} MB")
    print(json.dumps({"articles": len(articles), **rows, "peak_rss_mb": peak}))


if __name__ == "__main__":
    main()
