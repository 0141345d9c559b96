"""Running the trained spaCy NER model fast: Kabar's tokens in, token spans out.

spaCy trains the model (`kabar.nlp.train_ner`) and stays the reference for what it predicts.
Two costs of spaCy's own inference path dominated the per-article stages and are cut here:

- thinc multiplies matrices with BLIS, which on the machines measured ran at about a third
  of the speed of NumPy's OpenBLAS for these shapes; the model is loaded with NumPy's;
- spaCy's greedy transition loop takes one compiled step per token per line with per-step
  BLAS calls, slower than stepping all lines of an article together in a few NumPy
  operations. `ents` does that: the same features (buffer head, open entity's first word,
  previous word), maxout hidden layer, output layer and BILUO validity rules, so it picks the
  same actions (tests compare it with spaCy's `nlp.pipe`).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from kabar.nlp.tokens import Token, tokenize

log = logging.getLogger(__name__)

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "ner-id"
# Shipped pipelines by name: "fast" reads words alone (tens of thousands of words a second);
# "e5" adds the bundled e5 encoder's hidden states (more accurate; under a thousand words a second a core).
MODELS = {"fast": DEFAULT_MODEL, "e5": DEFAULT_MODEL.with_name("ner-id-e5")}
TokenSpan = tuple[int, int, str]  # start, end (exclusive) token index, label


@lru_cache(maxsize=8)  # the fast model, the e5 vote and its members, and room to spare
def load_model(path: Path):
    """A trained spaCy NER pipeline with Kabar's tokenizer, a `Vote` of several when `path` holds a
    members.json, or None (rules and gazetteers only) when there is none at `path`. Cached: every
    recogniser in a process shares one read-only copy."""
    if (path / "members.json").is_file():
        names = json.loads((path / "members.json").read_text(encoding="utf-8"))["members"]
        members = [load_model((path / name).resolve()) for name in names]
        if any(m is None for m in members):
            raise FileNotFoundError(f"{path}: a member named in members.json is missing")
        return Vote(members)
    if not (path / "meta.json").is_file():
        log.info("no NER model at %s: entities from rules and gazetteers only", path)
        return None
    import spacy
    from thinc.api import use_ops

    import kabar.nlp.ner_e5  # noqa: F401  registers the e5 embedding layer a pipeline may use

    if "kabar.tokens.v1" not in spacy.registry.tokenizers:
        spacy.registry.tokenizers.register("kabar.tokens.v1", func=lambda: lambda nlp: _Tokenizer(nlp.vocab))
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(path, exclude=["tokenizer"], config={"nlp": {"tokenizer": {"@tokenizers": "kabar.tokens.v1"}}})
    for _, pipe in nlp.pipeline:  # weights are stored as float16 (`store_half`); compute in float32
        for node in pipe.model.walk() if hasattr(pipe, "model") else ():
            for name in node.param_names:
                if node.has_param(name):
                    node.set_param(name, node.get_param(name).astype(np.float32, copy=False))
    return nlp


def store_half(path: Path) -> None:
    """Rewrite a saved pipeline's weights as float16: half the bytes on disk. On the NER sets the
    spans came out the same but for one sentence in 1,002 (ner-id's model card); `load_model` widens
    them back to float32 (a bare `spacy.load` would compute in float16)."""
    import srsly

    for file in path.glob("*/model"):
        msg = srsly.msgpack_loads(file.read_bytes())
        msg["params"] = [
            {k: v.astype(np.float16) if isinstance(v, np.ndarray) and v.dtype == np.float32 else v for k, v in node.items()}
            for node in msg["params"]
        ]
        file.write_bytes(srsly.msgpack_dumps(msg))


def model_path(model: str | Path | None) -> Path:
    """A shipped model's name (see MODELS) or a pipeline's folder; None is the default model."""
    if model is None:
        return DEFAULT_MODEL
    return MODELS.get(str(model), Path(model)).resolve()


def as_doc(vocab, toks: Sequence[Token]):
    """A spaCy Doc on our own tokens: the model was trained on pre-tokenised words, and spaCy's
    tokenizer would cost more than the model's embedding layer."""
    from spacy.tokens import Doc

    spaces = [a.end < b.start for a, b in zip(toks, toks[1:])] + [False] if toks else []
    return Doc(vocab, words=[t.text for t in toks], spaces=spaces)


class _Tokenizer:
    """What fills spaCy's tokenizer slot: Kabar's tokens. Building spaCy's Indonesian tokenizer
    (some 32,000 special cases) took most of a process's start-up, for a tokenizer never used."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str):
        return as_doc(self.vocab, tokenize(text))


class Vote:
    """Pipelines trained alike but for their seed (and, in ner-id-e5, the size of their hash
    tables): a span (with its label) stands when more than half of them predict it. Two such
    majorities share a member, and no member predicts overlapping spans, so the spans that stand
    never overlap. Members disagree most on the spans they get wrong, so the vote trades a little
    recall for more precision."""

    def __init__(self, members: Sequence) -> None:
        self.members = list(members)
        self.need = len(self.members) // 2 + 1

    def __call__(self, sentences: Sequence[Sequence[str]]) -> list[list[TokenSpan]]:
        votes = [ents(m, sentences) for m in self.members]
        out = []
        for per in zip(*votes):  # one sentence: each member's spans
            counts = Counter(s for spans in per for s in spans)
            out.append(sorted(s for s, n in counts.items() if n >= self.need))
        return out


def ents(nlp, sentences: Sequence[Sequence[str]]) -> list[list[TokenSpan]]:
    """Entity token spans of each sentence, given as its words."""
    from spacy.tokens import Doc

    if isinstance(nlp, Vote):
        return nlp(sentences)
    runner = _greedy(nlp)
    if runner is None:  # another kind of pipeline (a ruler, a beam): spaCy runs it
        docs = (Doc(nlp.vocab, words=list(words)) for words in sentences)
        return [[(e.start, e.end, e.label_) for e in d.ents] for d in nlp.pipe(docs)]
    return runner(sentences)


@lru_cache(maxsize=4)
def _greedy(nlp) -> _Greedy | None:
    """The fast runner when `nlp` is what `kabar train ner` builds: a tok2vec (embedding, then
    encoder) and a greedy NER on the three features of spaCy's "ner" state."""
    if nlp.pipe_names != ["tok2vec", "ner"] or nlp.get_pipe("ner").cfg.get("beam_width", 1) != 1:
        return None
    t2v, model = nlp.get_pipe("tok2vec").model, nlp.get_pipe("ner").model
    if len(t2v.layers) != 2 or "has_upper" not in model.attrs or model.get_ref("lower").get_dim("nF") != 3:
        return None
    names = [layer.name for layer in t2v.layers[0].walk()]
    if [n for n in names if n in _EMBED_PARTS] != ["extract_features", *["hashembed"] * names.count("hashembed"), "maxout", "layernorm"]:
        return None  # not MultiHashEmbed's hash tables, mixing maxout and layer norm alone
    return _Greedy(nlp)


_EMBED_PARTS = frozenset({"extract_features", "hashembed", "static_vectors", "maxout", "layernorm"})


class _Greedy:
    """spaCy's NER inference, re-stepped. The embedding of a word depends on the word alone (its
    norm, prefix, suffix and shape), so it is computed once per distinct word (`embed`) and kept;
    the encoder and the NER's input layer run as spaCy's own layers. Outside an entity the NER's
    features are the current word alone (the other two are padding), so those scores come for
    every word at once; only inside an entity, where the entity's first word and the previous
    word join in, is a word scored on its own. Unseen classes (spaCy scores them at the batch
    minimum) are never chosen."""

    CACHE_WORDS = 100_000  # about 25 MB of 64-wide vectors; emptied when full

    def __init__(self, nlp) -> None:
        from spacy.attrs import IDS

        t2v = nlp.get_pipe("tok2vec").model
        embed, self.encode = t2v.layers
        self.ops = embed.ops
        parts = {layer.name: layer for layer in embed.walk()}
        self.features = [nlp.vocab.lex_attr_getters[IDS[c]] for c in parts["extract_features"].attrs["columns"]]
        self.tables = [(t.attrs["column"], t.attrs["seed"], t.get_param("E")) for t in embed.walk() if t.name == "hashembed"]
        mix, norm = parts["maxout"], parts["layernorm"]
        self.mix = (mix.get_param("W").reshape(-1, mix.get_dim("nI")), mix.get_param("b").ravel(), mix.get_dim("nO"), mix.get_dim("nP"))
        self.norm = (norm.get_param("G"), norm.get_param("b"))
        ner = nlp.get_pipe("ner")
        model = ner.model
        self.moves = _Moves([ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)],
                            frozenset(model.attrs.get("unseen_classes", ())))
        self.project = model.get_ref("tok2vec").layers[-1]  # what the NER's listener adds
        self.lower = model.get_ref("lower")
        self.lower_b = self.lower.get_param("b")
        upper = model.get_ref("upper") if model.attrs["has_upper"] else None
        self.upper = (upper.get_param("W").T, upper.get_param("b")) if upper is not None else None
        self.cache: dict[str, int] = {}  # word -> its row in self.rows
        self.rows = np.zeros((0, embed.get_dim("nO")), dtype="f")

    def embed(self, words: list[str]) -> np.ndarray:
        """spaCy's MultiHashEmbed on words, without making them lexemes: spaCy computes some twenty
        attributes for every new lexeme (most of the cost of a word not seen yet) and keeps them
        for the life of the process; the embedding reads four. Same hashes, same sums, same rows
        (tests compare them with the model's own layer)."""
        from spacy.strings import get_string_id

        ops = self.ops
        ids = np.array([[get_string_id(f(w)) for f in self.features] for w in words], dtype="uint64")
        x = np.hstack([ops.gather_add(table, ops.hash(ops.as_contig(ids[:, col]), seed) % len(table))
                       for col, seed, table in self.tables])
        w, b, n_out, n_pieces = self.mix
        y = ops.gemm(x, w, trans2=True)
        y += b
        y, _ = ops.maxout(y.reshape(len(y), n_out, n_pieces))
        mu = y.mean(axis=1, keepdims=True)
        var = y.var(axis=1, keepdims=True) + 1e-08  # as thinc's LayerNorm computes it
        y = (y - mu) * var ** (-1.0 / 2.0) * self.norm[0]
        y += self.norm[1]
        return y

    def vectors(self, words: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(w for w in words if w not in self.cache))
        if missing:
            if len(self.cache) + len(missing) > self.CACHE_WORDS:
                self.cache.clear()
            new = self.embed(missing)
            start = len(self.cache)
            if start + len(new) > len(self.rows):
                grown = np.zeros((max(2 * len(self.rows), start + len(new), 1024), self.rows.shape[1]), dtype="f")
                grown[:start] = self.rows[:start]
                self.rows = grown
            self.rows[start:start + len(new)] = new
            self.cache.update(zip(missing, range(start, start + len(new))))
        return self.rows[[self.cache[w] for w in words]]

    def scores(self, x: np.ndarray) -> np.ndarray:
        """(..., hidden, pieces) summed features -> (..., classes)."""
        hidden = _maxout(x + self.lower_b)
        return hidden @ self.upper[0] + self.upper[1] if self.upper is not None else hidden

    def __call__(self, sentences: Sequence[Sequence[str]]) -> list[list[TokenSpan]]:
        sentences = [list(s) for s in sentences]
        out: list[list[TokenSpan]] = [[] for _ in sentences]
        lengths = [len(s) for s in sentences]
        if not sum(lengths):
            return out
        vecs = self.vectors([w for s in sentences for w in s])
        bounds = np.cumsum(lengths)
        encoded = self.encode.predict(np.split(vecs, bounds[:-1]))
        table = self.lower.predict(self.project.predict(np.concatenate(encoded)))  # (words + 1, 3, hidden, pieces)
        moves = self.moves
        closed = self.scores(table[1:, 0] + table[0, 1] + table[0, 2])  # row 0: padding
        guess = np.where(moves.begin | moves.unit | moves.out, closed, -np.inf).argmax(axis=1)
        ends = bounds - 1  # a sentence's last word cannot open with B (nothing to close it)
        guess[ends] = np.where(moves.unit | moves.out, closed[ends], -np.inf).argmax(axis=1)
        opens = np.flatnonzero(~moves.out[guess]).tolist()  # outside entities only these words start one
        k, offset = 0, 0
        for spans, n in zip(out, lengths):
            while k < len(opens) and opens[k] < offset + n:
                t = opens[k] - offset
                k += 1
                g = int(guess[offset + t])
                if moves.unit[g]:
                    spans.append((t, t + 1, moves.names[moves.label[g]]))
                    continue
                start, label = t, moves.label[g]
                same = moves.label == label
                while True:
                    t += 1
                    row = offset + t + 1
                    x = self.scores(table[row, 0] + table[offset + start + 1, 1] + table[row - 1, 2])
                    g = int(np.where((moves.inner & (n - t >= 2) | moves.last) & same, x, -np.inf).argmax())
                    if moves.last[g]:
                        spans.append((start, t + 1, moves.names[label]))
                        break
                while k < len(opens) and opens[k] <= offset + t:  # words inside the entity were not free
                    k += 1
            offset += n
        return out


def _maxout(x):
    """Max over the last axis (the pieces), as pairwise maxima: a reduction over an axis of
    two is many times slower in NumPy."""
    out = x[..., 0]
    for p in range(1, x.shape[-1]):
        out = np.maximum(out, x[..., p])
    return out


class _Moves:
    """The NER transition classes as masks: which are B-, I-, L-, U- (with a label) and O."""

    def __init__(self, names: list[str], unseen: frozenset[int]) -> None:
        kinds = [n.split("-", 1)[0] for n in names]
        labels = [n.split("-", 1)[1] if "-" in n else "" for n in names]
        self.names = sorted({lab for lab in labels if lab})
        self.label = np.array([self.names.index(lab) if lab else -1 for lab in labels])
        labelled = self.label >= 0
        kind = np.array(kinds)
        self.begin, self.inner, self.last = (kind == "B") & labelled, (kind == "I") & labelled, (kind == "L") & labelled
        self.unit = (kind == "U") & labelled  # "U-" without a label only marks preset blocked tokens
        self.out = kind == "O"
        for mask in (self.begin, self.inner, self.last, self.unit, self.out):
            mask[list(unseen)] = False

