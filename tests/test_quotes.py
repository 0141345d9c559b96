"""QuoteExtractor and the within-article resolver: synthetic articles with hand-made sentences and
mentions, then the five seeds through the real sentence and entity stages."""

from __future__ import annotations

import re

import pytest

from kabar.model import Article, Mention, Sentence
from kabar.nlp.coref import Resolver
from kabar.nlp.quotes import QuoteExtractor

_SENT_END = re.compile(r"(?<=[.!?])[”\"’»]?(?=\s+[“\"„«‘A-Z])")


@pytest.fixture(scope="module")
def qx() -> QuoteExtractor:
    return QuoteExtractor()


def article(text: str, mentions: list[tuple[str, str]] = (), aid: str = "t1") -> Article:
    """An Article with naive sentences/paragraphs (a full stop before a capital) and the given mentions,
    each (surface, label) marked at every occurrence that is a whole word."""
    art = Article(id=aid, text=text)
    pos = 0
    for para in text.split("\n"):
        if para.strip():
            art.paragraphs.append(Sentence(pos, pos + len(para)))
            start = pos
            for m in _SENT_END.finditer(para):
                art.sentences.append(Sentence(start, pos + m.end()))
                start = pos + m.end() + 1
            art.sentences.append(Sentence(start, pos + len(para)))
        pos += len(para) + 1
    found = []
    for surface, label in mentions:
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
            if not any(s <= m.start() < e for s, e, _, _ in found):
                found.append((m.start(), m.end(), surface, label))
    for n, (s, e, surface, label) in enumerate(sorted(found), 1):
        art.mentions.append(Mention(f"{aid}:m{n}", s, e, surface, label))
    return art


def mention_text(art: Article, mention_id: str | None) -> str | None:
    return next((m.text for m in art.mentions if m.id == mention_id), None)


def only(art: Article, kind: str | None = None):
    qs = [q for q in art.quotes if kind is None or q.kind == kind]
    assert len(qs) == 1, [(q.kind, q.text) for q in art.quotes]
    return qs[0]


# --- direct quotes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "opening, closing",
    [("“", "”"), ('"', '"'), ("‘", "’"), ("«", "»"), ("„", "“"), ("”", "”")],
)
def test_every_quote_style_with_cue_after(qx, opening, closing):
    text = f"{opening}Kami siap bekerja sama dengan semua pihak,{closing} kata Peskov."
    art = qx(article(text, [("Peskov", "PER")]))
    q = only(art)
    assert (q.kind, q.cue, q.speaker_text) == ("direct", "kata", "Peskov")
    assert q.text == "Kami siap bekerja sama dengan semua pihak"
    assert mention_text(art, q.speaker_mention) == "Peskov"
    assert art.text[q.cite.start : q.cite.end] == q.text and q.id == "t1:q1"


def test_cue_before_quote_with_title_and_adverb(qx):
    art = qx(article('Sekjen Rutte kemudian menjawab, "Kami akan berusaha secepat mungkin."', [("Rutte", "PER")]))
    q = only(art)
    assert (q.text, q.cue, q.speaker_text) == ("Kami akan berusaha secepat mungkin.", "menjawab", "Sekjen Rutte")
    assert mention_text(art, q.speaker_mention) == "Rutte"


def test_quote_over_sentences_and_paragraphs(qx):
    text = (
        "Presiden Joko Widodo memimpin rapat.\n\n"
        "“Saya minta semua program jalan minggu ini. Ini sudah mendesak.\n\n"
        "“Semuanya harus jalan,” kata Presiden Joko Widodo."
    )
    art = qx(article(text, [("Joko Widodo", "PER")]))
    q = only(art)
    assert q.text.startswith("Saya minta") and q.text.endswith("Semuanya harus jalan")
    assert mention_text(art, q.speaker_mention) == "Joko Widodo"


def test_cue_inside_a_split_quote_serves_both_halves(qx):
    art = qx(article("“Kami menolak tuduhan itu,” kata Yoon, “dan kami punya buktinya.”", [("Yoon", "PER")]))
    assert [q.text for q in art.quotes] == ["Kami menolak tuduhan itu", "dan kami punya buktinya."]
    assert {mention_text(art, q.speaker_mention) for q in art.quotes} == {"Yoon"}


