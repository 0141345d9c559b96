"""Indonesian sentence splitting: abbreviations, numbers, initials, quotations, paragraphs."""

from __future__ import annotations

import pytest

from kabar.model import Article
from kabar.nlp.sentences import SentenceSplitter, split_paragraphs, split_sentences


def sents(text: str, lang: str = "id") -> list[str]:
    spans = split_sentences(text, lang)
    assert all(text[s.start : s.end] == text[s.start : s.end].strip() and s.start < s.end for s in spans)
    return [text[s.start : s.end] for s in spans]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tn. Yoon mengatakan Seoul akan mengirim delegasi. Ia juga khawatir.",
         ["Tn. Yoon mengatakan Seoul akan mengirim delegasi.", "Ia juga khawatir."]),
        ("Kantornya di Jl. Medan Merdeka No. 5, Jakarta. Rapat dimulai pukul 14.30 WIB. Hadir 1.500 orang.",
         ["Kantornya di Jl. Medan Merdeka No. 5, Jakarta.", "Rapat dimulai pukul 14.30 WIB.", "Hadir 1.500 orang."]),
        ("Surat ditandatangani a.n. Menteri oleh Budi Santoso, S.H. Kemudian surat dikirim.",
         ["Surat ditandatangani a.n. Menteri oleh Budi Santoso, S.H.", "Kemudian surat dikirim."]),
        ("Dr. Ahmad dan Prof. Siti hadir. Mereka membawa beras, gula, dll. Semua tiba pada 30/10/2024.",
         ["Dr. Ahmad dan Prof. Siti hadir.", "Mereka membawa beras, gula, dll.", "Semua tiba pada 30/10/2024."]),
        ("Nilainya Rp1,2 miliar atau naik 3,5 persen. Angka itu tercatat pada 2024.",
         ["Nilainya Rp1,2 miliar atau naik 3,5 persen.", "Angka itu tercatat pada 2024."]),
        ("Pesawat B.J. Habibie mendarat. Presiden B. J. Habibie hadir bersama Mark A. Smith.",
         ["Pesawat B.J. Habibie mendarat.", "Presiden B. J. Habibie hadir bersama Mark A. Smith."]),
        ("1. Pertama adalah keamanan. 2. Kedua adalah ekonomi.", ["1. Pertama adalah keamanan.", "2. Kedua adalah ekonomi."]),
        ("Dia menunggu... Kemudian dia pergi. Apa yang terjadi?! Tidak ada.",
         ["Dia menunggu...", "Kemudian dia pergi.", "Apa yang terjadi?!", "Tidak ada."]),
        ("Situs kompas.com. Dia membacanya.", ["Situs kompas.com.", "Dia membacanya."]),
    ],
)
def test_abbreviations_numbers_initials(text, expected):
    assert sents(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # sentence-final period inside the closing quote stays with the quote
        ('Ia berkata, "Kami siap." Rutte setuju.', ['Ia berkata, "Kami siap."', "Rutte setuju."]),
        ("“Ada banyak informasi yang saling bertentangan,” kata Peskov. “Korea Selatan mengklaim satu hal,” pungkas Peskov.",
         ["“Ada banyak informasi yang saling bertentangan,” kata Peskov.", "“Korea Selatan mengklaim satu hal,” pungkas Peskov."]),
        # a question or exclamation inside a quote followed by the attribution: no split
        ('"Siapa yang mengirim mereka?" tanya wartawan itu. Juru bicara diam.',
         ['"Siapa yang mengirim mereka?" tanya wartawan itu.', "Juru bicara diam."]),
        ("“Hentikan!” teriak mereka di depan kedutaan.", ["“Hentikan!” teriak mereka di depan kedutaan."]),
        # short exclamations inside one quotation stay together
        ('Ia berteriak, "Awas! Lari!" Semua orang berlari.', ['Ia berteriak, "Awas! Lari!"', "Semua orang berlari."]),
        # a quotation of several full sentences is split between them
        ('Presiden Yoon berkata, "Invasi Rusia telah mengguncang tatanan internasional. Hal ini dapat mengancam perdamaian dunia."',
         ['Presiden Yoon berkata, "Invasi Rusia telah mengguncang tatanan internasional.', 'Hal ini dapat mengancam perdamaian dunia."']),
        # ," kata X. after a multi-sentence quote: the attribution stays with the last part
        ('"Tidak hanya tarif tapi semua harus diatur. Kan bisa saling melengkapi satu sama lain," ucap Zulkifli di Gedung DPR. Ia pergi.',
         ['"Tidak hanya tarif tapi semua harus diatur.', 'Kan bisa saling melengkapi satu sama lain," ucap Zulkifli di Gedung DPR.', "Ia pergi."]),
        ("“Tidak. Itu saja,” kata dia.", ["“Tidak. Itu saja,” kata dia."]),
        ('"Saya tidak percaya. Ini luar biasa," kata dia.', ['"Saya tidak percaya.', 'Ini luar biasa," kata dia.']),
    ],
)
def test_quotations(text, expected):
    assert sents(text) == expected


def test_english_abbreviations():
    assert sents("Mr. Blinken met Gen. Austin in Washington. They spoke for an hour.", "en") == [
        "Mr. Blinken met Gen. Austin in Washington.", "They spoke for an hour."]


def test_never_crosses_paragraphs_or_lines():
    text = "Judul tanpa titik\n\nParagraf satu kalimat satu. Kalimat dua.\n\n  \nParagraf dua tanpa titik\nBaris lain."
    assert sents(text) == ["Judul tanpa titik", "Paragraf satu kalimat satu.", "Kalimat dua.", "Paragraf dua tanpa titik", "Baris lain."]
    paras = [text[p.start : p.end] for p in split_paragraphs(text)]
    assert paras == ["Judul tanpa titik", "Paragraf satu kalimat satu. Kalimat dua.", "Paragraf dua tanpa titik\nBaris lain."]
    for s in split_sentences(text):
        assert any(p.start <= s.start and s.end <= p.end for p in split_paragraphs(text))


def test_empty_and_odd_text():
    assert split_sentences("") == [] and split_paragraphs("") == []
    assert split_sentences("\n\n \n") == []
    assert sents("...") == ["..."]
    assert sents("“") == ["“"]


def test_stage_fills_article(seed_articles):
    stage = SentenceSplitter()
    a = stage(Article(id="a1", text=seed_articles[1].text, language="id"))
    assert len(a.paragraphs) == 15
    texts = [a.text[s.start : s.end] for s in a.sentences]
    assert "“Ada banyak informasi yang saling bertentangan,” kata Peskov." in texts
    assert ("Pada hari yang sama, Rutte berbicara dengan Presiden Korea Selatan Yoon Suk Yeol melalui telepon.") in texts
    assert any(t.startswith("Pemerintah Korea Selatan menjelaskan") and t.endswith("1.500 pasukan pasukan khusus ke Rusia untuk pelatihan.") for t in texts)
    assert stage(Article(id="a2", text="Odd text", language="xx")).sentences[0].end == 8
