"""HTML fragments built in Python, every piece of text escaped on the way in.

The article body is cut at every annotation boundary into `span.seg` pieces
carrying their start offset (`data-s`), so overlapping findings never need
nested tags, and kabar.js can map a citation's offsets back onto the page.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape

from kabar.model import Article, Cite
from kabar.store import Hit

# CSS class per finding kind highlighted in the article body.
HIGHLIGHT_CLASSES = {"mentions": "m", "quotes": "q", "quantities": "n", "times": "t"}


def cite_href(cite: Cite) -> str:
    """The article page URL that highlights exactly this span."""
    return f"/articles/{quote(cite.article, safe='')}#c-{cite.start}-{cite.end}"


def safe_url(url: str | None) -> str | None:
    """`url` when it is http(s), else None: article metadata must never yield a javascript: link."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def fmt_number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,g}"


def fmt_value(low: float | None, high: float | None, qualifier: str = "=") -> str:
    """A quantity as a reader writes it: "≥ 10,000", "1,000–2,000", "12,000"."""
    if low is None and high is None:
        return "—"
    if low is not None and high is not None and low != high:
        return f"{fmt_number(low)}–{fmt_number(high)}"
    sign = {"=": "", ">=": "≥ ", "<=": "≤ ", "~": "~ "}.get(qualifier, f"{qualifier} ")
    return sign + fmt_number(low if low is not None else high)  # type: ignore[arg-type]


def _spans(article: Article) -> list[tuple[int, int, str]]:
    spans = [(m.start, m.end, "m") for m in article.mentions]
    for table in ("quotes", "quantities", "times"):
        spans += [(f.cite.start, f.cite.end, HIGHLIGHT_CLASSES[table]) for f in getattr(article, table)]
    n = len(article.text)
    return [(max(0, s), min(n, e), c) for s, e, c in spans if s < e]


def highlighted_text(article: Article) -> Markup:
    """The body as `span.seg` pieces; a piece inside findings gets their kinds' classes."""
    spans = _spans(article)
    cuts = sorted({0, len(article.text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for s, e, c in spans:
        opens.setdefault(s, []).append(c)
        closes.setdefault(e, []).append(c)
    active: Counter[str] = Counter()
    out = []
    for a, b in pairwise(cuts):
        active.subtract(closes.get(a, []))
        active.update(opens.get(a, []))
        kinds = " ".join(sorted(k for k, v in active.items() if v > 0))
        cls = f"seg {kinds}" if kinds else "seg"
        out.append(Markup('<span class="{}" data-s="{}">{}</span>').format(cls, a, article.text[a:b]))
    return Markup("").join(out)


def snippet_html(hit: Hit) -> Markup:
    """A search snippet with its matches in <mark>, the text itself escaped."""
    return Markup("").join(
        Markup("<mark>{}</mark>").format(text) if matched else escape(text) for text, matched in hit.snippet_parts()
    )
