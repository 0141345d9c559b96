"""`kabar eval summaries FILE`: single-article summaries against IndoSum gold summaries.

IndoSum (Kurniawan and Louvan 2018) gives each article as paragraphs of
tokenised sentences with a gold (abstractive) summary. The article text is
rebuilt by joining tokens with spaces, so system and gold share one
tokenisation, and the gold sentence breaks become `article.sentences` (the
summariser is measured, not the splitter). ROUGE-1/2/L F1 (implemented here,
case-folded, punctuation tokens dropped, no stemming) are reported for
`summarize_article` and for the lead-3 baseline computed in the same run, with
the F1 of each one's sentence picks against IndoSum's gold extractive labels.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kabar.model import Article, Sentence


def rouge_tokens(text: str) -> list[str]:
    """Whitespace tokens, case-folded; tokens with no letter or digit (punctuation) dropped."""
    return [t for t in text.casefold().split() if any(ch.isalnum() for ch in t)]


def _f1(overlap: int, n_sys: int, n_ref: int) -> float:
    if not overlap:
        return 0.0
    p, r = overlap / n_sys, overlap / n_ref
    return 2 * p * r / (p + r)


def rouge_n(sys: Sequence[str], ref: Sequence[str], n: int) -> float:
    """ROUGE-N F1 with clipped n-gram counts."""
    s = Counter(tuple(sys[i:i + n]) for i in range(len(sys) - n + 1))
    r = Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
    return _f1(sum((s & r).values()), sum(s.values()), sum(r.values()))


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_l(sys: Sequence[str], ref: Sequence[str]) -> float:
    """ROUGE-L F1 (longest common subsequence over the whole summary)."""
    return _f1(lcs_length(sys, ref), len(sys), len(ref))


def rouge(sys_text: str, ref_text: str) -> dict[str, float]:
    s, r = rouge_tokens(sys_text), rouge_tokens(ref_text)
    return {"rouge1": rouge_n(s, r, 1), "rouge2": rouge_n(s, r, 2), "rougeL": rouge_l(s, r)}


def indosum_article(item: dict[str, Any]) -> tuple[Article, str]:
    """An IndoSum item as an Article with its gold sentence spans and paragraphs, and the gold summary."""
    text = ""
    sentences: list[Sentence] = []
    paragraphs: list[Sentence] = []
    for para in item["paragraphs"]:
        sents = [" ".join(tokens) for tokens in para if tokens]
        if not sents:
            continue
        text += "\n\n" if text else ""
        p_start = len(text)
        for i, s in enumerate(sents):
            text += " " if i else ""
            sentences.append(Sentence(len(text), len(text) + len(s)))
            text += s
        paragraphs.append(Sentence(p_start, len(text)))
    article = Article(
        id=str(item.get("id", "")), text=text, sentences=sentences, paragraphs=paragraphs, language="id"
    )
    gold = " ".join(" ".join(s) for s in item.get("summary", []))
    return article, gold


def _mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]} if rows else {}


def label_f1(picked: set[int], gold: set[int]) -> float:
    """F1 of the picked sentence indices against the gold extractive labels."""
    hit = len(picked & gold)
    return 2 * hit / (len(picked) + len(gold)) if hit else 0.0


def evaluate(path: str | Path, n: int = 3, limit: int | None = None) -> dict[str, Any]:
    """Mean ROUGE F1 of `summarize_article` and of lead-n over the articles of `path`, and
    the F1 of their sentence picks against IndoSum's gold extractive labels."""
    from kabar.crossdoc.brief import summarize_article

    rows: dict[str, list[dict[str, float]]] = {"kabar": [], f"lead{n}": []}
    t0 = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        for k, line in enumerate(f):
            if limit is not None and k >= limit:
                break
            item = json.loads(line)
            article, gold = indosum_article(item)
            labels = {i for i, flag in enumerate(x for p in item.get("gold_labels", []) for x in p) if flag}
            index = {s.start: i for i, s in enumerate(article.sentences)}
            ours = sorted(index[b.cite.start] for b in summarize_article(article, n=n))
            for name, picked in (("kabar", ours), (f"lead{n}", list(range(min(n, len(article.sentences)))))):
                text = " ".join(article.text[article.sentences[i].start:article.sentences[i].end] for i in picked)
                rows[name].append({**rouge(text, gold), "label_f1": label_f1(set(picked), labels)})
    return {
        "file": str(path),
        "articles": len(rows["kabar"]),
        "sentences": n,
        **{name: _mean(r) for name, r in rows.items()},
        "seconds": round(time.perf_counter() - t0, 2),
    }


def render(result: dict[str, Any]) -> str:
    """A table (one row per system), then the figures as one JSON object on the last line."""
    systems = [k for k, v in result.items() if isinstance(v, dict)]
    lines = [f"{result['file']}: {result['articles']} articles, {result['sentences']} sentences each",
             f"{'system':<8} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8} {'label F1':>8}"]
    for name in systems:
        r = result[name]
        lines.append(f"{name:<8} {100 * r['rouge1']:8.2f} {100 * r['rouge2']:8.2f} {100 * r['rougeL']:8.2f} {100 * r['label_f1']:8.2f}")
    return "\n".join(lines + [json.dumps(result, ensure_ascii=False)])
