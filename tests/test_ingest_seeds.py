"""The five bundled seeds through ingestion: boilerplate out, body in, metadata found."""

from __future__ import annotations

import pytest

from kabar.ingest.clean import normalise_line, split_lines


def _by_prefix(seed_articles, prefix: str):
    for a in seed_articles:
        if a.source.rsplit("/", 1)[-1].startswith(prefix):
            return a
    raise AssertionError(prefix)


def _removed(article, reason: str | None = None) -> list[str]:
    return [r.text for r in article.removed if reason is None or r.reason == reason]


def _paragraphs(article) -> list[str]:
    return article.text.split("\n\n")


def test_seed_000_korea_net(seed_articles):
    a = _by_prefix(seed_articles, "000")
    assert a.author == "Park Hye Ri"
    assert a.title is None  # the first line is a photo caption, not a headline
    caption = next(r for r in a.removed if r.reason == "caption")
    assert caption.line == 0 and caption.text.endswith("(Kantor Kepresidenan Republik Korea)")
    assert "terlihat sedang memimpin rapat kabinet" not in a.text
    assert _removed(a, "contact-email") == ["hrhr@korea.kr"]
    assert "hrhr@korea.kr" not in a.text and "Penulis" not in a.text
    assert a.meta["contact_emails"] == ["hrhr@korea.kr"]
    assert _paragraphs(a)[0].startswith("Presiden Yoon Suk Yeol menelepon Sekretaris Jenderal NATO")
    assert _paragraphs(a)[-1].startswith("Presiden Yoon menambahkan,")
    assert len(_paragraphs(a)) == 12


def test_seed_001_inakoran(seed_articles):
    a = _by_prefix(seed_articles, "001")
    assert a.title == "Sekjen NATO Peringatkan Korea Utara Karena Mengirim Pasukan Untuk Bantu Rusia Melawan Ukraina"
    assert a.outlet == "Inakoran" and a.dateline == "Jakarta"
    removed = {r.text: r.reason for r in a.removed}
    assert removed["TAG#Mark Rutte, #Sekjen NATO, #Korut, #Pasukan Korut, #Rusia, #Ukraina"] == "tags"
    assert removed["182194484"] == "numeric-id"
    assert removed["KOMENTAR"] == "comment-box"
    assert removed["Jakarta, Inakoran"] == "dateline"
    assert "“Ada banyak informasi yang saling bertentangan,” kata Peskov." in _paragraphs(a)
    assert "Sekjen NATO" in a.meta["tags"] and "Ukraina" in a.meta["tags"]
    assert a.title not in a.text and "182194484" not in a.text
    assert set(a.wire_credits) == {"Kyodo", "Yonhap"}


def test_seed_002_baoquocte(seed_articles):
    a = _by_prefix(seed_articles, "002")
    assert a.url is not None and a.url.startswith("https://baoquocte.vn/thong-tin-quan-doi-trieu-tien")
    assert a.url.endswith("-291854.html")
    removed = {r.text: r.reason for r in a.removed}
    assert removed["[iklan_2]"] == "ad"
    assert removed["Komentar (0)"] == "comment-box"
    assert removed[next(t for t in removed if t.endswith("(Sumber: Yonhap) |"))] == "caption"
    assert "Sumber:" not in a.text and "[iklan_2]" not in a.text
    assert _paragraphs(a)[0].startswith("Pada tanggal 29 Oktober, Presiden Korea Selatan")
    assert _paragraphs(a)[-1].endswith('"Jika ada gambar, maka itu mencerminkan sesuatu."')
    assert a.wire_credits == ["Yonhap"]
    assert a.title is None


def test_seed_003_kontan(seed_articles):
    a = _by_prefix(seed_articles, "003")
    assert a.outlet == "Kontan"
    assert a.title == "Utusan Korsel akan Berkunjung ke Markas NATO, Bicarakan Hubungan Rusia-Korut"
    assert a.text.startswith("Korea Selatan akan mengirim utusan ke markas besar")
    assert "KONTAN.CO.ID" not in a.text
    assert ("KONTAN.CO.ID -", "outlet-prefix") in [(r.text, r.reason) for r in a.removed]
    assert "Baca Juga" not in a.text and "Tonton" not in a.text
    assert "AS Yakin Ada 3.000 Tentara Korea Utara yang Sedang Berlatih di Rusia" in a.meta["related_headlines"]
    assert "Perseteruan Korea Selatan dan Korea Utara Merambat Hingga ke Ukraina" in a.meta["related_headlines"]
    assert {r.reason for r in a.removed if r.text.startswith(("Baca Juga", "Tonton"))} == {"related-article", "related-video"}
    # The subheading after the teasers is the article's own, and stays.
    assert "Potensi Korea Selatan Masuk ke Perang Ukraina" in _paragraphs(a)
    assert a.wire_credits == ["Yonhap"]


def test_seed_004_afp(seed_articles):
    a = _by_prefix(seed_articles, "004")
    assert a.wire_credits[0] == "AFP" and "Bloomberg" in a.wire_credits
    assert a.title == "Kyiv dan Seoul meningkatkan ikatan keamanan guna mengatasi pengerahan prajurit Korea Utara di Rusia"
    removed = {r.text: r.reason for r in a.removed}
    assert removed["Asia Timur LautKonflik / Ketegangan"] == "breadcrumb"
    assert removed["Agence France-Presse"] == "wire-credit"
    assert removed["Artikel Terkait"] == "related-heading"
    assert removed["Tinggalkan Balasan"] == "comment-box"
    assert removed["Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *"] == "comment-box"
    assert removed["Back to top button"] == "navigation"
    assert _paragraphs(a)[0].startswith("Korea Selatan dan Ukraina akan meningkatkan kerja sama keamanan")
    assert _paragraphs(a)[-1].endswith("pengiriman awalnya akan berupa persenjataan pertahanan.")


def test_seeds_common(seed_articles):
    for a in seed_articles:
        assert a.language == "id", a.source
        assert a.format == "text"
        assert a.published is None  # the seeds state no date; the time tagger estimates it
        assert a.id.startswith("a") and len(a.id) == 11
        assert "\n\n\n" not in a.text and a.text == a.text.strip()
    assert len({a.id for a in seed_articles}) == 5


@pytest.mark.parametrize("index", range(5))
def test_nothing_is_dropped_silently(seed_articles, seeds_dir, index):
    """Every non-blank raw line is in the clean text or in `removed` (as a whole or as prefix + rest)."""
    a = seed_articles[index]
    raw = split_lines((seeds_dir / a.source.rsplit("/", 1)[-1]).read_text(encoding="utf-8"))
    removed_at = {}
    for r in a.removed:
        removed_at.setdefault(r.line, []).append(r.text)
    for n, line in enumerate(raw):
        line = normalise_line(line)
        if not line:
            continue
        pieces = removed_at.get(n, [])
        if line in pieces:
            continue
        rest = line
        for piece in pieces:  # a stripped prefix or suffix
            rest = rest.replace(piece, "", 1).strip()
        assert rest and rest in a.text, (n, line)
