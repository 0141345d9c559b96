"""Ingestion benchmark: throughput on IndoSum, sentence boundaries, HTML main-text P/R/F1.

    python benchmarks/bench_ingest.py --indosum ../shared/data/summaries/indosum \
        --html ../shared/data/html/scrapinghub [--limit N]

(a) IndoSum (Kurniawan and Louvan 2018, CC BY-SA 4.0): each article is rebuilt as pasted text
    (one paragraph a line, "Baca juga" teasers and all) and fed through `read_bytes` (format
    sniffing, decoding, cleaning, language id) and `split_sentences`, on one pinned core.
    Baseline in the same run: decode + naive regex sentence split. IndoSum's own sentence
    lists also give a sentence-boundary P/R/F1 for our splitter against that regex.
(b) Scrapinghub article-extraction benchmark (MIT): our HTML reader (trafilatura + cleaner)
    against trafilatura alone and against all visible text of the page, scored as that
    benchmark scores: per-page TP/FP/FN over word-token shingles, normalised per page,
    precision and recall averaged over pages, F1 of the averages. n=4 shingles is the
    benchmark's own setting (published trafilatura figure 0.958); n=1 is a plain bag of words.
Prints tables, then the figures as one JSON object on the last line.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

from kabar.ingest import IngestFailure, read_bytes  # noqa: E402
from kabar.ingest.clean import Cleaner  # noqa: E402
from kabar.ingest.html import visible_text  # noqa: E402
from kabar.ingest.langid import identify  # noqa: E402
from kabar.nlp.sentences import abbreviations, split_sentences  # noqa: E402

_ATTACH_LEFT = {",", ".", "!", "?", ";", ":", ")", "]", "%", "”", "’", "/"}
_ATTACH_RIGHT = {"(", "[", "“", "‘", "/"}
_NAIVE_SPLIT = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“(]?[A-Z0-9])")
_TOKEN = re.compile(r"\w+", re.UNICODE)
_LAST_TOKEN = re.compile(r"(?:^|\s)[(\"“]?([^\s]+?)\.$")


# --- IndoSum ----------------------------------------------------------------------------


def detokenize(tokens: list[str]) -> str:
    """IndoSum's tokens back to running text ('Senin ( 27 / 3 ) .' -> 'Senin (27/3).')."""
    out = ""
    quote_open = False
    for tok in tokens:
        if tok == '"':
            out += tok if quote_open or not out else " " + tok  # a closing quote hugs the word before
            quote_open = not quote_open
        elif not out or tok in _ATTACH_LEFT or out[-1] in _ATTACH_RIGHT or (quote_open and out[-1] == '"'):
            out += tok
        else:
            out += " " + tok
    return out


def load_indosum(folder: Path, limit: int | None) -> list[dict]:
    """Articles as {'text': pasted text, 'paragraphs': [[sentence, ...], ...]}."""
    items = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            paragraphs = [[detokenize(s) for s in para] for para in doc["paragraphs"]]
            items.append({"text": "\n".join(" ".join(p) for p in paragraphs), "paragraphs": paragraphs})
            if limit and len(items) >= limit:
                return items
    return items


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _artifact(text: str, pos: int) -> bool:
    """A boundary IndoSum's tokenizer put after a list number or an abbreviation ('1.', 'Rp.', 'Sdr.')."""
    m = _LAST_TOKEN.search(text, 0, pos)
    return bool(m) and (m.group(1).isdigit() or m.group(1).lower() + "." in abbreviations("id").plain)


def boundary_prf(docs: list[dict], split: Callable[[str], list[tuple[int, int]]], skip_artifacts: bool = False) -> dict[str, float]:
    """Sentence-boundary P/R/F1 against IndoSum's sentence lists, paragraph by paragraph;
    `skip_artifacts` leaves out, for every system alike, positions after a list number or abbreviation."""
    tp = fp = fn = 0
    for doc in docs:
        for para in doc["paragraphs"]:
            text, gold, pos = " ".join(para), set(), 0
            for s in para[:-1]:
                pos += len(s)
                gold.add(pos)
                pos += 1
            pred = {end for _, end in split(text)[:-1]}
            if skip_artifacts:
                gold = {g for g in gold if not _artifact(text, g)}
                pred = {p for p in pred if not _artifact(text, p)}
            tp += len(gold & pred)
            fp += len(pred - gold)
            fn += len(gold - pred)
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return {"precision": p, "recall": r, "f1": 2 * p * r / max(1e-9, p + r)}


def ours(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in split_sentences(text)]


