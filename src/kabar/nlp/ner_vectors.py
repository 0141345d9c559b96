"""Small static word vectors for the NER model, learnt here from unlabelled Indonesian news.

No pre-trained vectors may be downloaded, and the labelled NER sets are small
(~5k sentences), so the model meets many words only once. Vectors from raw news
text (IndoSum, CC BY-SA) tell it which unseen words behave like names, places
and organisations. The method is PPMI + truncated SVD over a +-2 word window
(Levy and Goldberg 2014: as good as word2vec at this corpus size, and
deterministic), keyed on NORM (lower case) to cover capitalised variants too.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np


def indosum_sentences(folder: str | Path) -> Iterator[list[str]]:
    """Token lists of every sentence of every IndoSum article (*.jsonl) under `folder`."""
    for path in sorted(Path(folder).glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    for para in json.loads(line).get("paragraphs", []):
                        yield from para


def train_vectors(
    sentences: Iterable[Sequence[str]],
    dims: int = 64,
    max_words: int = 20000,
    min_count: int = 3,
    window: int = 2,
    seed: int = 0,
) -> tuple[list[str], np.ndarray]:
    """(words, unit-length vectors) by SVD of the smoothed positive PMI matrix of lower-cased words."""
    from scipy.sparse import coo_matrix, csr_matrix
    from sklearn.utils.extmath import randomized_svd

    sents = [[w.lower() for w in s] for s in sentences]
    counts = Counter(w for s in sents for w in s)
    words = [w for w, c in counts.most_common(max_words) if c >= min_count]
    index = {w: i for i, w in enumerate(words)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for s in sents:
        ids = [index.get(w, -1) for w in s]
        for i, a in enumerate(ids):
            if a < 0:
                continue
            for d in range(1, window + 1):  # closer words count more, as word2vec's dynamic window
                if i + d < len(ids) and ids[i + d] >= 0:
                    rows += [a, ids[i + d]]
                    cols += [ids[i + d], a]
                    vals += [1.0 / d, 1.0 / d]
    n = len(words)
    co = csr_matrix(coo_matrix((vals, (rows, cols)), shape=(n, n), dtype=np.float64))
    total = co.sum()
    row_sum = np.asarray(co.sum(axis=1)).ravel()
    ctx = np.asarray(co.sum(axis=0)).ravel() ** 0.75  # context smoothing
    ctx /= ctx.sum()
    co = co.tocoo()
    pmi = np.log(co.data / total) - np.log(row_sum[co.row] / total) - np.log(ctx[co.col])
    keep = pmi > 0
    ppmi = csr_matrix((pmi[keep], (co.row[keep], co.col[keep])), shape=(n, n))
    u, s, _ = randomized_svd(ppmi, n_components=max(1, min(dims, n - 1)), random_state=seed)
    vecs = (u * np.sqrt(s)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-8
    return words, vecs


def save_spacy_vectors(words: Sequence[str], vecs: np.ndarray, out: str | Path, lang: str = "id") -> Path:
    """A vectors-only spaCy pipeline, keyed on NORM, for the config's `[initialize] vectors`."""
    import spacy
    from spacy.vectors import Vectors

    nlp = spacy.blank(lang)
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, data=vecs, keys=list(words), attr="NORM")
    for w in words:
        nlp.vocab.strings.add(w)
    nlp.vocab.vectors.name = f"kabar_{lang}_ppmi{vecs.shape[1]}"
    nlp.to_disk(out)
    return Path(out)
