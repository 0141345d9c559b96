"""HTML pages to main text plus metadata, through trafilatura.

trafilatura finds the article body and the page's title, author, date and site name.
When it finds no body (broken or unusual markup) the page's visible text is used instead,
flagged, so the cleaner still gets a chance; a page with no visible text fails.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml import etree

_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas")
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article header footer aside nav blockquote pre "
    "figure figcaption main form dd dt dl hr td th".split()
)
_MIN_FALLBACK_WORDS = 20
logging.getLogger("trafilatura").setLevel(logging.ERROR)


@dataclass
class HtmlDoc:
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    url: str | None = None
    fallback: bool = False  # True when `text` is the page's visible text, not trafilatura's body


class NoMainText(ValueError):
    """The page has neither a main text nor enough visible text."""


def visible_text(markup: str) -> str:
    """Every visible text node of the page, one line per block element (the benchmark baseline)."""
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, *_INVISIBLE_TAGS, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def extract(markup: str, url: str | None = None) -> HtmlDoc:
    """Main text and metadata of one page; raises NoMainText when there is nothing to read."""
    try:
        doc = trafilatura.bare_extraction(
            markup,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError, etree.LxmlError):
        doc = None
    text = (getattr(doc, "text", None) or "").strip()
    meta = dict(
        title=getattr(doc, "title", None),
        author=getattr(doc, "author", None),
        date=getattr(doc, "date", None),
        sitename=getattr(doc, "sitename", None) or getattr(doc, "hostname", None),
        url=url or getattr(doc, "url", None),
    )
    if text:
        return HtmlDoc(text=text, **meta)
    fallback = visible_text(markup)
    if len(fallback.split()) < _MIN_FALLBACK_WORDS:
        raise NoMainText("no main text found in HTML (and too little visible text to fall back on)")
    return HtmlDoc(text=fallback, fallback=True, **meta)