def naive(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _NAIVE_SPLIT.finditer(text):
        spans.append((start, m.start() + len(m.group(0).rstrip())))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def bench_indosum(folder: Path, limit: int | None) -> dict:
    docs = load_indosum(folder, limit)
    blobs = [d["text"].encode("utf-8") for d in docs]
    n = len(docs)
    results: list = []
    failures = []

    def full() -> None:
        results.clear()
        for i, blob in enumerate(blobs):
            try:
                (article,) = read_bytes(blob, f"indosum:{i}")
            except IngestFailure as exc:
                failures.append(exc.reason)
                continue
            article.sentences = split_sentences(article.text, article.language or "id")
            results.append(article)

    def baseline() -> None:
        for blob in blobs:
            text = blob.decode("utf-8")
            for para in text.split("\n"):
                naive(para)

    cleaner = Cleaner()
    texts = [d["text"] for d in docs]
    read_bytes(blobs[0], "warm-up")  # models and patterns load once, outside the timing
    t_full = timed(full)
    t_base = timed(baseline, repeat=3)
    t_clean = timed(lambda: [cleaner(t) for t in texts])
    t_lang = timed(lambda: [identify(t) for t in texts])
    t_sent = timed(lambda: [split_sentences(t) for t in texts])
    reasons = Counter(r.reason for a in results for r in a.removed)
    langs = Counter(a.language for a in results)
    return {
        "articles": n,
        "failed": len(failures),
        "articles_per_s": n / t_full,
        "baseline_articles_per_s": n / t_base,
        "stage_ms_per_article": {
            "clean": 1000 * t_clean / n,
            "langid": 1000 * t_lang / n,
            "sentences": 1000 * t_sent / n,
            "read_bytes+sentences": 1000 * t_full / n,
        },
        "language_id_share": langs.get("id", 0) / max(1, len(results)),
        "languages": dict(langs.most_common(5)),
        "removed_reasons": dict(reasons.most_common(8)),
        "sentences": {
            "ours": boundary_prf(docs, ours),
            "regex_baseline": boundary_prf(docs, naive),
            "ours_without_list_abbrev_positions": boundary_prf(docs, ours, skip_artifacts=True),
            "regex_without_list_abbrev_positions": boundary_prf(docs, naive, skip_artifacts=True),
        },
    }


# --- Scrapinghub HTML ---------------------------------------------------------------------


def _shingles(text: str, n: int) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def tp_fp_fn(true: str, pred: str, n: int) -> tuple[float, float, float]:
    t, p = _shingles(true, n), _shingles(pred, n)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_scores(triples: list[tuple[float, float, float]]) -> dict[str, float]:
    """Mean per-page precision and recall, F1 of the means (the benchmark's definition)."""

    def prec(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def rec(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p = statistics.mean(prec(*x) for x in triples if x[0] + x[1] > 0 or x == (0.0, 0.0, 0.0))
    r = statistics.mean(rec(*x) for x in triples if x[0] + x[2] > 0 or x == (0.0, 0.0, 0.0))
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def bench_html(folder: Path, limit: int | None) -> dict:
    from kabar.ingest.html import extract

    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit] if limit else sorted(truth)
    systems: dict[str, Callable[[bytes, str], str]] = {
        "kabar (trafilatura+cleaner)": lambda raw, key: _ours_html(raw, key),
        "trafilatura alone": lambda raw, key: extract(raw.decode("utf-8", "replace")).text,
        "visible text (baseline)": lambda raw, key: visible_text(raw.decode("utf-8", "replace")),
    }
    preds: dict[str, dict[str, str]] = {name: {} for name in systems}
    seconds: dict[str, float] = dict.fromkeys(systems, 0.0)
    for key in keys:
        raw = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        for name, fn in systems.items():
            t = time.perf_counter()
            try:
                preds[name][key] = fn(raw, key)
            except Exception:  # a page a system cannot read scores as empty output
                preds[name][key] = ""
            seconds[name] += time.perf_counter() - t
    out = {}
    for name in systems:
        out[name] = {
            f"n{n}": page_scores([tp_fp_fn(truth[k].get("articleBody", ""), preds[name][k], n) for k in keys]) for n in (4, 1)
        }
        out[name]["pages_per_s"] = len(keys) / seconds[name]
    out["pages"] = len(keys)
    return out


def _ours_html(raw: bytes, key: str) -> str:
    try:
        return "\n\n".join(a.text for a in read_bytes(raw, f"{key}.html"))
    except IngestFailure:
        return ""


# --- report -------------------------------------------------------------------------------


def render(result: dict) -> str:
    lines = []
    if "indosum" in result:
        r = result["indosum"]
        lines += [
            f"IndoSum throughput ({r['articles']} articles, one core; {r['failed']} failed)",
            f"  {'read_bytes + split_sentences':<34}{r['articles_per_s']:>10.1f} articles/s",
            f"  {'baseline: decode + regex split':<34}{r['baseline_articles_per_s']:>10.1f} articles/s",
        ]
        lines += [f"  {'ms/article ' + k:<34}{v:>10.2f}" for k, v in r["stage_ms_per_article"].items()]
        lines.append(f"  language 'id' share {r['language_id_share']:.3f}  {r['languages']}")
        lines.append(f"  removed lines by reason: {r['removed_reasons']}")
        lines.append("Sentence boundaries vs IndoSum sentence lists   P      R      F1")
        for name, s in r["sentences"].items():
            lines.append(f"  {name:<44}{s['precision']:.3f}  {s['recall']:.3f}  {s['f1']:.3f}")
    if "html" in result:
        h = result["html"]
        lines.append(f"HTML main text, scrapinghub ({h['pages']} pages)   4-gram P/R/F1        word P/R/F1      pages/s")
        for name, s in h.items():
            if name == "pages":
                continue
            a, b = s["n4"], s["n1"]
            lines.append(
                f"  {name:<30}{a['precision']:.3f} {a['recall']:.3f} {a['f1']:.3f}   "
                f"{b['precision']:.3f} {b['recall']:.3f} {b['f1']:.3f}   {s['pages_per_s']:.1f}"
            )
    lines.append(json.dumps(result, ensure_ascii=False))
    return "\n".join(lines)


def _round(obj):
    if isinstance(obj, float):
        return round(obj, 4)
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    return obj


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--indosum", type=Path, help="folder of IndoSum *.jsonl (../shared/data/summaries/indosum)")
    ap.add_argument("--html", type=Path, help="scrapinghub benchmark folder (../shared/data/html/scrapinghub)")
    ap.add_argument("--limit", type=int, default=None, help="at most N articles / pages per part")
    args = ap.parse_args()
    if not (args.indosum or args.html):
        ap.error("give --indosum and/or --html")
    logging.disable(logging.WARNING)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    result: dict = {}
    if args.indosum:
        result["indosum"] = bench_indosum(args.indosum, args.limit)
    if args.html:
        result["html"] = bench_html(args.html, args.limit)
    print(render(_round(result)))


if __name__ == "__main__":
    main()
