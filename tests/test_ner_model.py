"""The shipped Indonesian NER pipeline, and the rebuild command on a tiny data tree."""

from __future__ import annotations

import json

import pytest

spacy = pytest.importorskip("spacy")

import srsly  # noqa: E402

from kabar.nlp.ner_model import load_model  # noqa: E402
from kabar.nlp.train_ner import MODEL_DIR, SETS, main  # noqa: E402


@pytest.fixture(scope="module")
def nlp():
    return load_model(MODEL_DIR)  # a local directory (with Kabar's tokenizer): no download can happen


def test_shipped_model_finds_person_and_place(nlp):
    doc = nlp("Presiden Joko Widodo meresmikan jalan tol baru di Jakarta pada hari Senin.")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Joko Widodo", "PER") in ents
    assert ("Jakarta", "LOC") in ents


def test_shipped_model_labels_and_record(nlp):
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "LOC"}
    record = json.loads((MODEL_DIR / "training.json").read_text(encoding="utf-8"))
    assert record["train_sentences"] > 4000 and record["data_files"]


def test_odd_text_does_not_raise(nlp):
    for text in ["", " ", "\n\n", "🙂 ... ???", "a" * 5000]:
        nlp(text)


_WORDS = [
    ("Menteri", "O"), ("Budi", "B-PERSON"), ("Santoso", "I-PERSON"), ("tiba", "O"), ("di", "O"),
    ("Surabaya", "B-LOCATION"), ("bersama", "O"), ("Bank", "B-ORGANIZATION"), ("Indonesia", "I-ORGANIZATION"),
]


def _write(path, first: int, n: int, sep: str = "\t", eol: str = "\n", pos: bool = False) -> None:
    """n distinct small sentences (numbered from `first`) in the layout of the real files."""
    lines = []
    for i in range(first, first + n):
        for w, t in _WORDS:
            lines.append(sep.join([w, "X", t] if pos else [w, t]))
        lines.append(sep.join(["kali", "X", "O"] if pos else ["kali", "O"]).replace("kali", f"kali{i}"))
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(eol.join(lines).encode("utf-8"))


def _tiny_tree(tmp_path):
    data = tmp_path / "ner"
    rels = sorted({rel for group in SETS.values() for rel in group})
    for k, rel in enumerate(rels):
        if "idner" in rel:
            _write(data / rel, 10 * k, 6, sep=" ", eol="\r\n", pos=True)
        else:
            _write(data / rel, 10 * k, 6)
    return data


_SMALL = {"training.max_steps": 4, "training.eval_frequency": 2, "training.max_epochs": 0,
          "components.tok2vec.model.encode.width": 16, "components.tok2vec.model.encode.depth": 1}


def test_rebuild_command_on_tiny_tree(tmp_path):
    data = _tiny_tree(tmp_path)
    out = tmp_path / "model"
    out.mkdir()
    (out / "README.md").write_text("notes", encoding="utf-8")
    rc = main(["--data", str(data), "--out", str(out), *(a for k, v in _SMALL.items() for a in ("--set", f"{k}={v}"))])
    assert rc == 0
    assert (out / "README.md").read_text(encoding="utf-8") == "notes"  # kept across the rebuild
    record = json.loads((out / "training.json").read_text(encoding="utf-8"))
    assert record["seed"] == 0 and "nergrit/train_preprocess.txt" in record["data_files"]
    assert not (out / "tokenizer").exists()  # what load_model never reads is not kept
    assert "kabar-ner-" not in (out / "config.cfg").read_text(encoding="utf-8")  # no temporary paths
    assert set(spacy.load(out, exclude=["tokenizer"]).get_pipe("ner").labels) == {"PER", "ORG", "LOC"}
    stored = srsly.msgpack_loads((out / "ner" / "model").read_bytes())["params"]
    assert {v.dtype.name for node in stored for v in node.values() if v is not None} == {"float16"}
    loaded = load_model(out)  # widened back: thinc's layers compute in float32
    params = [node.get_param(n) for _, pipe in loaded.pipeline for node in pipe.model.walk()
              for n in node.param_names if node.has_param(n)]
    assert params and {p.dtype.name for p in params} == {"float32"}


