"""Quote and speaker benchmark on a PFSA-ID-format file (CC BY-NC-SA: evaluation only).

    python benchmarks/bench_quotes.py ../shared/data/quotes/pfsa-id/dev-40.txt [--limit N] [--no-entities]

Scores, in this run and on the same rebuilt text, sentences and mentions:
  baseline  every quoted span of three words or more is a quote, said by the first
            capitalised run after its closing mark in the same sentence (no cues, no coreference)
  kabar     kabar.nlp.quotes.QuoteExtractor
with `kabar.eval.quotes` (statement exact/overlap P/R/F1, statement-speaker F1, attribution
accuracy, pronoun resolution) and the time per article spent in the quote stage. The corpus
paper's baseline F-score (82.0, a tagging F over all labels) is printed for orientation.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence

from kabar.eval.quotes import BASELINE_F, evaluate
from kabar.model import Article, Quote

_QUOTED = re.compile(r"[“”\"]([^“”\"]{3,}?)[“”\"]")
_NAME = re.compile(r"[,\s]*(?:[a-z]+\s+)?((?:[A-Z][\w.-]*\s?)+)")


class NaiveQuotes:
    """The baseline: quotation marks only, speaker = capitalised words right after the closing mark."""

    name = "baseline"

    def __call__(self, article: Article) -> Article:
        quotes = []
        for m in _QUOTED.finditer(article.text):
            start, end = m.span(1)
            if len(m.group(1).split()) < 3:
                continue
            q = Quote(id=f"{article.id}:q{len(quotes) + 1}", text=m.group(1), kind="direct", cite=article.cite(start, end))
            sent = article.sentence_at(m.end() - 1)
            tail = article.text[m.end() : sent.end if sent else m.end() + 80]
            name = _NAME.match(tail)
            if name:
                a = m.end() + name.start(1)
                q.speaker_cite = article.cite(a, a + len(name.group(1).rstrip()))
                q.speaker_text = q.speaker_cite.text
            quotes.append(q)
        article.quotes = quotes
        return article


def _row(name: str, r: dict) -> str:
    return (
        f"{name:<10}{r['statement_exact']['f1']:>8.1f}{r['statement_overlap']['f1']:>9.1f}"
        f"{r['statement_speaker']['precision']:>8.1f}{r['statement_speaker']['recall']:>8.1f}{r['statement_speaker']['f1']:>8.1f}"
        f"{r['attribution_accuracy']:>8.1f}{(r['pronoun_resolution'] or 0.0):>8.1f}{r['ms_per_article']['quotes']:>9.2f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--no-entities", action="store_true", help="skip the entity recogniser")
    args = ap.parse_args(argv)
    entities = not args.no_entities
    results = {
        "baseline": evaluate(args.path, args.limit, entities=entities, extractor=NaiveQuotes()),
        "kabar": evaluate(args.path, args.limit, entities=entities),
    }
    print(f"{results['kabar']['articles']} articles; stages before quotes: {', '.join(results['kabar']['stages'][:-1])}")
    print(f"{'system':<10}{'exactF1':>8}{'overlapF1':>9}{'spk P':>8}{'spk R':>8}{'spk F1':>8}{'acc':>8}{'pron':>8}{'ms/art':>9}")
    for name, r in results.items():
        print(_row(name, r))
    print(f"corpus paper baseline F (all labels): {BASELINE_F}")
    print(json.dumps({name: {k: r[k] for k in ("statement_speaker", "statement_overlap", "attribution_accuracy",
                                                 "pronoun_resolution", "ms_per_article")} for name, r in results.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
