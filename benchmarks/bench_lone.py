"""Lone articles: what the story clusterer does with articles that belong to no story.

    python benchmarks/bench_lone.py ../shared/data/clustering/googlenews/TS.jsonl ../shared/data/summaries/indosum [--no-embed]

GoogleNews has no story of fewer than three items, so it rewards joining. Here its items are
mixed with IndoSum's articles (their first 1,500 characters), each counted as a story of its own,
in one seeded shuffled stream, each item carrying its language as ingest would identify it. IndoSum gathers articles of ten outlets over two years, so few of them share an
event: the share left alone is a lower bound on what should be. Printed for the default clusterer
and, as the baseline in the same run, without its second look at lone items: accuracy and NMI on
the GoogleNews items, and how many IndoSum articles end alone. Embeddings are cached in the user
cache, so only the first run pays for them.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path


def build_items(googlenews: Path, indosum: Path, seed: int = 7) -> list[dict]:
    from kabar.eval.summaries import indosum_article

    items = [{"text": json.loads(line)["text"], "cluster": f"gn{json.loads(line)['cluster']}", "language": "en"}
             for line in googlenews.open()]
    for path in sorted(indosum.glob("*.jsonl")):
        for line in path.open():
            art, _ = indosum_article(json.loads(line))
            items.append({"text": art.text[:1500], "cluster": f"is:{len(items)}", "language": "id"})
    random.Random(seed).shuffle(items)
    return items


def measure(items: list[dict], embed: bool, absorb: bool) -> dict:
    from kabar.crossdoc.embed import Embedder, default_cache_dir
    from kabar.crossdoc.stories import StoryClusterer
    from kabar.eval.clusters import items_to_corpus, scores

    embedder = Embedder(cache_dir=default_cache_dir()) if embed else None
    articles = items_to_corpus(items).articles
    for art, it in zip(articles, items):
        art.language = it["language"]  # what ingest's language identification gives each
    labels = StoryClusterer(embed=embed, embedder=embedder, absorb=absorb).assign(articles)
    size = Counter(labels)
    gn = [(it["cluster"], lab) for it, lab in zip(items, labels) if it["cluster"].startswith("gn")]
    lone = [lab for it, lab in zip(items, labels) if it["cluster"].startswith("is:")]
    quality = scores([g for g, _ in gn], [p for _, p in gn])
    return {
        "second_look": absorb,
        "gn_accuracy": round(quality["accuracy"], 4),
        "gn_nmi": round(quality["nmi"], 4),
        "indosum_articles": len(lone),
        "indosum_alone": sum(1 for lab in lone if size[lab] == 1),
        "stories": len(size),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("googlenews", type=Path, help="GoogleNews TS.jsonl (or T, S)")
    ap.add_argument("indosum", type=Path, help="folder of IndoSum *.jsonl")
    ap.add_argument("--no-embed", dest="embed", action="store_false", help="TF-IDF only")
    args = ap.parse_args()

    items = build_items(args.googlenews, args.indosum)
    rows = [measure(items, args.embed, absorb) for absorb in (False, True)]
    print(f"{'second look':<12} {'GN acc':>7} {'GN NMI':>7} {'IndoSum alone':>14} {'stories':>8}")
    for r in rows:
        print(f"{str(r['second_look']):<12} {r['gn_accuracy']:>7} {r['gn_nmi']:>7} "
              f"{str(r['indosum_alone']) + ' / ' + str(r['indosum_articles']):>14} {r['stories']:>8}")
    print(json.dumps({"embed": args.embed, "rows": rows}))


if __name__ == "__main__":
    main()
