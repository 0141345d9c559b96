"""The plain-text cleaner on messy pastes written for these tests (not the seeds)."""

from __future__ import annotations

import pytest

from kabar.ingest.clean import Cleaner
from kabar.ingest.meta import canonical_outlet, parse_byline, parse_date_line, parse_dateline_prefix, wires


@pytest.fixture(scope="module")
def clean():
    return Cleaner()


def reasons(cleaned) -> dict[str, str]:
    return {r.text: r.reason for r in cleaned.removed}


KOMPAS_STYLE = """Home > Internasional > Asia

Korea Utara Kirim 10.000 Tentara ke Rusia, Ini Kata Pentagon
Kompas.com - 29/10/2024, 08:15 WIB
Penulis Aditya Jaya Iswara | Editor Aditya Jaya Iswara

Ilustrasi tentara Korea Utara berbaris di Pyongyang. (AFP/KCNA VIA KNS)

WASHINGTON DC, KOMPAS.com - Pentagon pada Senin (28/10/2024) mengatakan, Korea Utara telah mengirim sekitar 10.000 tentara ke Rusia.
Juru bicara Pentagon Sabrina Singh mengatakan, sebagian pasukan itu sudah bergerak ke dekat Ukraina.

"Kami prihatin. Ini perkembangan yang berbahaya," kata Singh, dikutip dari Reuters.
Baca juga: Korut Kirim Pasukan, Korsel Pertimbangkan Kirim Senjata ke Ukraina
Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com. Mari bergabung di Grup Telegram "Kompas.com News Update", caranya klik link https://t.me/x, kemudian join.
Copyright 2008 - 2024 PT. Kompas Cyber Media (Kompas Gramedia Group). All Rights Reserved.
"""


def test_kompas_style_header_and_footer(clean):
    c = clean(KOMPAS_STYLE)
    assert c.title == "Korea Utara Kirim 10.000 Tentara ke Rusia, Ini Kata Pentagon"
    assert c.outlet == "Kompas.com" and c.dateline == "Washington DC"
    assert c.published == "2024-10-29"
    assert c.author == "Aditya Jaya Iswara" and c.meta["editor"] == "Aditya Jaya Iswara"
    assert c.wire_credits == ["Reuters"]
    r = reasons(c)
    assert r["Home > Internasional > Asia"] == "breadcrumb"
    assert r["Kompas.com - 29/10/2024, 08:15 WIB"] == "date-line"
    assert r["Ilustrasi tentara Korea Utara berbaris di Pyongyang. (AFP/KCNA VIA KNS)"] == "caption"
    assert r["WASHINGTON DC, KOMPAS.com -"] == "outlet-prefix"
    assert r[next(t for t in r if t.startswith("Dapatkan update"))] == "promo"
    assert r[next(t for t in r if t.startswith("Copyright"))] == "copyright"
    assert c.meta["related_headlines"] == ["Korut Kirim Pasukan, Korsel Pertimbangkan Kirim Senjata ke Ukraina"]
    assert c.text.split("\n\n") == [
        "Pentagon pada Senin (28/10/2024) mengatakan, Korea Utara telah mengirim sekitar 10.000 tentara ke Rusia.",
        "Juru bicara Pentagon Sabrina Singh mengatakan, sebagian pasukan itu sudah bergerak ke dekat Ukraina.",
        '"Kami prihatin. Ini perkembangan yang berbahaya," kata Singh, dikutip dari Reuters.',
    ]


def test_antara_style_dateline_editor_code_and_bylines(clean):
    c = clean(
        "Jakarta (ANTARA) - Menteri Luar Negeri mengatakan Indonesia terus memantau situasi.\n\n"
        "Menurut dia, stabilitas kawasan sangat penting. (ant)\n\n"
        "Pewarta: Yashinta Difa\nEditor: Budi Suyanto\nCOPYRIGHT © ANTARA 2024\n"
    )
    assert (c.dateline, c.outlet, c.author) == ("Jakarta", "Antara", "Yashinta Difa")
    assert "Antara" in c.wire_credits
    assert c.text == "Menteri Luar Negeri mengatakan Indonesia terus memantau situasi.\n\nMenurut dia, stabilitas kawasan sangat penting."
    r = reasons(c)
    assert r["(ant)"] == "editor-code" and r["Jakarta (ANTARA) -"] == "outlet-prefix"
    assert r["COPYRIGHT © ANTARA 2024"] == "copyright"


def test_english_paste(clean):
    c = clean(
        "World\nNorth Korean troops could enter fighting 'in coming days', Blinken says\n"
        "By Simon Lewis and Daphne Psaledakis\nOctober 31, 2024 7:41 PM GMT+7 Updated 2 hours ago\n\n"
        "WASHINGTON, Oct 31 (Reuters) - U.S. Secretary of State Antony Blinken said some 8,000 troops are in Kursk.\n"
        "Advertisement · Scroll to continue\nReporting by Simon Lewis; Editing by Don Durfee\n"
    )
    assert c.title.startswith("North Korean troops could enter fighting")
    assert c.author == "Simon Lewis and Daphne Psaledakis" and c.meta["editor"] == "Don Durfee"
    assert (c.dateline, c.outlet, c.published) == ("Washington", "Reuters", "2024-10-31")
    assert c.text == "U.S. Secretary of State Antony Blinken said some 8,000 troops are in Kursk."
    assert reasons(c)["World"] == "section"


