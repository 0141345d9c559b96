"""Self-training of the e5 vote (`kabar.nlp.ner_distil`): reading and drawing unlabelled
sentences, silver labels, and the rebuild command with --unlabelled on a tiny tree."""

from __future__ import annotations

import json

from kabar.nlp.ner_data import TaggedSentence
from kabar.nlp.ner_distil import pick_sentences, read_unlabelled, silver
from kabar.nlp.ner_model import DEFAULT_MODEL, ents, load_model
from kabar.nlp.train_ner import main

from test_ner_model import _SMALL, _tiny_tree


def _news(tmp_path):
    """One IndoSum-style JSONL article and one plain-text file."""
    art = {"paragraphs": [[["Presiden", "Joko", "Widodo", "tiba", "di", "Surabaya", "pada", "Senin", "."],
                           ["Ia", "bertemu", "Gubernur", "Khofifah", "Indar", "Parawansa", "di", "Grahadi", "."]],
                          [["Baca", "juga", ":", "Menteri", "Keuangan", "Sri", "Mulyani", "bicara"]]]}
    jsonl = tmp_path / "news.jsonl"
    jsonl.write_text(json.dumps(art) + "\n\n", encoding="utf-8")
    txt = tmp_path / "news.txt"
    txt.write_text("Menteri Luar Negeri Retno Marsudi terbang ke Jenewa hari ini. Dia akan bertemu "
                   "Sekjen PBB Antonio Guterres.\n\nsemua huruf kecil di kalimat ini saja ya.", encoding="utf-8")
    return jsonl, txt


def test_read_unlabelled_takes_tokenised_jsonl_and_plain_text(tmp_path):
    jsonl, txt = _news(tmp_path)
    got = read_unlabelled([jsonl, txt])
    assert got[0] == ["Presiden", "Joko", "Widodo", "tiba", "di", "Surabaya", "pada", "Senin", "."]
    assert len(got) == 3 + 3
    assert got[3][:4] == ["Menteri", "Luar", "Negeri", "Retno"] and got[3][-1] == "."
    assert got[4] == ["Dia", "akan", "bertemu", "Sekjen", "PBB", "Antonio", "Guterres", "."]


def test_pick_sentences_filters_excludes_and_is_seeded(tmp_path):
    sentences = read_unlabelled(_news(tmp_path))
    gold = [TaggedSentence(["Ia", "bertemu", "Gubernur", "Khofifah", "Indar", "Parawansa", "di", "Grahadi", "."], [])]
    picked = pick_sentences(sentences + sentences, 10, exclude=gold)
    keys = {" ".join(s) for s in picked}
    assert len(picked) == len(keys) == 3  # each once; no teaser, no lower-case line, no gold sentence
    assert not any(s[0] == "Baca" or s[1] == "bertemu" or s[0] == "semua" for s in picked)
    assert pick_sentences(sentences, 10, seed=1) == pick_sentences(sentences, 10, seed=1)
    assert len(pick_sentences(sentences, 2)) == 2


def test_silver_is_what_the_teacher_predicts():
    words = [["Presiden", "Joko", "Widodo", "tiba", "di", "Surabaya", "."], []]
    got = silver(DEFAULT_MODEL, words)
    assert [s.words for s in got] == words
    assert [s.spans for s in got] == ents(load_model(DEFAULT_MODEL), words)


def _train(*args: str) -> int:
    return main([*args, *(a for k, v in _SMALL.items() for a in ("--set", f"{k}={v}"))])


def test_rebuild_with_unlabelled_news_trains_teacher_then_students(tmp_path):
    data, news, out = str(_tiny_tree(tmp_path)), [str(p) for p in _news(tmp_path)], tmp_path / "model"
    assert _train("--data", data, "--out", str(out), "--e5-layers", "1", "--seed", "0", "1",
                  "--unlabelled", *news, "--silver", "2") == 0
    record = json.loads((out / "training.json").read_text(encoding="utf-8"))
    assert record["silver_sentences"] == 2 and set(record["unlabelled_files"]) == {"news.jsonl", "news.txt"}
    assert record["teacher"]["seeds"] == [0, 1]  # a vote trained on gold alone first
    assert record["train_sentences"] == record["teacher"]["train_sentences"] + 2
    assert sorted(p.name for p in out.iterdir()) == ["members.json", "seed0", "seed1", "training.json"]
    assert len(ents(load_model(out.resolve()), [["Presiden", "Joko", "Widodo"]])) == 1

    again = tmp_path / "again"  # a given teacher is used as it is: no vote is trained first
    assert _train("--data", data, "--out", str(again), "--e5-layers", "1", "--seed", "0",
                  "--unlabelled", *news, "--silver", "1", "--teacher", str(out)) == 0
    record = json.loads((again / "training.json").read_text(encoding="utf-8"))
    assert record["teacher"] == str(out) and record["silver_sentences"] == 1 and record["seeds"] == [0]