def test_rebuild_with_e5_layers_loads_and_tags(tmp_path):
    """`--e5-layers` puts e5's hidden states in the tok2vec; the result loads through
    `load_model` (which registers the layer) and tags with spaCy's loop."""
    from spacy.util import load_config

    from kabar.nlp.ner_e5 import ARCHITECTURE, E5_ROWS
    from kabar.nlp.ner_model import Vote, _greedy, ents
    from kabar.nlp.train_ner import CONFIG

    out = tmp_path / "model-e5"
    out.mkdir()
    (out / "config.cfg").write_text("left by an earlier single model", encoding="utf-8")
    args = ["--data", str(_tiny_tree(tmp_path)), "--out", str(out), "--e5-layers", "1", "--seed", "0", "--full-seed", "1"]
    assert main([*args, *(a for k, v in _SMALL.items() for a in ("--set", f"{k}={v}"))]) == 0
    assert not (out / "config.cfg").exists()  # the folder is now a vote of two members
    rows = {}
    for member in ("seed0", "full1"):
        config = load_config(out / member / "config.cfg")
        assert config["components"]["tok2vec"]["model"]["embed"]["@architectures"] == ARCHITECTURE
        rows[member] = config["components"]["tok2vec"]["model"]["embed"]["rows"]
    assert rows == {"seed0": E5_ROWS, "full1": load_config(CONFIG)["components"]["tok2vec"]["model"]["embed"]["rows"]}
    record = json.loads((out / "training.json").read_text(encoding="utf-8"))
    assert record["seeds"] == [0] and record["full_seeds"] == [1] and record["members"]["full1"]["e5_layers"] == [1]
    assert record["members"]["full1"]["full_tables"] and not record["members"]["seed0"]["full_tables"]
    vote = load_model(out.resolve())
    assert isinstance(vote, Vote) and vote.need == 2
    assert _greedy(vote.members[0]) is None  # not MultiHashEmbed alone: spaCy's own loop runs it
    spans = ents(vote, [["Menteri", "Budi", "Santoso", "tiba"], []])
    assert len(spans) == 2 and spans[1] == []


def test_full_size_members_need_e5(tmp_path):
    with pytest.raises(SystemExit):
        main(["--data", str(tmp_path), "--out", str(tmp_path / "m"), "--full-seed", "0"])


def test_vote_keeps_the_spans_most_members_predict(tmp_path):
    """Three rule-based members: a span stands when two of three predict it with the same label."""
    from kabar.nlp.ner_model import Vote, ents

    patterns = {
        "a": [("PER", "Joko Widodo"), ("LOC", "Jakarta"), ("ORG", "Bank Dunia")],
        "b": [("PER", "Joko Widodo"), ("ORG", "Jakarta")],
        "c": [("PER", "Widodo"), ("LOC", "Jakarta"), ("ORG", "Bank Dunia")],
    }
    for name, pats in patterns.items():
        nlp = spacy.blank("xx")
        nlp.add_pipe("entity_ruler").add_patterns([{"label": lab, "pattern": p} for lab, p in pats])
        nlp.to_disk(tmp_path / name)
    (tmp_path / "members.json").write_text(json.dumps({"members": list(patterns)}), encoding="utf-8")
    vote = load_model(tmp_path.resolve())
    assert isinstance(vote, Vote)
    words = "Joko Widodo ke Jakarta bertemu Bank Dunia".split()
    assert ents(vote, [words]) == [[(0, 2, "PER"), (3, 4, "LOC"), (5, 7, "ORG")]]
    (tmp_path / "members.json").write_text(json.dumps({"members": ["a", "gone", "c"]}), encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        load_model.__wrapped__(tmp_path.resolve())


def test_shipped_e5_model_on_news_text():
    from kabar.nlp.ner_model import MODELS, ents

    nlp = load_model(MODELS["e5"])
    words = "Juru bicara Kremlin Dmitry Peskov mengatakan Presiden Joko Widodo tiba di Jakarta .".split()
    got = {(" ".join(words[a:b]), label) for a, b, label in ents(nlp, [words])[0]}
    assert {("Dmitry Peskov", "PER"), ("Joko Widodo", "PER"), ("Jakarta", "LOC")} <= got


def _reference(nlp, docs) -> list[list[tuple[int, int, str]]]:
    return [[(e.start, e.end, e.label_) for e in d.ents] for d in nlp.pipe(docs)]


def test_fast_decoding_chooses_what_spacy_chooses():
    """ner_model.ents replaces spaCy's transition loop: same spans on every line of the seeds,
    and on the edge cases of the BILUO rules (one word, a name as the last word, empty docs)."""
    from pathlib import Path

    from spacy.tokens import Doc

    from kabar.nlp.ner_model import DEFAULT_MODEL, _greedy, ents
    from kabar.nlp.tokens import tokenize

    nlp = load_model(DEFAULT_MODEL)
    assert _greedy(nlp) is not None  # the fast path runs, not spaCy's
    _greedy(nlp).cache.clear()
    seeds = sorted((Path(__file__).resolve().parent.parent / "examples" / "seeds").glob("*.txt"))
    lines = [ln for p in seeds for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]
    sents = [[t.text for t in tokenize(ln)] for ln in lines]
    sents += [["Jakarta"], [], ["Bertemu", "Joko", "Widodo"], ["Joko"], []]
    expected = _reference(nlp, [Doc(nlp.vocab, words=w) for w in sents])
    assert sum(map(len, expected)) > 200  # the seeds name many people, bodies and places
    assert ents(nlp, sents[:7]) + ents(nlp, sents[7:]) == expected  # words cached from the first call
    assert ents(nlp, sents) == expected  # a sentence's spans do not depend on its batch
    words = sorted({w for s in sents for w in s} | {"'s", "US$", "ÉCOLE", "İstanbul", "٣", "x" * 150})
    own = nlp.get_pipe("tok2vec").model.layers[0].predict([Doc(nlp.vocab, words=words)])[0]
    assert (_greedy(nlp).embed(words) == own).all()  # embedded without lexemes, the same rows
