"""Readers for the external datasets that benchmarks and scorers take by path."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

_NO_SPACE_BEFORE = re.compile(r"\s+([.,;:!?%)\]}”’])")
_NO_SPACE_AFTER = re.compile(r"([(\[{“‘])\s+")
_QUOTE_PAIR = re.compile(r'"\s*(.*?)\s*"')


def detokenize(tokens: list[str]) -> str:
    """Tokens back to running text: no space before closing punctuation or after opening brackets."""
    text = " ".join(tokens)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    text = _NO_SPACE_AFTER.sub(r"\1", text)
    return _QUOTE_PAIR.sub(lambda m: f'"{m.group(1)}"', text)


def read_indosum(path: str | Path, limit: int | None = None) -> Iterator[dict]:
    """IndoSum JSONL as plain articles: {"id", "text", "url", "outlet", "summary", "paragraphs"}.

    `text` joins detokenised sentences, paragraphs separated by a blank line; `paragraphs` keeps the
    sentence lists so extractive labels can be matched.
    """
    files = sorted(Path(path).glob("*.jsonl")) if Path(path).is_dir() else [Path(path)]
    n = 0
    for file in files:
        with file.open(encoding="utf-8") as fh:
            for line in fh:
                if limit is not None and n >= limit:
                    return
                doc = json.loads(line)
                paragraphs = [[detokenize(s) for s in para] for para in doc["paragraphs"]]
                yield {
                    "id": doc["id"],
                    "text": "\n\n".join(" ".join(p) for p in paragraphs),
                    "paragraphs": paragraphs,
                    "summary": [detokenize(s) for s in doc["summary"]],
                    "gold_labels": doc.get("gold_labels"),
                    "url": doc.get("source_url"),
                    "outlet": doc.get("source"),
                }
                n += 1


def reworded(text: str, rng: random.Random, drop: float = 0.1) -> str:
    """A light rewording, as a rewritten wire copy looks: about `drop` of the words left out and one
    pair of neighbours swapped. Benchmarks use it to grow a real corpus to the size they need."""
    toks = [t for t in text.split() if rng.random() > drop]
    if len(toks) > 3:
        i = rng.randrange(len(toks) - 1)
        toks[i], toks[i + 1] = toks[i + 1], toks[i]
    return " ".join(toks)
