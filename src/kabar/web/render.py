"""HTML fragments for the web pages that Jinja cannot build by itself, every piece of text escaped.

Article bodies, citation links and numbers come from `kabar.output.html`, the
same code as the single-file report, so both highlight and format alike.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape

from kabar.model import Article, Cite, Entity
from kabar.output.html import article_layers, cite_fragment, cite_link, render_text
from kabar.store import Hit


def article_href(article_id: str) -> str:
    return f"/articles/{quote(article_id, safe='')}"


def cite_href(cite: Cite) -> str:
    """The article page URL that highlights exactly this span (cite.js reads the fragment)."""
    return article_href(cite.article) + cite_fragment(cite.article, cite.start, cite.end)


def cite(c: Cite, label: str | None = None) -> Markup:
    """A citation link: highlights in place on the cited article's page, else opens that page at the span."""
    return Markup(cite_link(c, f"[{c.article}]" if label is None else label, cite_href(c)))


def hit_href(hit: Hit) -> str:
    """A quote hit opens its article with the quote highlighted; an article hit opens the article."""
    if hit.start is None or hit.end is None:
        return article_href(hit.article)
    return article_href(hit.article) + cite_fragment(hit.article, hit.start, hit.end)


def article_body(article: Article, entities: list[Entity]) -> Markup:
    """The clean text with its annotations as flat segments, exactly as the report shows it."""
    return Markup(render_text(article.text, article_layers(article, {e.id: e.name for e in entities})))


def safe_url(url: str | None) -> str | None:
    """`url` when it is http(s), else None: article metadata must never yield a javascript: link."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def snippet_html(hit: Hit) -> Markup:
    """A search snippet with its matches in <mark>, the text itself escaped."""
    return Markup("").join(
        Markup("<mark>{}</mark>").format(text) if matched else escape(text) for text, matched in hit.snippet_parts()
    )
