"""Claim frames: lemmatiser, stance, sources and subjects on hand-built articles, then the seeds."""

from __future__ import annotations

import re

import pytest

from kabar.model import Article, Cite, Mention, Quantity, Quote, Sentence, TimeExpr, check_cites, Corpus
from kabar.nlp.claims import ClaimExtractor, Lemmatizer


@pytest.fixture(scope="module")
def extractor() -> ClaimExtractor:
    return ClaimExtractor()


def make_article(text: str, names=(), quantities=(), times=(), aid="a1", outlet="Harian Uji", quotes=()) -> Article:
    """One sentence per line; mentions at every occurrence of `names` ((text, label)); quantities
    from (text, low, high, qualifier, concept); times from (text, value, relation)."""
    art = Article(id=aid, text=text, outlet=outlet, published="2024-10-21", language="id")
    art.sentences = [Sentence(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    for name, label in names:
        for m in re.finditer(re.escape(name), text):
            if not any(x.start <= m.start() < x.end for x in art.mentions):
                art.mentions.append(Mention(f"{aid}:m{len(art.mentions) + 1}", m.start(), m.end(), name, label))
    art.mentions.sort(key=lambda m: m.start)
    for span, low, high, qual, concept in quantities:
        s = text.index(span)
        art.quantities.append(Quantity(f"{aid}:n{len(art.quantities) + 1}", low, high, qual, art.cite(s, s + len(span)), concept=concept))
    for span, value, relation in times:
        s = text.index(span)
        art.times.append(TimeExpr(f"{aid}:t{len(art.times) + 1}", span, value, "month", True, art.cite(s, s + len(span)), relation=relation))
    for span, speaker in quotes:
        s, k = text.index(span), text.index(speaker)
        art.quotes.append(
            Quote(f"{aid}:q{len(art.quotes) + 1}", span, "indirect", art.cite(s, s + len(span)), speaker_text=speaker,
                  speaker_cite=art.cite(k, k + len(speaker)), speaker_mention=next(m.id for m in art.mentions if m.start == k))
        )
    return art


def only_claim(article: Article) -> object:
    assert len(article.claims) == 1, [c.cite.text for c in article.claims]
    return article.claims[0]


# --- lemmatiser ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word,lemma",
    [
        ("mengirimkan", "kirim"), ("mengirim", "kirim"), ("dikirim", "kirim"), ("pengiriman", "kirim"), ("dikirimkan", "kirim"),
        ("mengerahkan", "kerah"), ("pengerahan", "kerah"), ("dikerahkan", "kerah"), ("disiapkan", "siap"),
        ("diperkirakan", "kira"), ("memperkirakan", "kira"), ("mengonfirmasi", "konfirmasi"), ("mengkonfirmasi", "konfirmasi"),
        ("dibantah", "bantah"), ("keberadaan", "ada"), ("berlatih", "latih"), ("diberikan", "beri"),
        ("tentara", "tentara"), ("mata-mata", "mata-mata"), ("Rusia", "rusia"),
    ],
)
def test_lemmatiser(word, lemma):
    assert Lemmatizer()(word) == lemma


def test_affix_rules_without_the_lookup_table():
    """The rules alone, with a root list and no table entry for any word asked about."""
    lem = Lemmatizer(lookup={"x": "kirim", "y": "kerah", "z": "kira", "w": "siap", "v": "tempat", "u": "beri"})
    assert lem("dikirimkan") == "kirim"
    assert lem("mengerahkan") == "kerah"  # meng- + k-initial root: the k is restored
    assert lem("memperkirakan") == "kira"
    assert lem("ditempatkan") == "tempat"
    assert lem("penempatan") == "tempat"  # pen- + t-initial root
    assert lem("diberikannya") == "beri"
    assert lem("mengirimi") == "kirim"
    assert lem("menyebut") == "menyebut"  # root "sebut" unknown here: left alone, never guessed


def test_lookup_can_be_switched_off():
    assert Lemmatizer(lookup={}, use_rules=False)("dikerahkan") == "dikerahkan"


# --- frames -------------------------------------------------------------------------------------


def test_active_send_with_count_and_destination(extractor):
    art = extractor(make_article(
        "Korea Utara sejak Oktober 2024 telah mengirimkan 1.500 pasukan khusus ke Rusia untuk pelatihan.",
        names=[("Korea Utara", "LOC"), ("Rusia", "LOC")],
        quantities=[("1.500 pasukan khusus", 1500, 1500, "=", "troops")],
        times=[("sejak Oktober 2024", "2024-10", "since")],
    ))
    c = only_claim(art)
    assert (c.predicate, c.stance, c.subject_text) == ("kirim", "asserted", "Korea Utara")
    assert c.subject_mention == art.mentions[0].id
    assert "ke Rusia" in c.object and "pelatihan" not in c.object
    assert c.quantity == "a1:n1" and c.time == "a1:t1"
    assert (c.source_kind, c.source_text) == ("outlet", "Harian Uji")
    assert c.id == "a1:c1" and c.cite.text == art.text.rstrip(".") + "."


def test_nested_reports_credit_the_innermost_source(extractor):
    art = extractor(make_article(
        "Jumat lalu, Kantor Berita Yonhap melaporkan bahwa Badan Intelijen Nasional telah mengetahui bahwa "
        "Korea Utara telah memutuskan untuk mengirim 12.000 tentara ke Ukraina, dan mengatakan bahwa hal ini akan menandai eskalasi.",
        names=[("Kantor Berita Yonhap", "ORG"), ("Badan Intelijen Nasional", "ORG"), ("Korea Utara", "LOC"), ("Ukraina", "LOC")],
        quantities=[("12.000 tentara", 12000, 12000, "=", "troops")],
    ))
    c = only_claim(art)
    assert c.source_text == "Badan Intelijen Nasional" and c.source_kind == "attribution"
    assert c.via == ["Kantor Berita Yonhap"]
    assert (c.predicate, c.subject_text, c.stance) == ("kirim", "Korea Utara", "asserted")  # the later "akan" is another clause


def test_pronoun_inside_a_report_stands_for_the_reporter(extractor):
    art = extractor(make_article(
        "Badan intelijen Korea Selatan mengatakan bahwa mereka telah mengonfirmasi bahwa Korea Utara mengirim 1.500 pasukan ke Rusia.",
        names=[("Korea Selatan", "LOC"), ("Korea Utara", "LOC"), ("Rusia", "LOC")],
        quantities=[("1.500 pasukan", 1500, 1500, "=", "troops")],
    ))
    c = only_claim(art)
    assert c.source_text == "Badan intelijen Korea Selatan" and c.via == []
    assert c.subject_text == "Korea Utara"


def test_postposed_attribution_keeps_the_whole_list(extractor):
    art = extractor(make_article(
        "Korea Utara telah mengirimkan lebih dari 10.000 prajurit ke Rusia, demikian menurut pejabat Korea Selatan, Ukraina, dan Amerika Serikat.",
        names=[("Korea Utara", "LOC"), ("Rusia", "LOC"), ("Korea Selatan", "LOC"), ("Ukraina", "LOC"), ("Amerika Serikat", "LOC")],
        quantities=[("lebih dari 10.000 prajurit", 10000, None, ">", "troops")],
    ))
    c = only_claim(art)
    assert c.source_text == "pejabat Korea Selatan, Ukraina, dan Amerika Serikat"
    assert c.source_kind == "attribution" and c.subject_text == "Korea Utara"


def test_upper_bound_with_modal_is_projected(extractor):
    art = extractor(make_article(
        "Hingga 100.000 prajurit Korea Utara pada akhirnya dapat dikerahkan, demikian yang dilaporkan Bloomberg News.",
        names=[("Korea Utara", "LOC"), ("Bloomberg News", "ORG")],
        quantities=[("Hingga 100.000 prajurit", None, 100000, "<=", "troops")],
    ))
    c = only_claim(art)
    assert (c.stance, c.predicate, c.subject_text, c.source_text) == ("projected", "kerah", "Korea Utara", "Bloomberg News")


def test_unconfirmed_without_a_number(extractor):
    art = extractor(make_article(
        "Sementara itu, juru bicara Kremlin Dmitry Peskov menolak untuk mengkonfirmasi pengerahan pasukan Korea Utara ke Timur Jauh Rusia.",
        names=[("Kremlin", "ORG"), ("Dmitry Peskov", "PER"), ("Korea Utara", "LOC"), ("Timur Jauh Rusia", "LOC")],
    ))
    c = only_claim(art)
    assert (c.stance, c.predicate, c.subject_text) == ("unconfirmed", "kerah", "Korea Utara")
    assert "Peskov" in c.source_text and c.source_mention == next(m.id for m in art.mentions if m.text == "Dmitry Peskov")
    assert c.object.startswith("pasukan Korea Utara ke Timur Jauh Rusia") and c.quantity is None


@pytest.mark.parametrize(
    "sentence,stance",
    [
        ("Moskow dan Pyongyang sebelumnya membantah laporan keberadaan pasukan Korea Utara di Rusia.", "denied"),
        ("Pentagon mengatakan mereka tidak memiliki konfirmasi atas pengiriman pasukan itu.", "unconfirmed"),
        ("Presiden Rusia Vladimir Putin tidak membantah pengiriman pasukan tersebut.", "hedged"),
        ("Korea Utara kabarnya telah mengirim pasukan ke Rusia, kata Seoul.", "hedged"),
        ("Korea Utara disebut-sebut menempatkan pasukan di Kursk, kata Seoul.", "hedged"),
        ("Korea Utara tidak mengirim pasukan ke Rusia, kata Pyongyang.", "denied"),
        ("Korea Utara telah mengirim pasukan ke Rusia, kata Seoul.", "asserted"),
    ],
)
def test_stance_without_numbers(extractor, sentence, stance):
    names = [(n, "LOC") for n in ("Moskow", "Pyongyang", "Korea Utara", "Rusia", "Pentagon", "Kursk", "Seoul")] + [("Vladimir Putin", "PER")]
    art = extractor(make_article(sentence, names=[x for x in names if x[0] in sentence]))
    assert only_claim(art).stance == stance


def test_estimate_verb_hedges_the_count(extractor):
    art = extractor(make_article(
        "Selain itu, pemimpin Ukraina membagikan data tentang pengerahan pasukan Korea Utara ke fasilitas pelatihan Rusia, "
        "dan memperkirakan jumlahnya akan mencapai 12.000 tentara.",
        names=[("Ukraina", "LOC"), ("Korea Utara", "LOC"), ("Rusia", "LOC")],
        quantities=[("mencapai 12.000 tentara", None, 12000, "<=", "troops")],
    ))
    c = only_claim(art)
    assert (c.stance, c.predicate, c.subject_text) == ("hedged", "kerah", "Korea Utara")  # not "latih" of "fasilitas pelatihan"
    assert c.source_text == "pemimpin Ukraina"


def test_count_before_a_passive_predicate(extractor):
    art = extractor(make_article(
        "Laporan itu didukung oleh Presiden Ukraina, Volodymyr Zelensky, yang mengatakan bahwa intelijennya mengetahui adanya "
        "10.000 tentara Korea Utara yang sedang disiapkan untuk bergabung dengan pasukan Rusia.",
        names=[("Ukraina", "LOC"), ("Volodymyr Zelensky", "PER"), ("Korea Utara", "LOC"), ("Rusia", "LOC")],
        quantities=[("10.000 tentara", 10000, 10000, "=", "troops")],
    ))
    c = only_claim(art)
    assert (c.predicate, c.subject_text, c.source_text, c.stance) == ("siap", "Korea Utara", "Volodymyr Zelensky", "asserted")


def test_quote_speaker_is_the_source(extractor):
    text = "Yoon mengatakan Korea Utara telah mengirim 3.000 tentara."
    art = extractor(make_article(
        text, names=[("Yoon", "PER"), ("Korea Utara", "LOC")],
        quantities=[("3.000 tentara", 3000, 3000, "=", "troops")], quotes=[("Korea Utara telah mengirim 3.000 tentara", "Yoon")],
    ))
    c = only_claim(art)
    assert (c.source_kind, c.source_text, c.source_mention) == ("speaker", "Yoon", "a1:m1")


def test_teasers_are_never_body_claims(extractor):
    text = "Korea Selatan akan mengirim utusan ke NATO, kata Yonhap.\nBaca Juga: AS Yakin Ada 3.000 Tentara Korea Utara yang Sedang Berlatih di Rusia"
    art = make_article(text, names=[("Korea Selatan", "LOC"), ("NATO", "ORG"), ("Yonhap", "ORG"), ("Korea Utara", "LOC")],
                       quantities=[("3.000 Tentara", 3000, 3000, "=", "troops")])
    art = extractor(art)
    assert [c.predicate for c in art.claims] == ["kirim"]
    assert all("3.000" not in c.cite.text for c in art.claims)
    # a teaser the ingest kept in the text, flagged by span instead of by its prefix
    text2 = "Korea Selatan akan mengirim utusan ke NATO, kata Yonhap.\nAS Yakin Ada 3.000 Tentara Korea Utara di Rusia"
    art2 = make_article(text2, names=[("Korea Selatan", "LOC"), ("NATO", "ORG"), ("Yonhap", "ORG")],
                        quantities=[("3.000 Tentara", 3000, 3000, "=", "troops")])
    art2.related_headlines = [art2.cite(text2.index("AS Yakin"), len(text2))]
    assert all("3.000" not in c.cite.text for c in extractor(art2).claims)


def test_odd_input_does_not_raise(extractor):
    for text in ["", "   ", "\n\n", "“”", "1.500", "bahwa bahwa bahwa", "Menurut ,", ", kata"]:
        art = extractor(make_article(text))
        assert check_cites(Corpus(articles=[art])) == []


def test_no_mentions_falls_back_to_capitalised_names(extractor):
    art = extractor(make_article(
        "Menurut laporan itu, Korea Utara telah mengirimkan 1.500 pasukan ke Rusia.",
        quantities=[("1.500 pasukan", 1500, 1500, "=", "troops")],
    ))
    assert only_claim(art).subject_text == "Korea Utara"


# --- the seeds through the whole pipeline -------------------------------------------------------


def seed(corpus: Corpus, n: int) -> Article:
    """The article from seed file 00n (looked up by source path: corpus order is not file order)."""
    return next(a for a in corpus.articles if re.search(rf"(^|/)00{n}_", a.source))


def _claims_with(corpus: Corpus, n: int, value: float):
    art = seed(corpus, n)
    qs = {q.id: q for q in art.quantities}
    return [c for c in art.claims if c.quantity and value in (qs[c.quantity].low, qs[c.quantity].high)], qs


def test_seed_troop_claims(seed_corpus):
    names = {e.id: e.name for e in seed_corpus.entities}
    # 1.500 special forces, Seoul's spy agency, in two outlets
    for n in (1, 3):
        (c,), _ = _claims_with(seed_corpus, n, 1500)
        assert c.predicate == "kirim" and c.stance == "asserted" and "Korea Utara" in c.subject_text
        assert re.search(r"(?i)intelijen|mata-mata|NIS", c.source_text)
    (c,), _ = _claims_with(seed_corpus, 3, 1500)
    assert next(t for t in seed(seed_corpus, 3).times if t.id == c.time).value == "2024-10"
    # 12.000 in four brigades: NIS, reported by Yonhap
    (c,), _ = _claims_with(seed_corpus, 1, 12000)
    assert c.source_text == "Badan Intelijen Nasional" and any("Yonhap" in v for v in c.via)
    # 12.000: Zelensky's estimate
    (c,), _ = _claims_with(seed_corpus, 2, 12000)
    assert c.stance == "hedged" and c.predicate == "kerah"
    assert "Zelensky" in (names.get(c.source) or "") or "Zelensky" in c.source_text
    # 10.000 being prepared, per Zelensky
    (c,), _ = _claims_with(seed_corpus, 3, 10000)
    assert c.predicate == "siap" and "Zelensky" in c.source_text
    # more than 10.000, per officials of three countries (AFP's article)
    (c,), qs = _claims_with(seed_corpus, 4, 10000)
    assert qs[c.quantity].qualifier == ">" and c.source_text == "pejabat Korea Selatan, Ukraina, dan Amerika Serikat"
    # up to 100.000, Bloomberg, projected
    (c,), qs = _claims_with(seed_corpus, 4, 100000)
    assert c.stance == "projected" and c.source_text == "Bloomberg News" and qs[c.quantity].qualifier in ("<=", "<")


def test_seed_peskov_declines_to_confirm(seed_corpus):
    found = [c for c in seed(seed_corpus, 1).claims if c.stance == "unconfirmed" and "Peskov" in (c.source_text or "")]
    assert found and found[0].predicate == "kerah" and found[0].quantity is None


def test_seed_teaser_figure_is_not_a_claim(seed_corpus):
    art = seed(seed_corpus, 3)
    qs = {q.id: q for q in art.quantities}
    assert not [c for c in art.claims if c.quantity and qs[c.quantity].low == 3000]
    assert all("Baca Juga" not in c.cite.text for c in art.claims)
    assert check_cites(seed_corpus) == []
