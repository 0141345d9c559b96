"""Throughput and coverage of quantities and times against baselines, on IndoSum sentences.

    .venv/bin/python benchmarks/bench_numbers_times.py ../shared/data/summaries/indosum

Measured in one process on one core (pinned where the OS allows), as items per CPU second, so
that other work on a shared machine does not distort the figures:
- quantities: `find_quantities` vs a bare digit regex (the floor any number reader pays);
- times: `find_times` vs `dateparser.search.search_dates(languages=["id"])` on a sample
  (dateparser is too slow for every sentence), plus how many sample sentences each finds a time in;
- accuracy on the Indonesian time forms the project needs, ours vs dateparser (same anchor);
- articles/s of QuantityExtractor + TimeTagger on whole IndoSum articles (goal: all per-article
  stages together >= 50 articles/s/core).
IndoSum (Kurniawan and Louvan 2018, CC BY-SA 4.0) stores tokenised sentences; they are joined
back with the usual spacing rules. Prints a table, then one JSON line with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from kabar.model import Article
from kabar.nlp.quantities import QuantityExtractor, find_quantities
from kabar.nlp.times import TimeTagger, find_times

ANCHOR = dt.date(2024, 10, 30)
# (expression, expected value with ANCHOR as publication date): the forms of the brief.
GOLD = [
    ("15 Oktober 2024", "2024-10-15"), ("1 Oktober 2024", "2024-10-01"), ("November 2024", "2024-11"),
    ("Senin (28/10)", "2024-10-28"), ("Kamis (24/10)", "2024-10-24"), ("Rabu (30/10/2024) pukul 14.30 WIB", "2024-10-30T14:30"),
    ("pada hari Senin", "2024-10-28"), ("Jumat lalu", "2024-10-25"), ("pekan ini", "2024-10-28"), ("pekan lalu", "2024-10-21"),
    ("minggu lalu", "2024-10-21"), ("kemarin", "2024-10-29"), ("hari ini", "2024-10-30"), ("tiga hari lalu", "2024-10-27"),
    ("dua pekan lalu", "2024-10-14"), ("bulan lalu", "2024-09"), ("tahun lalu", "2023"), ("awal Oktober", "2024-10"),
    ("akhir Oktober", "2024-10"), ("sejak Oktober 2024", "2024-10"), ("pada tanggal 29 Oktober", "2024-10-29"),
    ("hari Minggu", "2024-10-27"), ("Senin lalu", "2024-10-28"), ("pada bulan Agustus", "2024-08"),
]
WEEK_FORMS = {"pekan ini", "pekan lalu", "minggu lalu", "dua pekan lalu"}

_DETOK = [(re.compile(r" ([,.;:!?%)\]])"), r"\1"), (re.compile(r"([(\[]) "), r"\1"), (re.compile(r"(\d) ([/.,]) (\d)"), r"\1\2\3")]


def detok(tokens: Sequence[str]) -> str:
    s = " ".join(tokens)
    for rx, rep in _DETOK:
        s = rx.sub(rep, s)
    return s


def load(path: Path) -> list[list[str]]:
    """Articles as lists of sentences, from every *.jsonl file of the IndoSum folder."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files:
        sys.exit(f"no .jsonl files under {path} (see its README.txt)")
    out = []
    for f in files:
        with f.open(encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                out.append([detok(s) for p in d["paragraphs"] for s in p])
    return out


def rate(fn: Callable[[str], object], items: Sequence[str]) -> float:
    """Items per CPU second of `fn` over `items` (CPU time: fair on a machine shared with others)."""
    t = time.process_time()
    for x in items:
        fn(x)
    return len(items) / (time.process_time() - t)


def dateparser_value(expr: str) -> dt.datetime | None:
    from dateparser.search import search_dates

    found = search_dates(expr, languages=["id"], settings={"RELATIVE_BASE": dt.datetime.combine(ANCHOR, dt.time()),
                                                          "PREFER_DATES_FROM": "past"})
    return found[0][1] if found else None


def dateparser_correct(expr: str, expected: str) -> bool:
    """dateparser returns a datetime: right when it falls inside the expected day/week/month/year."""
    got = dateparser_value(expr)
    if got is None:
        return False
    d = got.date()
    if "T" in expected:
        return got.strftime("%Y-%m-%dT%H:%M") == expected
    if expr in WEEK_FORMS:
        monday = dt.date.fromisoformat(expected)
        return monday <= d < monday + dt.timedelta(days=7)
    return d.isoformat().startswith(expected)


def ours_correct(expr: str, expected: str) -> bool:
    found = find_times(expr, ANCHOR)
    return bool(found) and found[0].value == expected


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("indosum", type=Path, help="IndoSum folder (../shared/data/summaries/indosum) or one .jsonl")
    ap.add_argument("--sample", type=int, default=300, help="sentences given to dateparser (slow)")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    articles = load(args.indosum)
    sentences = [s for a in articles for s in a]
    step = max(1, len(sentences) // args.sample)
    sample = sentences[::step][: args.sample]
    digits = re.compile(r"\d+(?:[.,]\d+)*")

    rows: list[tuple[str, str, str]] = []
    q_rate = rate(find_quantities, sentences)
    d_rate = rate(digits.findall, sentences)
    t_rate = rate(lambda s: find_times(s, ANCHOR), sentences)
    dp_rate = rate(dateparser_value, sample)
    ours_hit = sum(bool(find_times(s, ANCHOR)) for s in sample)
    dp_hit = sum(dateparser_value(s) is not None for s in sample)
    ours_gold = sum(ours_correct(e, v) for e, v in GOLD)
    dp_gold = sum(dateparser_correct(e, v) for e, v in GOLD)

    stages = [QuantityExtractor(), TimeTagger()]
    docs = [Article(id=f"a{i}", text="\n".join(a), language="id") for i, a in enumerate(articles)]
    t0 = time.process_time()
    n_q = n_t = 0
    for art in docs:
        for stage in stages:
            art = stage(art)
        n_q += len(art.quantities)
        n_t += len(art.times)
    art_rate = len(docs) / (time.process_time() - t0)

    rows += [
        ("quantities: find_quantities", f"{q_rate:,.0f} sent/s", f"{len(sentences):,} sentences"),
        ("  baseline: bare digit regex", f"{d_rate:,.0f} sent/s", ""),
        ("times: find_times", f"{t_rate:,.0f} sent/s", f"{len(sentences):,} sentences"),
        ("  baseline: dateparser search_dates", f"{dp_rate:,.1f} sent/s", f"{len(sample)} sampled sentences"),
        ("times found in sample: ours", f"{ours_hit}", f"of {len(sample)} sentences"),
        ("  dateparser", f"{dp_hit}", f"of {len(sample)} sentences"),
        ("gold time forms right: ours", f"{ours_gold}/{len(GOLD)}", "anchor 2024-10-30"),
        ("  dateparser", f"{dp_gold}/{len(GOLD)}", "day/week/month/year containment"),
        ("articles: quantities + times stages", f"{art_rate:,.0f} art/s", f"{len(docs):,} articles, {n_q:,} quantities, {n_t:,} times"),
    ]
    w = max(len(r[0]) for r in rows)
    for name, figure, note in rows:
        print(f"{name:<{w}}  {figure:>16}  {note}")
    print(json.dumps({
        "sentences": len(sentences), "articles": len(docs),
        "quantities_sent_per_s": round(q_rate), "digit_regex_sent_per_s": round(d_rate),
        "times_sent_per_s": round(t_rate), "dateparser_sent_per_s": round(dp_rate, 1), "dateparser_sample": len(sample),
        "sample_hits_ours": ours_hit, "sample_hits_dateparser": dp_hit,
        "gold_ours": ours_gold, "gold_dateparser": dp_gold, "gold_total": len(GOLD),
        "stages_articles_per_s": round(art_rate), "quantities_found": n_q, "times_found": n_t,
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
