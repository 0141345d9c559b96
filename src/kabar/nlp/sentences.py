"""Sentence and paragraph spans over an article's clean text.

A boundary is sentence punctuation (plus any closing quotes or brackets) followed by
space and a capitalised word, a digit or an opening quote; never a line break inside a
sentence. What is not a boundary: an abbreviation from lang/<code>/abbreviations.txt
("Tn.", "Jl.", "No.", "S.H."), an initial ("Mark A. Smith"), a list number ("1."),
numbers (1.500, 14.30: no space after the period), a lower-case continuation
(“…?” tanya dia.), and a period inside a quotation unless both sides of it are full
sentences (a multi-sentence quote is split, a short exclamation is not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kabar import lang as langdata
from kabar.model import Article, Sentence

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_CANDIDATE = re.compile(r"(?:[.!?…]+)[\"”’')\]]*(?=\s|$)")
_NEXT = re.compile(r"\s+(\S)")
_OPENERS = "\"“‘'([«"
_LEAD_PUNCT = "\"“‘'([«"
_INITIALISM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]?")
_NUMBER = re.compile(r"\d+")
_MIN_QUOTED_WORDS = 2  # words on each side of a split inside a quotation
_QUOTE_CHAR = re.compile(r'[“”"]')
_CLOSING_QUOTE = re.compile(r'[”"]')


@dataclass(frozen=True)
class Abbreviations:
    plain: frozenset[str]  # lower-cased, with their final period
    final: frozenset[str]  # may also close a sentence


@cache
def abbreviations(code: str) -> Abbreviations:
    plain, final = set(), set()
    for line in langdata.load_lines(code, "abbreviations.txt"):
        word, _, mark = line.partition(" ")
        plain.add(word.lower())
        if mark.strip() == "$":
            final.add(word.lower())
    return Abbreviations(frozenset(plain), frozenset(final))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_paragraphs(text: str) -> list[Sentence]:
    """Spans of the blocks between blank lines, whitespace trimmed."""
    spans = []
    pos = 0
    for m in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = m.start() if m else len(text)
        s, e = _trimmed(text, pos, end)
        if s < e:
            spans.append(Sentence(s, e))
        if m:
            pos = m.end()
    return spans


class _Quotes:
    """Running quotation state along one line: curly-quote depth, straight-quote parity, and
    where the open quotation began."""

    def __init__(self, text: str, start: int):
        self.text = text
        self.pos = start
        self.depth = 0
        self.straight = False
        self.opened = start

    @property
    def inside(self) -> bool:
        return self.depth > 0 or self.straight

    def inside_at(self, pos: int) -> bool:
        for m in _QUOTE_CHAR.finditer(self.text, self.pos, pos):
            was_inside = self.inside
            ch = m.group()
            if ch == "“":
                self.depth += 1
            elif ch == "”":
                self.depth = max(0, self.depth - 1)
            else:
                self.straight = not self.straight
            if self.inside and not was_inside:
                self.opened = m.end()
        self.pos = pos
        return self.inside

    def close_after(self, pos: int, end: int) -> int:
        """Where the open quotation closes after `pos` (or `end`)."""
        m = _CLOSING_QUOTE.search(self.text, pos, end)
        return m.start() if m else end


def _is_abbreviation(token: str, next_char: str, ab: Abbreviations) -> bool:
    """Whether the period after `token` belongs to it rather than ending the sentence."""
    key = token.lower() + "."
    if key in ab.final:
        return not next_char.isupper()
    if key in ab.plain:
        return True
    if len(token) == 1 and token.isalpha():
        return True  # an initial ("A. Smith") or a list letter
    return bool(_INITIALISM.fullmatch(token))


def _split_line(text: str, start: int, end: int, ab: Abbreviations, out: list[Sentence]) -> None:
    sent = start
    quotes = _Quotes(text, start)
    for m in _CANDIDATE.finditer(text, start, end):
        cut = m.end()
        nxt = _NEXT.match(text, cut, end)
        if not nxt:
            break
        first = nxt.group(1)
        if not (first.isupper() or first.isdigit() or first in _OPENERS):
            continue
        piece = text[sent : m.start()]
        if text[m.start()] == "." and m.group(0)[:2] != "..":
            token = piece.rsplit(None, 1)[-1].lstrip(_LEAD_PUNCT) if piece.strip() else ""
            if not token or _is_abbreviation(token, first, ab):
                continue
            if _NUMBER.fullmatch(token) and not piece[: -len(token)].strip():
                continue  # "1. Pertama": a list number, not a sentence
        if not any(ch.isalpha() for ch in piece):
            continue
        if quotes.inside_at(cut):
            close = quotes.close_after(nxt.start(1), end)
            quoted = text[max(sent, quotes.opened) : m.start()]
            if len(quoted.split()) < _MIN_QUOTED_WORDS or len(text[nxt.start(1) : close].split()) < _MIN_QUOTED_WORDS:
                continue  # "Awas! Lari!": not two full sentences
        out.append(Sentence(sent, cut))
        sent = nxt.start(1)
    s, e = _trimmed(text, sent, end)
    if s < e:
        out.append(Sentence(s, e))


def split_sentences(text: str, lang: str = "id") -> list[Sentence]:
    """Sentence spans of `text`, never crossing a line or paragraph break."""
    ab = abbreviations(lang)
    out: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        s, e = _trimmed(text, pos, pos + len(line))
        if s < e:
            _split_line(text, s, e, ab, out)
        pos += len(line) + 1
    return out


class SentenceSplitter:
    """Stage: fills `article.sentences` and `article.paragraphs` (abbreviations of the article's language)."""

    name = "sentences"

    def __init__(self) -> None:
        for code in langdata.SUPPORTED:
            abbreviations(code)

    def __call__(self, article: Article) -> Article:
        code = article.language if article.language in langdata.SUPPORTED else langdata.DEFAULT
        article.paragraphs = split_paragraphs(article.text)
        article.sentences = split_sentences(article.text, code)
        return article