def test_caption_versus_wire_credit_suffix(clean):
    c = clean(
        "Pasukan itu tiba pada Rabu malam, kata pejabat setempat. (Reuters)\n"
        "Tentara Korea Utara terlihat berbaris di Pyongyang. (Reuters)\n"
        "Kim Jong Un menghadiri parade militer. (Foto: KCNA)\n"
        "Dia tiba di markas Pakta Pertahanan Atlantik Utara (NATO)\n"
    )
    r = reasons(c)
    assert r["(Reuters)"] == "credit-suffix"
    assert r["Tentara Korea Utara terlihat berbaris di Pyongyang. (Reuters)"] == "caption"
    assert r["Kim Jong Un menghadiri parade militer. (Foto: KCNA)"] == "caption"
    assert c.text.split("\n\n") == [
        "Pasukan itu tiba pada Rabu malam, kata pejabat setempat.",
        "Dia tiba di markas Pakta Pertahanan Atlantik Utara (NATO)",
    ]
    assert c.wire_credits == ["Reuters"]


def test_related_list_after_heading_and_comment_form(clean):
    c = clean(
        "Isi berita pertama yang cukup panjang untuk dianggap paragraf.\n\n"
        "Berita Terkait\nRusia Bantah Terima Pasukan Korea Utara\nNATO Gelar Rapat Darurat di Brussels\n\n"
        "Paragraf penutup ini kembali ke isi berita.\n"
        "Tinggalkan Komentar\nNama *\nEmail *\nSimpan nama, email, dan situs web saya pada peramban ini untuk komentar saya berikutnya.\n"
        "Bagikan\nFacebook\nTwitter\nWhatsApp\n"
    )
    assert c.meta["related_headlines"] == ["Rusia Bantah Terima Pasukan Korea Utara", "NATO Gelar Rapat Darurat di Brussels"]
    assert c.text == "Isi berita pertama yang cukup panjang untuk dianggap paragraf.\n\nParagraf penutup ini kembali ke isi berita."
    assert {r.reason for r in c.removed} == {"related-heading", "related-article", "comment-box", "share-buttons"}


def test_one_paragraph_per_line_and_hard_wrapped_lines(clean):
    c = clean(
        "Seoul mengatakan pasukan Korea Utara telah tiba di wilayah Kursk dan\n"
        "kemungkinan akan segera dikerahkan ke garis depan.\n"
        "Pejabat Korea Selatan menambahkan bahwa jumlahnya terus bertambah.\n"
    )
    assert c.title is None
    assert c.text.split("\n\n") == [
        "Seoul mengatakan pasukan Korea Utara telah tiba di wilayah Kursk dan kemungkinan akan segera dikerahkan ke garis depan.",
        "Pejabat Korea Selatan menambahkan bahwa jumlahnya terus bertambah.",
    ]


def test_line_level_noise(clean):
    c = clean(
        "\ufeffBadan intelijen\u00a0 mengatakan  pasukan itu tiba &quot;pekan lalu&quot;.\r\n"
        "[ADVERTISEMENT]\n***\nHalaman 1 2 3 Selanjutnya\nhttps://example.com/berita/123\n"
        "Ikuti berita terkini dari kami di Google News\nTag: Korea Utara, Rusia\n"
    )
    assert c.text == 'Badan intelijen mengatakan pasukan itu tiba "pekan lalu".'
    r = {x.reason for x in c.removed}
    assert r == {"ad", "separator", "pagination", "url", "promo", "tags"}
    assert c.meta["tags"] == ["Korea Utara", "Rusia"]


def test_body_lines_that_look_like_furniture_are_kept(clean):
    body = [
        "Oleh karena itu, pemerintah akan mengirim bantuan tambahan ke wilayah tersebut.",
        "Hak cipta atas dokumen itu dipegang oleh kementerian, kata dia.",
        "Sumber di kementerian mengatakan keputusan itu belum final.",
        "Foto-foto satelit menunjukkan pergerakan pasukan di dekat perbatasan.",
    ]
    c = clean("\n".join(body))
    assert c.text.split("\n\n") == body
    assert c.removed == []


def test_title_given_by_container_is_not_repeated(clean):
    c = clean("Korut Kirim Pasukan\nIsi berita dimulai di sini dan berlanjut.", title="Korut Kirim Pasukan")
    assert c.title == "Korut Kirim Pasukan" and c.text == "Isi berita dimulai di sini dan berlanjut."


