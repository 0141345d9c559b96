import pytest

from kabar.crossdoc.copies import CopyDetector, MinHasher, independence_groups, jaccard, shingles, words
from kabar.model import Article, Copy, Corpus

WIRE = (
    "Pemerintah Provinsi Jawa Barat menetapkan status tanggap darurat banjir selama empat belas hari "
    "setelah hujan deras merendam ribuan rumah di Kabupaten Bandung. "
    "Kepala Badan Penanggulangan Bencana Daerah mengatakan sedikitnya 3.200 warga mengungsi ke "
    "balai desa dan masjid terdekat pada Selasa malam. "
    "Petugas gabungan masih menyisir permukiman di bantaran Sungai Citarum untuk mencari warga yang terjebak."
)
# the same wire paragraph as another outlet prints it: words swapped, a phrase cut, a sentence reworded
REWRITE = (
    "Pemprov Jawa Barat menetapkan status tanggap darurat banjir selama empat belas hari "
    "setelah hujan lebat merendam ribuan rumah di Kabupaten Bandung. "
    "Kepala Badan Penanggulangan Bencana Daerah menyebutkan sedikitnya 3.200 warga mengungsi ke "
    "balai desa dan masjid pada Selasa malam. "
    "Tim gabungan masih menyisir permukiman di bantaran Sungai Citarum guna mencari warga yang terjebak."
)
OTHER = (
    "Tim nasional bulu tangkis Indonesia memboyong dua gelar dari turnamen di Jepang akhir pekan lalu. "
    "Pasangan ganda putra menang dua gim langsung atas unggulan pertama dari Tiongkok. "
    "Pelatih mengatakan hasil itu menjadi modal penting menjelang kejuaraan dunia bulan depan."
)


def _article(aid: str, text: str, wires: list[str] | None = None, split: bool = False) -> Article:
    art = Article(id=aid, text=text, wire_credits=wires or [])
    if split:
        from kabar.nlp.sentences import split_sentences

        art.sentences = split_sentences(text)
    return art


def _corpus(split: bool = False) -> Corpus:
    a = _article("a1", "BANDUNG, Kabar - " + WIRE + "\n\nWarga berharap bantuan segera datang ke lokasi.", ["Antara"], split)
    b = _article("a2", "Banjir besar melanda Bandung.\n\n" + REWRITE + "\n\nHingga berita ini diturunkan, hujan masih turun.", None, split)
    c = _article("a3", OTHER, None, split)
    return Corpus(articles=[a, b, c])


def test_words_normalise_case_and_compatibility_forms():
    assert words("Ｊakarta “KATA” Dia") == ["jakarta", "kata", "dia"]


def test_minhash_signature_is_deterministic():
    s = shingles(WIRE)
    assert (MinHasher().signature(s) == MinHasher().signature(s)).all()
    assert jaccard(s, s) == 1.0 and jaccard(s, set()) == 0.0


@pytest.mark.parametrize("split", [False, True], ids=["by-paragraph", "by-sentence"])
def test_rewritten_wire_paragraph_is_a_copy_with_origin(split):
    corpus = CopyDetector()(_corpus(split))
    assert corpus.copies, "the rewritten wire paragraph was not found"
    by_pair = {(c.a.article, c.b.article) for c in corpus.copies}
    assert by_pair == {("a1", "a2")}
    texts = {a.id: a.text for a in corpus.articles}
    for c in corpus.copies:
        assert isinstance(c, Copy)
        assert texts[c.a.article][c.a.start:c.a.end] == c.a.text
        assert texts[c.b.article][c.b.start:c.b.end] == c.b.text
        assert 0.35 <= c.similarity <= 1.0
        assert c.origin == "Antara"
    # consecutive copied sentences merge into one passage covering the wire paragraph
    longest = max(corpus.copies, key=lambda c: c.b.end - c.b.start)
    assert "Citarum" in longest.b.text and "Pemprov" in longest.b.text


def test_unrelated_articles_share_nothing():
    corpus = Corpus(articles=[_article("x1", WIRE), _article("x2", OTHER)])
    assert CopyDetector()(corpus).copies == []


def test_independence_groups_join_copies_and_shared_wires():
    corpus = CopyDetector()(_corpus())
    corpus.articles.append(_article("a4", "Laporan lain yang berbeda isinya sama sekali dari semua berita di atas.", ["REUTERS"]))
    corpus.articles.append(_article("a5", "Satu lagi laporan yang ditulis sendiri oleh wartawan kami di lapangan.", ["Reuters"]))
    groups = independence_groups(corpus)
    assert groups["a1"] == groups["a2"] == "g1"
    assert groups["a3"] == "g2"
    assert groups["a4"] == groups["a5"] == "g3"


def test_a_single_shared_sentence_does_not_merge_long_articles():
    """Two outlets quoting one statement are not copies of each other as a whole."""
    quote = "Kami akan terus memantau perkembangan situasi di lapangan bersama seluruh pihak terkait."
    long_a = " ".join(f"Kalimat pertama nomor {i} tentang hal yang berlainan sekali." for i in range(30))
    long_b = " ".join(f"Uraian kedua bagian {i} dengan susunan kata yang lain lagi." for i in range(30))
    corpus = Corpus(articles=[_article("q1", long_a + "\n\n" + quote), _article("q2", quote + "\n\n" + long_b)])
    corpus = CopyDetector()(corpus)
    assert len(corpus.copies) == 1
    groups = independence_groups(corpus)
    assert groups["q1"] != groups["q2"]


def test_minhash_tells_small_integer_sets_apart():
    """Term ids are small consecutive integers: two sets that share only their smallest ids must not
    get the same signature (a linear hash on raw ids picks the smallest id every time)."""
    hasher = MinHasher()
    base = set(range(100))
    near = (base - set(range(90, 100))) | set(range(200, 210))  # Jaccard 0.82
    other = set(range(5)) | set(range(1000, 1095))  # shares ids 0-4 only: Jaccard 0.03
    agree = lambda x, y: float((hasher.signature(x) == hasher.signature(y)).mean())  # noqa: E731
    assert agree(base, near) > 0.6
    assert agree(base, other) < 0.2
