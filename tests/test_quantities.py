"""Quantities: bounds, qualifiers, counted nouns and what must not be read as a count."""

from __future__ import annotations

import hashlib

import pytest

from kabar.model import Article, Corpus, check_cites
from kabar.nlp.quantities import QuantityExtractor, find_quantities

INF = None


def one(text: str):
    found = find_quantities(text)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("1.500 orang", 1500, 1500),
        ("12.000 orang", 12000, 12000),
        ("1,2 persen", 1.2, 1.2),
        ("10.000 orang", 10000, 10000),
        ("3,5 juta orang", 3_500_000, 3_500_000),
        ("Rp 1,2 triliun", 1.2e12, 1.2e12),
        ("2 miliar dolar AS", 2e9, 2e9),
        ("100 ribu orang", 100_000, 100_000),
        ("empat brigade", 4, 4),
        ("dua belas ribu orang", 12_000, 12_000),
        ("seribu lima ratus orang", 1500, 1500),
        ("tiga puluh lima orang", 35, 35),
        ("sebelas orang", 11, 11),
        ("seratus orang", 100, 100),
        ("sejuta orang", 1e6, 1e6),
        ("setengah persen", 0.5, 0.5),
        ("1.5 juta orang", 1.5e6, 1.5e6),
        ("50%", 50, 50),
        ("5km", 5, 5),
    ],
)
def test_exact_values(text: str, low: float, high: float) -> None:
    q = one(text)
    assert (q.low, q.high, q.qualifier) == (pytest.approx(low), pytest.approx(high), "=")


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("puluhan orang", 10, 99),
        ("ratusan orang", 100, 999),
        ("ribuan prajurit", 1000, 9999),
        ("puluhan ribu orang", 10_000, 99_000),
        ("ratusan ribu orang", 100_000, 999_000),
        ("jutaan orang", 1e6, 9_999_999),
        ("1.000-an orang", 1000, 1000),
    ],
)
def test_vague_amounts(text: str, low: float, high: float) -> None:
    q = one(text)
    assert (q.low, q.high, q.qualifier) == (pytest.approx(low), pytest.approx(high), "~")


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("10.000 hingga 12.000 tentara", 10_000, 12_000),
        ("10.000-12.000 tentara", 10_000, 12_000),
        ("10.000 - 12.000 tentara", 10_000, 12_000),
        ("10.000 sampai 12.000 tentara", 10_000, 12_000),
        ("antara 10 dan 12 ribu tentara", 10_000, 12_000),
        ("antara 10.000 dan 12.000 tentara", 10_000, 12_000),
        ("1,5-2 juta orang", 1.5e6, 2e6),
        ("dua hingga tiga ribu orang", 2000, 3000),
        ("500 hingga 2 ribu orang", 500, 2000),
    ],
)
def test_ranges(text: str, low: float, high: float) -> None:
    q = one(text)
    assert (q.low, q.high, q.qualifier) == (pytest.approx(low), pytest.approx(high), "=")
    assert q.concept in ("troops", "people")


@pytest.mark.parametrize(
    "text, qualifier, low, high",
    [
        ("lebih dari 10.000 prajurit", ">", 10_000, INF),
        ("di atas 50 persen", ">", 50, INF),
        ("10.000 lebih prajurit", ">", 10_000, INF),
        ("sedikitnya 5 orang", ">=", 5, INF),
        ("setidaknya 5 orang", ">=", 5, INF),
        ("minimal 3 orang", ">=", 3, INF),
        ("paling sedikit 4 orang", ">=", 4, INF),
        ("hingga 100.000 prajurit", "<=", INF, 100_000),
        ("Hingga 100.000 prajurit", "<=", INF, 100_000),
        ("sampai 20 orang", "<=", INF, 20),
        ("mencapai 12.000 tentara", "<=", INF, 12_000),
        ("maksimal 8 orang", "<=", INF, 8),
        ("paling banyak 9 orang", "<=", INF, 9),
        ("kurang dari 7 orang", "<", INF, 7),
        ("di bawah 7 persen", "<", INF, 7),
        ("sekitar 300 orang", "~", 300, 300),
        ("kira-kira 40 orang", "~", 40, 40),
        ("hampir 10.000 orang", "~", 10_000, 10_000),
        ("sekitar 10-12 ribu orang", "~", 10_000, 12_000),
    ],
)
def test_qualifiers(text: str, qualifier: str, low: float | None, high: float | None) -> None:
    q = one(text)
    assert q.qualifier == qualifier
    assert q.low == (None if low is None else pytest.approx(low))
    assert q.high == (None if high is None else pytest.approx(high))
    assert q.text == text  # the cite covers qualifier, number and noun


