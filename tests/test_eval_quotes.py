"""`kabar.eval.quotes` on small synthetic files in the PFSA-ID format, and once on the real dev file
when ../shared is present. The real file is CC BY-NC-SA and nothing of it is copied here: the
articles below were written for these tests, datelines included (places the real file never uses)."""

from __future__ import annotations

import json
import re

from kabar.eval import quotes as E
from kabar.eval.quotes import detokenize, evaluate, gold_statements, read_docs, render
from kabar.model import Article, Mention

ARTICLE_1 = """\
CIBINONG O
, O
KOMPAS O
— O
Hujan O
turun O
. O

Menteri B-ROLE
Sosial L-ROLE
Budi U-PERSON
hadir O
. O
” B-STATEMENT

Kami I-STATEMENT
siap I-STATEMENT
membantu I-STATEMENT
semua I-STATEMENT
korban I-STATEMENT
banjir I-STATEMENT
, I-STATEMENT
” L-STATEMENT
kata U-CUE
Budi U-PERSONCOREF
. O

” B-STATEMENT
Bantuan I-STATEMENT
sudah I-STATEMENT
dikirim I-STATEMENT
ke I-STATEMENT
semua I-STATEMENT
posko I-STATEMENT
, I-STATEMENT
” L-STATEMENT
katanya U-CUECOREF
. O
"""

ARTICLE_2 = """\
SUKABUMI O
, O
KOMPAS O
— O
Ani U-PERSON
mengatakan U-CUE
, O
“ B-STATEMENT
Sekolah I-STATEMENT
dibuka I-STATEMENT
lagi I-STATEMENT
pekan I-STATEMENT
depan I-STATEMENT
. I-STATEMENT
” L-STATEMENT

Warga O
menyebutnya O
” O
pasar O
kaget O
” O
. O
"""


def write(tmp_path, *articles: str):
    path = tmp_path / "pfsa.txt"
    path.write_text("\n".join(a.rstrip("\n") + "\n" for a in articles), encoding="utf-8")
    return path


def test_reader_splits_articles_at_datelines(tmp_path):
    docs = read_docs(write(tmp_path, ARTICLE_1, ARTICLE_2))
    assert len(docs) == 2
    assert docs[0].tokens[:2] == ["CIBINONG", ","] and docs[1].tokens[0] == "SUKABUMI"
    assert len(docs[0].sentences) == 4


def test_detokenize_attaches_marks_and_keeps_offsets(tmp_path):
    doc = read_docs(write(tmp_path, ARTICLE_1))[0]
    text, offsets, sents = detokenize(doc.tokens, doc.sentences)
    assert "hadir. ”Kami siap membantu semua korban banjir,” kata Budi." in text
    assert "”Bantuan sudah dikirim ke semua posko,” katanya." in text
    assert all(text[a:b] == tok for (a, b), tok in zip(offsets, doc.tokens, strict=True))
    assert len(sents) == len(doc.sentences)


def test_gold_speaker_linking_rule(tmp_path):
    doc1, doc2 = read_docs(write(tmp_path, ARTICLE_1, ARTICLE_2))
    g1, g2 = gold_statements(doc1)
    assert doc1.tokens[slice(*g1.speaker)] == ["Budi"] and g1.speaker[0] > g1.span[1]  # not the earlier PERSON
    assert doc1.tokens[slice(*g2.speaker)] == ["katanya"] and g2.label == "CUECOREF"
    (g3,) = gold_statements(doc2)
    assert doc2.tokens[slice(*g3.speaker)] == ["Ani"] and g3.label == "PERSON"  # the speaker before the quote


def test_evaluate_scores_a_perfect_small_file(tmp_path):
    result = evaluate(write(tmp_path, ARTICLE_1, ARTICLE_2), entities=False)
    assert result["articles"] == 2
    assert result["counts"]["gold"] == 3 and result["counts"]["pred"] == 3  # the scare quote is not a quote
    assert result["statement_exact"]["f1"] == 100.0
    assert result["statement_speaker"]["f1"] == 100.0 and result["attribution_accuracy"] == 100.0
    last = render(result).splitlines()[-1]
    assert json.loads(last)["statement_speaker"]["f1"] == 100.0


def test_evaluate_counts_a_wrong_speaker(tmp_path):
    wrong = ARTICLE_2.replace("Ani U-PERSON\nmengatakan U-CUE", "Ani O\nmengatakan U-CUE\nkepada O\nBudi U-PERSON")
    result = evaluate(write(tmp_path, wrong), entities=False)
    assert result["counts"]["overlap"] == 1 and result["counts"]["speaker_ok"] == 0
    assert result["statement_speaker"]["f1"] == 0.0


def test_pronoun_resolution_is_scored_against_the_last_gold_person(tmp_path, monkeypatch):
    class Names:
        """A stand-in recogniser: every "Budi" is a PER mention."""

        name = "names"

        def __call__(self, art: Article) -> Article:
            found = [m.span() for m in re.finditer(r"\bBudi\b", art.text)]
            art.mentions = [Mention(f"{art.id}:m{n}", a, b, "Budi", "PER") for n, (a, b) in enumerate(found, 1)]
            return art

    monkeypatch.setattr(E, "_stages", lambda entities=True: ([Names()], ["names"]))
    result = evaluate(write(tmp_path, ARTICLE_1))
    assert result["counts"]["pronouns"] == 1 and result["pronoun_resolution"] == 100.0


def test_dev_file_meets_the_goal(shared_data):
    """The real PFSA-ID dev file, first 80 articles, no entity model (the full run: `python -m kabar.eval.quotes`)."""
    result = evaluate(shared_data / "quotes" / "pfsa-id" / "dev-40.txt", limit=80, entities=False)
    assert result["statement_overlap"]["recall"] >= 90
    assert result["statement_speaker"]["f1"] >= 85


def test_synthetic_articles_share_no_passage_with_the_real_file(shared_data):
    """PFSA-ID is CC BY-NC-SA: the articles above are written for these tests, not taken from it.
    No run of six tokens of them occurs in the real dev file (shorter runs are stock phrases such
    as `, ” kata Budi .`)."""
    real = [ln.split("\t")[0] for ln in (shared_data / "quotes" / "pfsa-id" / "dev-40.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]
    ours = [ln.split()[0] for art in (ARTICLE_1, ARTICLE_2) for ln in art.splitlines() if ln.strip()]
    runs = {tuple(real[i:i + 6]) for i in range(len(real) - 5)}
    assert len(ours) > 50 and len(runs) > 10_000
    assert not [ours[i:i + 6] for i in range(len(ours) - 5) if tuple(ours[i:i + 6]) in runs]