def test_clitic_speaker_resolves_to_the_last_subject(qx):
    text = "Menteri Keuangan Sri Mulyani bertemu Presiden di Jakarta. “Anggaran sudah siap dicairkan,” ujarnya."
    art = qx(article(text, [("Sri Mulyani", "PER"), ("Jakarta", "LOC")]))
    q = only(art)
    assert q.cue == "ujar" and q.speaker_cite.text == "nya"
    assert mention_text(art, q.speaker_mention) == "Sri Mulyani" and q.speaker_text == "Sri Mulyani"


def test_second_hand_quote_names_the_wire(qx):
    art = qx(article("“Korea Utara mengirim pasukan ke Rusia,” kata Yoon, mengutip Kyodonews.", [("Yoon", "PER")]))
    q = only(art)
    assert mention_text(art, q.speaker_mention) == "Yoon" and q.via == ["Kyodo"]


def test_article_wire_credit_named_in_the_sentence_is_a_via(qx):
    art = article("Menurut Lembaga Berita Nusantara, Presiden Yoon mengatakan bahwa delegasi akan dikirim pekan ini.")
    art.wire_credits = ["Lembaga Berita Nusantara"]
    q = only(qx(art))
    assert q.speaker_text == "Presiden Yoon" and q.via == ["Lembaga Berita Nusantara"]


def test_scare_quotes_are_not_quotes(qx):
    text = "Kantor itu menggambarkan Korea Utara sebagai “kelompok kriminal” yang memaksa warganya berperang."
    assert qx(article(text)).quotes == []


def test_apostrophes_and_unbalanced_marks_do_not_make_quotes(qx):
    art = qx(article("Wakil Presiden Ma'ruf Amin hadir. Harga naik 5' lalu turun.\n\n” Sisa tanda kutip."))
    assert art.quotes == []


def test_standalone_quote_takes_the_previous_speaker(qx):
    text = "“Kami sudah bekerja keras sejak pagi,” kata Risma. “Kami tidak akan berhenti sampai semua warga terbantu.”"
    art = qx(article(text, [("Risma", "PER")]))
    assert len(art.quotes) == 2
    assert all(mention_text(art, q.speaker_mention) == "Risma" for q in art.quotes)


def test_standalone_quote_without_context_stays_unattributed(qx):
    art = qx(article("Hujan turun sejak pagi.\n\n“Bagaimana mungkin semua ini terjadi begitu cepat?”"))
    q = only(art)
    assert q.kind == "direct" and q.speaker_mention is None and q.speaker_text is None


# --- indirect speech -------------------------------------------------------------------------


def test_indirect_bahwa_clause(qx):
    text = "Presiden Yoon mengatakan bahwa Korea Selatan dapat mempertimbangkan bantuan senjata."
    art = qx(article(text, [("Yoon", "PER"), ("Korea Selatan", "LOC")]))
    q = only(art)
    assert (q.kind, q.cue, q.text) == ("indirect", "mengatakan", "Korea Selatan dapat mempertimbangkan bantuan senjata")
    assert mention_text(art, q.speaker_mention) == "Yoon"


def test_partial_quotes_fold_into_the_indirect_quote(qx):
    text = (
        "Presiden Volodymyr Zelenskyy mengatakan ada “bukti jelas bahwa orang dipasok ke Rusia,” "
        "dan bahwa “mereka personel militer.”"
    )
    art = qx(article(text, [("Volodymyr Zelenskyy", "PER"), ("Rusia", "LOC")]))
    q = only(art)
    assert q.kind == "indirect" and q.text.startswith("ada “bukti jelas") and q.text.endswith("militer.”")
    assert mention_text(art, q.speaker_mention) == "Volodymyr Zelenskyy"


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("Menurut para analis, [pertukaran delegasi akan menjadi simbol persatuan].", "para analis"),
        ("[Korea Selatan memanggil duta besar Rusia di Seoul], kata Kementerian Luar Negeri.", "Kementerian Luar Negeri"),
        ("Pemimpin itu menyatakan harapan bahwa [NATO akan meningkatkan pengawasan].", "Pemimpin itu"),
        ("[Hingga 100.000 prajurit dapat dikerahkan], demikian yang dilaporkan Bloomberg News.", "Bloomberg News"),
        ("Zinoviev yang dikutip oleh kementerian mengatakan [dia akan menyampaikan posisi itu].", "Zinoviev"),
    ],
)
def test_indirect_shapes(qx, text, speaker):
    """[...] marks the expected reported content."""
    content = text[text.index("[") + 1 : text.index("]")]
    q = only(qx(article(text.replace("[", "").replace("]", ""))))
    assert (q.kind, q.text, q.speaker_text) == ("indirect", content, speaker)