@pytest.mark.parametrize(
    "text, unit_text, concept",
    [
        ("1.500 pasukan khusus", "pasukan khusus", "troops"),
        ("1.500 pasukan pasukan khusus", "pasukan khusus", "troops"),
        ("1.500 pasukan operasi khusus ke Rusia", "pasukan operasi khusus", "troops"),
        ("12.000 tentara Korea Utara", "tentara", "troops"),
        ("10.000 prajurit Korea Utara", "prajurit", "troops"),
        ("300 personel militer", "personel militer", "troops"),
        ("empat brigade", "brigade", "brigade"),
        ("5 persen", "persen", "percent"),
        ("5%", "persen", "percent"),
        ("Rp 5 juta", "rupiah", "IDR"),
        ("Rp5 juta", "rupiah", "IDR"),
        ("5 juta rupiah", "rupiah", "IDR"),
        ("US$ 5 miliar", "dolar AS", "USD"),
        ("30 orang", "orang", "people"),
        ("tiga orang prajurit", "prajurit", "troops"),
        ("tiga kriteria", "kriteria", None),
        ("12.000 yang", None, None),
        ("dua kali", "kali", "times"),
        ("AS Yakin Ada 3.000 Tentara", "Tentara", "troops"),  # headline case keeps a known noun
    ],
)
def test_counted_noun(text: str, unit_text: str | None, concept: str | None) -> None:
    q = find_quantities(text)[0]
    assert (q.unit_text, q.concept) == (unit_text, concept)


@pytest.mark.parametrize(
    "text",
    [
        "pukul 14.30 WIB",
        "Rabu (30/10/2024) pukul 14.30 WIB",
        "pada tahun 2024",
        "pada 2024",
        "Oktober 2024",
        "15 Oktober 2024",
        "Senin (28/10)",
        "28/10",
        "tiga hari lalu",
        "tahun 1990-an",
        "G20",
        "Su-27",
        "ke-3",
        "nomor 5",
        "Pasal 5",
        "COVID-19",
        "0812-3456-7890",
        "+62 812 3456 7890",
        "(021) 5551234",
        "182194484",
        "Komentar (0)",
        "4G",
        "skor 2-1",
        "versi 1.5",
        "salah satu",
        "satu-satunya",
        "kedua negara",
        "baoquocte.vn/thong-tin-291854.html",
        "[iklan_2]",
        "hrhr@korea.kr",
        "di Kepulauan Seribu",
        "Juventus menang 2 - 0 atas Ajax",  # a score
        "skor 1-1",
        "dengan pakem 3-5-2",  # a formation
        "menit ke - 62",  # spaced ordinal
        "satu sama lain",
        "satelit Telkom 1 yang aktif",  # a number inside a name
        "Surat bernomor 111/YA",
        "sedang salat Jumat",
    ],
)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_year_inside_text_is_no_count_but_neighbours_are() -> None:
    qs = find_quantities("Pada 2024, sebanyak 2000 orang dan 1.500 tentara dikirim.")
    assert [(q.low, q.concept) for q in qs] == [(2000, "people"), (1500, "troops")]


def test_cites_are_exact_and_value_text_as_written() -> None:
    text = "Sedikitnya dua belas ribu tentara, dan Rp 1,2 triliun, tewas 3,5 juta orang."
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text
        assert text[q.value_start : q.value_end] == q.value_text
    assert [q.value_text for q in find_quantities(text)] == ["dua belas ribu", "1,2 triliun", "3,5 juta"]


def _article(text: str, **kw) -> Article:
    return Article(id="a" + hashlib.sha1(text.encode()).hexdigest()[:10], text=text, language="id", **kw)


def test_stage_ids_context_and_cites() -> None:
    text = "Baca juga: AS yakin ada 3.000 tentara di Rusia\nKorut mengirim 1.500 pasukan khusus."
    art = _article(text)
    art.related_headlines = [art.cite(0, text.index("\n"))]
    art = QuantityExtractor()(art)
    assert [q.id for q in art.quantities] == [f"{art.id}:n1", f"{art.id}:n2"]
    assert [q.context for q in art.quantities] == ["related-headline", "body"]
    assert check_cites(Corpus(articles=[art])) == []


def test_stage_skips_languages_without_number_data() -> None:
    art = _article("About 1,500 troops were sent.")
    art.language = "xx"
    assert QuantityExtractor()(art).quantities == []


def test_stage_never_raises_on_odd_text() -> None:
    stage = QuantityExtractor()
    for text in ["", "1", "Rp", "lebih dari", "antara 5 dan", "10.000-", "\n\n12.\n", "ribuan", "%%%", "9" * 500]:
        stage(_article(text))


SEED_EXPECTED = {
    "001": [("1.500 pasukan pasukan khusus", 1500, 1500, "=", "troops"), ("empat brigade", 4, 4, "=", "brigade"),
            ("12.000 tentara", 12000, 12000, "=", "troops")],
    "002": [("mencapai 12.000 tentara", None, 12000, "<=", "troops")],
    "003": [("1.500 pasukan operasi khusus", 1500, 1500, "=", "troops"), ("10.000 tentara", 10000, 10000, "=", "troops")],
    "004": [("ribuan prajurit", 1000, 9999, "~", "troops"), ("lebih dari 10.000 prajurit", 10000, None, ">", "troops"),
            ("Hingga 100.000 prajurit", None, 100000, "<=", "troops")],
}


@pytest.mark.parametrize("seed", sorted(SEED_EXPECTED))
def test_seed_quantities(seeds_dir, seed: str) -> None:
    (path,) = seeds_dir.glob(f"{seed}_*.txt")
    found = [(q.text, q.low, q.high, q.qualifier, q.concept) for q in find_quantities(path.read_text(encoding="utf-8"))]
    for expected in SEED_EXPECTED[seed]:
        assert expected in found


def test_seed_has_no_date_or_year_quantities(seeds_dir) -> None:
    for path in seeds_dir.glob("*.txt"):
        for q in find_quantities(path.read_text(encoding="utf-8")):
            assert q.low not in (2024, 28, 24, 15, 29, 25, 182194484), q.text
