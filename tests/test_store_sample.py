"""A hand-built Corpus holding every kind of model object, shared by the store, export and web tests."""

from __future__ import annotations

import hashlib

from kabar.model import (
    Article,
    BriefSentence,
    Claim,
    Copy,
    Corpus,
    Entity,
    Mention,
    Quantity,
    Quote,
    Removed,
    Sentence,
    Slot,
    Story,
    TimeExpr,
    Variant,
    check_cites,
)

XSS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">klik</a>',
    "<b><i>",
    "</textarea></details><iframe src=javascript:alert(2)>",
)
XSS_TITLE = '"><svg onload=alert(1)>'


def _span(article: Article, needle: str, after: int = 0) -> tuple[int, int]:
    start = article.text.index(needle, after)
    return start, start + len(needle)


def _article(text: str, outlet: str, published: str, **kw) -> Article:
    aid = "a" + hashlib.sha1(text.encode()).hexdigest()[:10]
    return Article(id=aid, text=text, outlet=outlet, published=published, language="id", **kw)


def _annotate(a: Article, speaker: str, number: str, low: float, when: str, iso: str) -> None:
    """Sentences, paragraphs, one finding of each kind; ids follow `{article}:<letter><n>`."""
    end = a.text.index(". ") + 1
    a.sentences = [Sentence(0, end), Sentence(end + 1, len(a.text))]
    a.paragraphs = [Sentence(0, len(a.text))]
    s, e = _span(a, speaker)
    a.mentions = [Mention(f"{a.id}:m1", s, e, speaker, "PER", "model", role="Presiden", entity="e1")]
    s, e = _span(a, "NATO")
    a.mentions.append(Mention(f"{a.id}:m2", s, e, "NATO", "ORG", "gazetteer", entity="e2"))
    qs, qe = _span(a, "Kami siap membantu")
    a.quotes = [
        Quote(f"{a.id}:q1", "Kami siap membantu", "direct", a.cite(qs, qe), "e1", speaker, a.cite(*_span(a, speaker)),
              f"{a.id}:m1", "kata", ["AFP"])
    ]
    ns, ne = _span(a, number)
    a.quantities = [Quantity(f"{a.id}:n1", low, low, ">=" if "lebih" in number else "=", a.cite(ns, ne),
                             "tentara", "troops", number.split()[-2] if "lebih" in number else number.split()[0])]
    ts, te = _span(a, when)
    a.times = [TimeExpr(f"{a.id}:t1", when, iso, "day", True, a.cite(ts, te), relation=None)]
    cs, ce = 0, end
    a.claims = [Claim(f"{a.id}:c1", "kirim", "asserted" if low > 10000 else "hedged", a.cite(cs, ce), "e3",
                      "Korea Utara", None, "tentara ke Rusia", f"{a.id}:n1", f"{a.id}:t1", "e1", speaker,
                      f"{a.id}:m1", "speaker", ["AFP"])]


def sample_corpus(payload: str = "") -> Corpus:
    """Three articles on one story; `payload` is planted in every free-text field (XSS probes)."""
    texts = [
        f"Korea Utara mengirim 12.000 tentara ke Rusia pada Senin (28/10). {payload}Presiden Yoon berkata, "
        f'"Kami siap membantu" bersama NATO.',
        f"Pyongyang mengirim lebih dari 10.000 tentara pada 30 Oktober 2024. Presiden Yoon berkata, "
        f'"Kami siap membantu" bersama NATO. {payload}',
        "Rusia menerima 11.000 tentara pada Selasa (29/10). Mark Rutte berkata, "
        '"Kami siap membantu" bersama NATO, menurut Yonhap.',
    ]
    arts = [
        _article(texts[0], f"Outlet A{payload}", "2024-10-28",
                 title=f"Pasukan Korut{payload}{XSS_TITLE if payload else ''}",
                 author=f"Park{payload}", url="https://a.example/1", wire_credits=["AFP"],
                 removed=[Removed(f"KOMENTAR{payload}", "comment-box", 7), Removed("Baca juga: x", "related", 9)],
                 language_scores={"id": 0.98, "en": 0.02}, meta={"k": [1, 2.5, None], "note": payload}),
        _article(texts[1], "Outlet B", "2024-10-30", title="Lebih dari 10 ribu", url="javascript:alert(1)",
                 format="html", raw_sha1="abc", dateline="SEOUL"),
        _article(texts[2], "Outlet C", "2024-10-29", title=None, published_estimated=True, wire_credits=["Yonhap"]),
    ]
    _annotate(arts[0], "Presiden Yoon", "12.000 tentara", 12000, "Senin (28/10)", "2024-10-28")
    _annotate(arts[1], "Presiden Yoon", "lebih dari 10.000 tentara", 10000, "30 Oktober 2024", "2024-10-30")
    _annotate(arts[2], "Mark Rutte", "11.000 tentara", 11000, "Selasa (29/10)", "2024-10-29")
    arts[2].related_headlines = [arts[2].cite(*_span(arts[2], "menurut Yonhap"))]
    a0, a1, a2 = arts
    entities = [
        Entity("e1", f"Yoon Suk Yeol{payload}", "PER", ["Presiden Yoon", "Yoon"], ["Presiden"],
               [a0.cite(a0.mentions[0].start, a0.mentions[0].end)], {a0.id: 1, a1.id: 1}),
        Entity("e2", "NATO", "ORG", ["Pakta Pertahanan Atlantik Utara"], [],
               [a.cite(a.mentions[1].start, a.mentions[1].end) for a in arts], {a.id: 1 for a in arts}),
        Entity("e3", "Korea Utara", "LOC", ["Korut", "Pyongyang"]),
    ]
    variants = [
        Variant(a.claims[0].id, q.low, q.high, q.qualifier, "e1", a.quotes[0].speaker_text, a.claims[0].stance,
                a.times[0].value, q.cite, independent_group=f"g{i}")
        for i, a in enumerate(arts) for q in a.quantities
    ]
    slots = [
        Slot("s1", f"jumlah tentara{payload}", "conflicting", [a.claims[0].id for a in arts], "troops", "e3",
             variants, [f"angka berbeda{payload}"], 3),
        Slot("s2", "tanggal", "evolving", [a0.claims[0].id], None, None, [], [], 1),
    ]
    copies = [Copy(a0.quotes[0].cite, a1.quotes[0].cite, 0.93, "AFP")]
    first = a0.sentences[0]
    brief = [BriefSentence(a0.text[first.start : first.end], a0.cite(first.start, first.end)),
             BriefSentence(a1.quotes[0].text, a1.quotes[0].cite)]
    stories = [Story("st1", f"Korut kirim tentara ke Rusia{payload}", [a.id for a in arts], brief, ["s1"],
                     ["e1", "e2", "e3"]),
               Story("st2", "Cerita kosong", [], [], [], [])]
    return Corpus(arts, entities, copies, slots, stories)


def test_sample_corpus_cites_hold() -> None:
    for payload in ("", XSS[0]):
        assert check_cites(sample_corpus(payload)) == []