def test_attitude_without_bahwa_is_not_speech(qx):
    assert qx(article("Sekjen Rutte mengungkapkan keprihatinannya terhadap pengiriman pasukan itu.")).quotes == []


def test_manner_clause_starts_a_second_report_by_the_subject(qx):
    text = "Rutte mengonfirmasi bahwa Pyongyang mengirim pasukan ke Rusia, dengan mengatakan bahwa pasukan itu terlihat di Kursk."
    art = qx(article(text, [("Rutte", "PER")]))
    assert [q.text for q in art.quotes] == ["Pyongyang mengirim pasukan ke Rusia", "pasukan itu terlihat di Kursk"]
    assert {mention_text(art, q.speaker_mention) for q in art.quotes} == {"Rutte"}


# --- references ------------------------------------------------------------------------------


def test_organisation_anaphor_and_statement_source(qx):
    text = (
        "Kementerian Luar Negeri Korea Selatan memanggil duta besar Rusia. "
        "Kim “sangat mendesak penarikan segera pasukan itu,” kata kementerian itu. "
        "“Kedua pihak sepakat untuk terus berbagi informasi,” demikian menurut pernyataan itu."
    )
    art = qx(article(text, [("Kementerian Luar Negeri Korea Selatan", "ORG"), ("Kim", "PER")]))
    first, second = art.quotes
    assert mention_text(art, first.speaker_mention) == "Kementerian Luar Negeri Korea Selatan"
    assert first.speaker_text == "kementerian itu"
    assert second.cue == "menurut" and second.speaker_text == "pernyataan itu" and second.speaker_mention is None


def test_possessive_office_refers_through_its_owner(qx):
    text = "Presiden Yoon bertemu Menteri Umerov. Yoon “menyatakan harapan bahwa kedua negara bekerja sama,” ungkap kantornya."
    art = qx(article(text, [("Yoon", "PER"), ("Umerov", "PER")]))
    q = only(art)
    assert q.speaker_text == "kantornya" and mention_text(art, q.speaker_mention) == "Yoon"


def test_description_matches_a_role(qx):
    text = (
        "Presiden Korea Selatan Yoon Suk Yeol menelepon Rutte. "
        "Presiden Korea Selatan itu mengatakan bahwa Seoul akan mengirim delegasi."
    )
    art = qx(article(text, [("Yoon Suk Yeol", "PER"), ("Rutte", "PER")]))
    assert mention_text(art, only(art).speaker_mention) == "Yoon Suk Yeol"


def test_unresolvable_speaker_keeps_its_surface(qx):
    art = qx(article("“Harga beras naik terus sejak bulan lalu,” kata seorang pedagang di pasar."))
    q = only(art)
    assert q.speaker_text == "seorang pedagang" and q.speaker_mention is None


def test_pronoun_skips_objects_and_fronted_adjuncts():
    text = "Dalam panggilan dengan Zelensky, Presiden Yoon memperingatkan Rusia. Ia juga menemui Rutte."
    art = article(text, [("Zelensky", "PER"), ("Yoon", "PER"), ("Rutte", "PER")])
    start = text.index("Ia ")
    res = Resolver().resolve(art, start, start + 2)
    assert res.kind == "pronoun" and res.mention is not None and res.mention.text == "Yoon"


# --- robustness ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "“", "”””", "kata", "“a” kata", "Menurut ,", "\n\n“\n\n”", "x" * 3000])
def test_odd_text_never_raises(qx, text):
    art = qx(article(text))
    for q in art.quotes:
        assert art.text[q.cite.start : q.cite.end] == q.cite.text


def test_runs_without_sentences_or_mentions(qx):
    text = "“Kami siap membantu semua korban banjir,” kata Anies.\n\nIa menambahkan, “Bantuan sudah dikirim.”"
    art = qx(Article(id="bare", text=text))
    assert [q.speaker_text for q in art.quotes] == ["Anies", "Ia"]
    assert all(q.speaker_mention is None for q in art.quotes)