def test_wire_cues():
    w = wires()
    assert w.in_text("Hal itu dilaporkan Bloomberg News pada Senin.") == ["Bloomberg"]
    assert w.in_text("Michael Bloomberg berkunjung ke Jakarta.") == []
    assert w.in_text("Menurut kantor berita Yonhap , pasukan itu tiba.") == ["Yonhap"]
    assert w.in_text("Kata Yoon, mengutip Kyodonews.") == ["Kyodo"]
    assert w.in_text("Hubungan antara kedua negara, dilaporkan antara lain oleh media.") == []
    assert w.in_text("seperti dilansir AP, Selasa.") == ["AP"]
    assert w.is_credit_line("Agence France-Presse") and w.is_credit_line("Oleh: AFP/Reuters")
    assert w.resolve("AFP/Reuters") == ["AFP", "Reuters"]


def test_meta_helpers():
    assert canonical_outlet("KONTAN.CO.ID") == "Kontan"
    assert canonical_outlet("www.kontan.co.id") == "Kontan"
    assert canonical_outlet("BERITABARU.CO.ID") == "Beritabaru"
    d = parse_dateline_prefix("Liputan6.com, Jakarta - Presiden mengatakan hal itu.")
    assert (d.place, d.outlet) == ("Jakarta", "Liputan6.com")
    assert parse_dateline_prefix("Korea Selatan - Ukraina sepakat memperkuat kerja sama.") is None
    assert parse_dateline_prefix("Yoon Suk-yeol mengatakan hal itu.") is None
    assert parse_date_line("Senin, 28 Oktober 2024 | 14:30 WIB") == ("2024-10-28", None)
    assert parse_date_line("Jakarta, 28/10/2024") == ("2024-10-28", "Jakarta")
    assert parse_date_line("Senin, 28 Oktober 2024 pasukan tiba") is None
    assert parse_date_line("31 Februari 2024") is None
    assert parse_byline("Penulis: Park Hye Ri") == {"author": "Park Hye Ri"}
    assert parse_byline("Reporter: Adi | Editor: Budi") == {"author": "Adi", "editor": "Budi"}
    assert parse_byline("Oleh karena itu pemerintah bertindak") is None


def test_tails_signatures_codes_and_citations(clean):
    signed = ("UU ini memiliki banyak kemajuan dalam beberapa aspek. Hal ini sebagai bentuk jawaban terhadap "
              "sejumlah kasus yang mendera para buruh migran. [Priscilla Trisna]")
    c = clean(
        "Pertemuan itu berlangsung tertutup selama dua jam di Brussels.\n"
        f"{signed}\n"
        "Tim Cook, CEO Apple (Foto: Reuters)\n"
        "Dewan Keamanan PBB akan bertemu pada Rabu untuk membahas krisis itu. (Uu. G005)\n"
        "“Dan janganlah kebencianmu terhadap suatu kaum mendorong kamu berlaku tidak adil.” (QS Al Maidah: 8)\n"
    )
    r = reasons(c)
    assert r["[Priscilla Trisna]"] == "author-suffix" and c.author == "Priscilla Trisna"
    assert r["Tim Cook, CEO Apple (Foto: Reuters)"] == "caption"
    assert r["(Uu. G005)"] == "editor-code"
    assert c.text.split("\n\n") == [
        "Pertemuan itu berlangsung tertutup selama dua jam di Brussels.",
        signed.removesuffix(" [Priscilla Trisna]"),
        "Dewan Keamanan PBB akan bertemu pada Rabu untuk membahas krisis itu.",
        "“Dan janganlah kebencianmu terhadap suatu kaum mendorong kamu berlaku tidak adil.” (QS Al Maidah: 8)",
    ]


def test_lead_with_dateline_is_not_a_title(clean):
    c = clean("Magelang (ANTARA News) - Aktris itu meluncurkan antologi puisi di Magelang\nIa membacakan dua puisi.")
    assert c.title is None and (c.dateline, c.outlet) == ("Magelang", "Antara")
    assert c.text.startswith("Aktris itu meluncurkan antologi puisi")
    spaced = clean("Baru - baru ini pemerintah mengumumkan kebijakan baru itu.")
    assert spaced.removed == [] and spaced.dateline is None


def test_one_combined_pattern_screens_lines_as_the_rules_do():
    """The cleaner tries its line patterns one by one only where their alternation fully matches:
    it must let through every line some rule matches, and no other."""
    from kabar.ingest.rules import compiled

    c = compiled()
    lines = [ln.strip() for text in (KOMPAS_STYLE, *(v for k, v in globals().items() if k.isupper() and isinstance(v, str)))
             for ln in text.splitlines() if ln.strip()]
    lines += ["Baca juga: Korut Kirim Pasukan", "Tags: korea utara, rusia", "#Korut #Rusia", "Foto: Reuters",
              "Sumber: https://example.com/a", "Pentagon mengatakan, Korea Utara telah mengirim sekitar 10.000 tentara."]
    matched = [ln for ln in lines if any(r.regex.fullmatch(ln) for r in c.rules.patterns)]
    assert len(matched) >= 3 and len(matched) < len(lines)
    assert [ln for ln in lines if c.any_pattern.fullmatch(ln)] == matched
