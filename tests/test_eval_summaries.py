import json

import pytest

from kabar.eval.summaries import evaluate, indosum_article, label_f1, render, rouge, rouge_l, rouge_n, rouge_tokens


def test_rouge_hand_computed():
    sys, ref = "a b c d".split(), "a b e".split()
    assert rouge_n(sys, ref, 1) == pytest.approx(4 / 7)  # P 2/4, R 2/3
    assert rouge_n(sys, ref, 2) == pytest.approx(0.4)  # P 1/3, R 1/2
    assert rouge_l(sys, ref) == pytest.approx(4 / 7)  # LCS "a b"
    assert rouge_n("the the the".split(), "the cat".split(), 1) == pytest.approx(0.4)  # counts are clipped


def test_label_f1():
    assert label_f1({0, 1, 2}, {0, 1}) == pytest.approx(0.8)
    assert label_f1({3}, {0}) == 0.0


def test_rouge_identical_and_disjoint():
    assert rouge("Sama persis .", "sama PERSIS") == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}
    assert rouge("satu dua", "tiga empat") == {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    assert rouge_tokens("Kata , lagi ( 27/3 ) .") == ["kata", "lagi", "27/3"]


ITEM = {
    "id": "x1",
    "paragraphs": [
        [["Harga", "cabai", "naik", "tajam", "di", "pasar", "."], ["Pedagang", "sayur", "mengeluh", "pasar", "sepi", "pembeli", "."]],
        [["Pemerintah", "berjanji", "operasi", "pasar", "pekan", "depan", "."]],
    ],
    "summary": [["Harga", "cabai", "naik", "tajam", "."]],
    "gold_labels": [[True, False], [False]],
}


def test_indosum_article_keeps_gold_sentences_and_paragraphs():
    article, gold = indosum_article(ITEM)
    assert [article.text[s.start:s.end] for s in article.sentences] == [
        "Harga cabai naik tajam di pasar .",
        "Pedagang sayur mengeluh pasar sepi pembeli .",
        "Pemerintah berjanji operasi pasar pekan depan .",
    ]
    assert len(article.paragraphs) == 2
    assert article.text[article.paragraphs[1].start:article.paragraphs[1].end].startswith("Pemerintah")
    assert gold == "Harga cabai naik tajam ."


def test_evaluate_reports_system_and_lead(tmp_path):
    path = tmp_path / "sum.jsonl"
    path.write_text(json.dumps(ITEM) + "\n", encoding="utf-8")
    result = evaluate(path)
    # three sentences: both systems take all of them, so they must score the same
    assert result["kabar"] == result["lead3"]
    assert result["kabar"]["rouge1"] == pytest.approx(rouge(
        "Harga cabai naik tajam di pasar . Pedagang sayur mengeluh pasar sepi pembeli . Pemerintah berjanji operasi pasar pekan depan .",
        "Harga cabai naik tajam .",
    )["rouge1"])
    assert result["kabar"]["label_f1"] == pytest.approx(0.5)  # 3 picked, 1 gold, 1 hit: 2*1/(3+1)
    assert json.loads(render(result).splitlines()[-1])["articles"] == 1


def test_indosum_sample(shared_data):
    result = evaluate(shared_data / "summaries" / "indosum" / "dev.01.jsonl", limit=20)
    assert result["articles"] == 20
    assert result["lead3"]["rouge1"] > 0.3 and result["kabar"]["rouge1"] > 0.3