# --- the seeds -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(seed_articles):
    """The seeds through SentenceSplitter, EntityRecognizer and QuoteExtractor, by file order."""
    import copy

    from kabar.nlp.entities import EntityRecognizer
    from kabar.nlp.sentences import SentenceSplitter

    stages = [SentenceSplitter(), EntityRecognizer(), QuoteExtractor()]
    out = []
    for art in copy.deepcopy(seed_articles):
        for stage in stages:
            art = stage(art)
        out.append(art)
    return out


def quote_of(art: Article, start: str):
    hits = [q for q in art.quotes if q.text.startswith(start)]
    assert len(hits) == 1, [q.text[:40] for q in art.quotes]
    return hits[0]


def test_seed_quotes_cite_exactly(seeds):
    for art in seeds:
        ids = [q.id for q in art.quotes]
        assert len(set(ids)) == len(ids) and all(i.startswith(f"{art.id}:q") for i in ids)
        for q in art.quotes:
            assert art.text[q.cite.start : q.cite.end] == q.cite.text == q.text
            if q.speaker_cite:
                assert art.text[q.speaker_cite.start : q.speaker_cite.end] == q.speaker_cite.text


def test_seed_000_yoon_and_rutte(seeds):
    art = seeds[0]
    expected = [
        ("Invasi Rusia ke Ukraina", "berkata", "Yoon"),
        ("Pemerintah Republik Korea akan", "melanjutkan", "Yoon"),
        ("NATO siap bekerja sama aktif", "menekankan", "Rutte"),
        ("Kami berharap bisa mempererat", "ungkap", "Rutte"),
        ("Kami berharap bisa berbagi", "menjawab", "Yoon"),
        ("Kami akan berusaha", "menjawab", "Rutte"),
        ("Kami berharap Korea dan NATO", "menambahkan", "Yoon"),
    ]
    for start, cue, name in expected:
        q = quote_of(art, start)
        assert q.kind == "direct" and q.cue == cue and name in mention_text(art, q.speaker_mention)
    assert quote_of(art, "NATO siap").speaker_text == "Sekjen Rutte"


def test_seed_001_peskov_yoon_via_kyodo_and_the_ministry(seeds):
    art = seeds[1]
    q = quote_of(art, "Ada banyak informasi yang saling bertentangan")
    assert q.kind == "direct" and "Peskov" in mention_text(art, q.speaker_mention)
    q = quote_of(art, "Korea Utara mengirimkan pasukan untuk berperang")
    assert "Yoon" in mention_text(art, q.speaker_mention) and q.via == ["Kyodo"]
    q = quote_of(art, "sangat mendesak penarikan")
    assert mention_text(art, q.speaker_mention) == "Kementerian Luar Negeri Korea Selatan"
    q = quote_of(art, "ada “bukti jelas")
    assert q.kind == "indirect" and "Zelenskyy" in mention_text(art, q.speaker_mention)
    q = quote_of(art, "hubungan militer antara Korea Utara dan Rusia")
    assert "Kim Hong Kyun" in mention_text(art, q.speaker_mention)
    assert not any(q.text == "langkah demi langkah" for q in art.quotes)


def test_seed_002_putin_pronouns_and_yonhap(seeds):
    art = seeds[2]
    q = quote_of(art, "Jika ada gambar, maka itu mencerminkan sesuatu.")
    assert q.kind == "direct" and "Vladimir Putin" in mention_text(art, q.speaker_mention)
    q = quote_of(art, "Seoul diperkirakan akan mengirim delegasi")
    assert "Yoon" in mention_text(art, q.speaker_mention) and q.via == ["Yonhap"]
    q = quote_of(art, "NATO akan meningkatkan pengawasan")  # "Pemimpin itu ... menyatakan harapan bahwa"
    assert "Yoon" in mention_text(art, q.speaker_mention)
    q = quote_of(art, "Kiev dan Seoul akan segera bertukar delegasi")  # "Ia juga menegaskan bahwa"
    assert "Zelensky" in mention_text(art, q.speaker_mention)


def test_seed_004_office_and_statement(seeds):
    art = seeds[4]
    q = quote_of(art, "menyatakan harapan bahwa Korea Selatan dan Ukraina")
    assert q.kind == "direct" and q.speaker_text == "kantornya" and "Yoon" in mention_text(art, q.speaker_mention)
    q = quote_of(art, "Kedua pihak sepakat")
    assert q.speaker_mention is None and q.speaker_text == "pernyataan itu"
    assert not any(q.text == "tingkat keterlibatan" for q in art.quotes)
