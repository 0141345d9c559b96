"""NER readers, label mapping, the span scorer, and the `kabar.eval.ner` report."""

from __future__ import annotations

import json

import pytest

from kabar.eval.ner import chars_to_tokens, evaluate, render, score_spans
from kabar.nlp.ner_data import dedupe, map_label, read_ner, spans_to_biluo, tags_to_spans


def test_tsv_bio_with_default_label_map(tmp_path):
    p = tmp_path / "a.tsv"
    p.write_text(
        "Presiden\tO\nJoko\tB-PERSON\nWidodo\tI-PERSON\nke\tO\nJawa Barat\tB-PLACE\n\n"
        "Kementerian\tB-ORGANISATION\nKeuangan\tI-ORGANIZATION\n",
        encoding="utf-8",
    )
    sents = read_ner(p)
    assert [s.words for s in sents] == [["Presiden", "Joko", "Widodo", "ke", "Jawa Barat"], ["Kementerian", "Keuangan"]]
    assert sents[0].spans == [(1, 3, "PER"), (4, 5, "LOC")]
    # types are mapped before spans are cut: I-ORGANIZATION continues B-ORGANISATION
    assert sents[1].spans == [(0, 2, "ORG")]


def test_conll_crlf(tmp_path):
    p = tmp_path / "b.txt"
    p.write_bytes(b"Di ADP O\r\nPPP PROPN B-ORG\r\nterdapat VERB O\r\n\r\nSjahril PROPN B-PER\r\n. PUNCT O\r\n\r\n")
    sents = read_ner(p, fmt="conll")
    assert len(sents) == 2
    assert sents[0].words == ["Di", "PPP", "terdapat"]
    assert sents[0].spans == [(1, 2, "ORG")]
    assert sents[1].spans == [(0, 1, "PER")]
    assert all("\r" not in w for s in sents for w in s.words)


def test_bilou_and_explicit_map(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text(
        "Kata\tO\nSri\tB-PERSON\nMulyani\tI-PERSON\nIndrawati\tL-PERSON\ndi\tO\nBali\tU-LOCATION\n"
        "soal\tO\nanggaran\tU-ISSUE\nBI\tU-AFFILIATION\n",
        encoding="utf-8",
    )
    sents = read_ner(p, label_map={"PERSON": "PER", "LOCATION": "LOC"})
    assert sents[0].spans == [(1, 4, "PER"), (5, 6, "LOC")]  # unmapped types dropped
    kept = read_ner(p)  # default map keeps unknown types under their own name
    assert (7, 8, "ISSUE") in kept[0].spans and (8, 9, "AFFILIATION") in kept[0].spans


def test_tags_spans_round_trip_and_sloppy_tags():
    spans = [(0, 2, "PER"), (3, 4, "LOC"), (4, 7, "ORG")]
    assert tags_to_spans(spans_to_biluo(8, spans)) == spans
    # I- after O or after another type starts a new entity (conlleval)
    assert tags_to_spans(["O", "I-PER", "I-PER", "I-LOC", "B-LOC", "I-LOC"]) == [
        (1, 3, "PER"),
        (3, 4, "LOC"),
        (4, 6, "LOC"),
    ]
    assert map_label("place", None) == "LOC" and map_label("ORGANIZATION", None) == "ORG"


def test_dedupe_ignores_tokenisation(tmp_path):
    a = tmp_path / "a.tsv"
    a.write_text("Rp 10 juta .\tO\n\nLain\tO\n", encoding="utf-8")
    b = tmp_path / "b.tsv"
    b.write_text("Rp10\tO\njuta\tO\n.\tO\n", encoding="utf-8")
    assert [s.words for s in dedupe(read_ner(a), read_ner(b))] == [["Lain"]]


def test_score_spans_hand_made():
    gold = [[(0, 2, "PER"), (4, 5, "LOC")], [(1, 3, "ORG"), (5, 6, "PER")]]
    pred = [[(0, 2, "PER"), (4, 5, "ORG")], [(1, 3, "ORG"), (5, 7, "PER"), (8, 9, "LOC")]]
    r = score_spans(gold, pred)
    o = r["overall"]
    assert (o["gold"], o["pred"], o["correct"]) == (4, 5, 2)
    assert o["precision"] == pytest.approx(0.4)
    assert o["recall"] == pytest.approx(0.5)
    assert o["f1"] == pytest.approx(2 * 0.4 * 0.5 / 0.9)
    per = r["per_type"]
    assert per["PER"]["f1"] == pytest.approx(0.5)  # 1 of 2 gold, 1 of 2 pred
    assert per["ORG"]["precision"] == pytest.approx(0.5) and per["ORG"]["recall"] == 1.0
    assert per["LOC"]["f1"] == 0.0
    assert score_spans([[]], [[]])["overall"]["f1"] == 0.0
    with pytest.raises(ValueError):
        score_spans([[]], [])


def test_chars_to_tokens():
    offsets = [(0, 4), (5, 11), (12, 14)]
    assert chars_to_tokens(offsets, 0, 11) == (0, 2)
    assert chars_to_tokens(offsets, 6, 9) == (1, 2)
    assert chars_to_tokens(offsets, 20, 22) is None


def test_evaluate_render_last_line_json(tmp_path):
    p = tmp_path / "gold.tsv"
    p.write_text(
        "Presiden\tO\nJoko\tB-PER\nWidodo\tI-PER\nberkunjung\tO\nke\tO\nJakarta\tB-LOC\n.\tO\n\n"
        "Ia\tO\nbertemu\tO\nwartawan\tO\n.\tO\n",
        encoding="utf-8",
    )
    result = evaluate(p, fmt="tsv")
    assert result["sentences"] == 2 and result["overall"]["gold"] == 2
    text = render(result)
    last = json.loads(text.splitlines()[-1])
    assert last["overall"]["gold"] == 2
    assert 0.0 <= last["overall"]["f1"] <= 1.0
    assert "overall" in text.splitlines()[-2]


def test_readers_on_shared_sets(shared_data):
    ner = shared_data / "ner"
    ui = read_ner(ner / "nerui" / "test.01.tsv")
    assert len(ui) == 426 and all(lab in {"PER", "ORG", "LOC"} for s in ui for *_, lab in s.spans)
    idner = read_ner(ner / "idner-news-2k" / "dev.txt", fmt="conll")
    assert len(idner) == 367 and {lab for s in idner for *_, lab in s.spans} == {"PER", "ORG", "LOC"}
    grit = read_ner(ner / "nergrit" / "valid_preprocess.txt")
    assert {lab for s in grit for *_, lab in s.spans} == {"PER", "ORG", "LOC"}


def test_evaluate_with_rules(tmp_path):
    pytest.importorskip("kabar.nlp.entities")
    p = tmp_path / "gold.conll"
    p.write_bytes(b"Presiden PROPN O\r\nJoko PROPN B-PER\r\nWidodo PROPN I-PER\r\ntiba VERB O\r\ndi ADP O\r\n"
                  b"Jakarta PROPN B-LOC\r\n. PUNCT O\r\n")
    result = evaluate(p, fmt="conll", with_rules=True)
    assert result["recogniser"] == "EntityRecognizer" and result["overall"]["gold"] == 2
    assert json.loads(render(result).splitlines()[-1])["sentences"] == 1
