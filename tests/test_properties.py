"""Property-based tests of the parsers that take free text: whatever the text, they do not raise,
every span lies inside the text, and every cited span's text is exactly the text at that span.

The generated texts splice Indonesian and English news words, numbers written with "." and ","
in every role, quote marks of all styles, abbreviations, line breaks, HTML entities, emoji,
combining marks, right-to-left text and characters whose case mapping changes length ("İ", "ß",
"ﬁ"), the usual source of offset bugs. The statistical NER model is left out for speed; the
entity recogniser runs on its gazetteer and rules, which is what the quote extractor needs.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kabar.ingest.clean import Cleaner, split_lines
from kabar.model import Article
from kabar.nlp.entities import EntityRecognizer
from kabar.nlp.quantities import find_quantities
from kabar.nlp.quotes import QuoteExtractor
from kabar.nlp.sentences import SentenceSplitter, split_paragraphs, split_sentences
from kabar.nlp.times import find_times

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)

WORDS = (
    "Presiden Menteri Kapolri Gubernur Jokowi Sri Mulyani Prabowo kata ujar ucap mengatakan menyatakan menegaskan "
    "menurut bahwa dia ia beliau mereka yang dan di ke dari pada Senin Selasa Rabu Kamis Jumat Sabtu Minggu kemarin "
    "lalu depan pekan bulan tahun hari jam pukul WIB WITA sejak hingga sampai antara sekitar lebih kurang hampir "
    "tiga sebelas seratus ratusan puluhan ribuan setengah juta miliar triliun Rp US$ persen orang korban rumah km ton "
    "Januari Februari Okt Desember 2024 1998 Jakarta Surabaya Kompas ANTARA Reuters AFP BNPB TNI Polri said told "
    "according to the million people Monday last week ago"
).split()
ABBREVIATIONS = ("Tn.", "Ny.", "Jl.", "No.", "S.H.", "dr.", "Dr.", "Prof.", "H.", "M.", "a.n.", "dll.", "dsb.",
                 "Kab.", "Kec.", "Mr.", "U.S.", "e.g.", "Rp.", "Sdr.")
QUOTES = ('"', "“", "”", "‘", "’", "'", "«", "»", "„", "‚", "‹", "›", "「", "」", "``", "''")
PUNCT = (".", ",", "!", "?", "...", "…", ":", ";", "(", ")", "[", "]", "-", "–", "—", "/", "%", "+", "&")
SEPARATORS = (" ", " ", " ", "", "  ", "\n", "\n\n", "\t", "\xa0", "\r\n", "\r", "\u2028", "\u200b", " \n \n ")
ODD = ("😀", "🇮🇩", "👍🏽", "👨‍👩‍👧", "e\u0301", "\u0301", "a\u0308\u0323", "مرحبا", "שלום", "\u200f", "\u202e",
       "السلام عليكم", "日本語", "한국어", "Ελληνικά", "İstanbul", "ß", "ﬁ", "Ǆ", "ẞ", "\ufeff", "\x00", "\x0c",
       "&amp;", "&quot;", "&#8220;", "&nbsp;", "e&#769;", "&#8203;", "<b>", "</p>")
CUES = ("kata", "ujar", "ucap", "mengatakan", "menurut", "said", "tegas", "jelas", "tambahnya", "katanya")


@st.composite
def numbers(draw: st.DrawFn) -> str:
    """Numbers as the news writes them: 1.234.567, 3,5, 14.30, 28/10/2024, 10-12, +62 812-3456-7890, ½."""
    n = draw(st.integers(0, 10**10))
    style = draw(st.sampled_from(("plain", "dots", "commas", "decimal", "date", "range", "time", "phone", "odd")))
    if style == "dots":
        return f"{n:,}".replace(",", ".")
    if style == "commas":
        return f"{n:,}"
    if style == "decimal":
        return f"{n % 10000},{draw(st.integers(0, 99))}" + draw(st.sampled_from(("", "%", " persen")))
    if style == "date":
        return f"{n % 40}/{n % 14}" + draw(st.sampled_from(("", f"/{1900 + n % 200}", f"-{n % 3000}")))
    if style == "range":
        return f"{n % 1000}{draw(st.sampled_from(('-', '–', ' - ', ' hingga ', ' sampai ')))}{n % 997}"
    if style == "time":
        return f"{n % 30}{draw(st.sampled_from(('.', ':')))}{n % 70:02d}"
    if style == "phone":
        return f"+62 {n % 1000} {n % 10000}-{n % 9999}"
    if style == "odd":
        return draw(st.sampled_from(("½", "²", "٣", "१२", "０１", "1e9", "007", "0,0", "1.", ".5", ",5", "9" * 40)))
    return str(n)


@st.composite
def quoted(draw: st.DrawFn) -> str:
    """A speech fragment (the shapes quote and claim finders key on), with mismatched marks at times."""
    opener, closer = draw(st.sampled_from(QUOTES)), draw(st.sampled_from(QUOTES))
    body = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=8)))
    who = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=3)))
    cue = draw(st.sampled_from(CUES))
    shape = draw(st.integers(0, 3))
    if shape == 0:
        return f"{opener}{body},{closer} {cue} {who}."
    if shape == 1:
        return f"{who} {cue}, {opener}{body}.{closer}"
    if shape == 2:
        return f"{who} {cue} bahwa {body}."
    return f"{cue.capitalize()} {who}, {body}."


TOKENS = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(str.upper),
    st.sampled_from(ABBREVIATIONS),
    numbers(),
    st.sampled_from(QUOTES),
    st.sampled_from(PUNCT),
    st.sampled_from(ODD),
    quoted(),
    st.text(max_size=4),
)


@st.composite
def news_text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(TOKENS, st.sampled_from(SEPARATORS)), max_size=60))
    return "".join(tok + sep for tok, sep in parts)


TEXTS = news_text()
LANGS = st.sampled_from(("id", "en"))


def _spans_ok(text: str, spans: list[tuple[int, int]], ordered: bool) -> None:
    """Every span inside `text` and non-empty; with `ordered`, sorted and non-overlapping too."""
    prev = 0
    for start, end in spans:
        assert 0 <= start < end <= len(text), (start, end, len(text))
        if ordered:
            assert start >= prev, f"span {start}:{end} overlaps or precedes the one ending at {prev}"
            prev = end


# --- the cleaner ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


@PROPERTY
@given(raw=TEXTS, title=st.none() | TEXTS)
def test_cleaner_output_is_tidy_paragraphs(cleaner: Cleaner, raw: str, title: str | None) -> None:
    out = cleaner(raw, title=title)
    if out.text:
        for para in out.text.split("\n\n"):
            assert para and para == para.strip() and "\n" not in para and "\r" not in para
            assert "  " not in para, "runs of spaces are collapsed"
    assert not re.search("[\u200b\u200c\u200d\u2060\ufeff\xad]", out.text), "invisible characters are removed"
    assert unicodedata.is_normalized("NFC", out.text)
    lines = len(split_lines(raw))
    for r in out.removed:
        assert r.text and r.reason
        assert -1 <= r.line < lines, f"removed line number {r.line} outside the {lines} raw lines"


# --- sentences and paragraphs -------------------------------------------------------------


@PROPERTY
@given(text=TEXTS, lang=LANGS)
def test_sentences_ordered_trimmed_and_cover_the_text(text: str, lang: str) -> None:
    sents = split_sentences(text, lang)
    _spans_ok(text, [(s.start, s.end) for s in sents], ordered=True)
    covered = [False] * len(text)
    for s in sents:
        chunk = text[s.start : s.end]
        assert "\n" not in chunk, "a sentence never crosses a line break"
        assert not chunk[0].isspace() and not chunk[-1].isspace()
        covered[s.start : s.end] = [True] * (s.end - s.start)
    lost = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert not lost, f"characters in no sentence: {[text[i] for i in lost[:5]]}"
    paras = split_paragraphs(text)
    _spans_ok(text, [(p.start, p.end) for p in paras], ordered=True)
    for s in sents:
        assert any(p.start <= s.start and s.end <= p.end for p in paras), "each sentence lies in one paragraph"


# --- numbers and dates ----------------------------------------------------------------------


@PROPERTY
@given(text=TEXTS)
def test_quantities_cite_their_own_text(text: str) -> None:
    found = find_quantities(text)
    _spans_ok(text, [(q.start, q.end) for q in found], ordered=False)
    for q in found:
        assert q.text == text[q.start : q.end]
        assert q.start <= q.value_start < q.value_end <= q.end
        assert q.value_text == text[q.value_start : q.value_end]
        if q.low is not None and q.high is not None:
            assert q.low <= q.high, (q.text, q.low, q.high)
    starts = [q.start for q in found]
    assert starts == sorted(starts), "quantities come in text order"


_ISO = re.compile(r"(?:\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2})?)?)?|--\d{2}(?:-\d{2})?)")


@PROPERTY
@given(text=TEXTS, anchor=st.none() | st.dates(), realistic=st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)))
def test_times_cite_their_own_text(text: str, anchor: dt.date | None, realistic: dt.date) -> None:
    for a in (anchor, realistic):  # any date at all must not crash; a realistic one must give ISO values
        found = find_times(text, a)
        _spans_ok(text, [(t.start, t.end) for t in found], ordered=True)
        for t in found:
            assert t.text == text[t.start : t.end]
            if a is None and t.anchored:  # without an anchor only a date written in full is placed
                assert t.value is not None and not t.value.startswith("--"), t
            if a is realistic and t.value is not None:
                assert _ISO.fullmatch(t.value), t.value


# --- quotes (on sentences and rule-based mentions) -------------------------------------------


@pytest.fixture(scope="module")
def stages() -> tuple[SentenceSplitter, EntityRecognizer, QuoteExtractor]:
    return SentenceSplitter(), EntityRecognizer(use_model=False), QuoteExtractor()


@PROPERTY
@given(text=TEXTS, lang=LANGS)
def test_quotes_and_mentions_cite_exact_spans(stages, text: str, lang: str) -> None:
    splitter, recogniser, extractor = stages
    article = extractor(recogniser(splitter(Article(id="aprop000001", text=text, language=lang))))
    mention_ids = [m.id for m in article.mentions]
    assert len(set(mention_ids)) == len(mention_ids)
    for m in article.mentions:
        assert 0 <= m.start < m.end <= len(text) and m.text == text[m.start : m.end]
    quote_ids = [q.id for q in article.quotes]
    assert len(set(quote_ids)) == len(quote_ids)
    for q in article.quotes:
        assert re.fullmatch(r"aprop000001:q\d+", q.id)
        assert q.kind in ("direct", "indirect")
        for cite in (q.cite, q.speaker_cite):
            if cite is not None:
                assert cite.article == article.id
                assert 0 <= cite.start <= cite.end <= len(text)
                assert cite.text == article.text[cite.start : cite.end]
        assert q.cite.start < q.cite.end and q.text == q.cite.text
        assert q.speaker_mention is None or q.speaker_mention in mention_ids
