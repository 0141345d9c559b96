"""HTML pieces shared by the single-file report and the web app.

Article text is rendered as flat segments (one <span> per run of characters
covered by the same annotations) so that the element's textContent equals the
clean text exactly; the browser script (assets/cite.js, inlined in the report,
served by the web app) turns any (start, end) citation into a <mark> over
precisely that range. Everything from an article goes through `esc`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import quote, urlsplit

from kabar.model import Article, Cite, Corpus, Variant


def esc(value: object) -> str:
    """Escape for element content and quoted attributes alike."""
    return html.escape("" if value is None else str(value), quote=True)


@dataclass(frozen=True)
class Layer:
    start: int
    end: int
    css: str
    title: str = ""
    data: tuple[tuple[str, str], ...] = ()


def article_layers(article: Article, entity_names: dict[str, str] | None = None) -> list[Layer]:
    """The annotations to highlight in an article: entities, quotes, numbers and dates."""
    names = entity_names or {}
    layers: list[Layer] = []
    for m in article.mentions:
        title = f"{m.label}: {names.get(m.entity or '', m.text)}" + (f" ({m.role})" if m.role else "")
        layers.append(Layer(m.start, m.end, f"ent ent-{m.label}", title, (("entity", m.entity or ""),)))
    for q in article.quotes:
        who = names.get(q.speaker or "", q.speaker_text or "unresolved")
        layers.append(Layer(q.cite.start, q.cite.end, f"quote quote-{q.kind}", f"{q.kind} quote: {who}"))
    for n in article.quantities:
        value = fmt_range(n.low, n.high, n.qualifier)
        layers.append(Layer(n.cite.start, n.cite.end, "num", f"{value} {n.concept or ''}".strip()))
    for t in article.times:
        layers.append(Layer(t.cite.start, t.cite.end, "time", f"{t.value or 'unanchored'} ({t.granularity or '?'})"))
    return layers


def render_text(text: str, layers: list[Layer]) -> str:
    """Flat segments: textContent of the result == text; each segment carries its covering layers."""
    cuts = {0, len(text)}
    for layer in layers:
        if 0 <= layer.start < layer.end <= len(text):
            cuts.update((layer.start, layer.end))
    points = sorted(cuts)
    parts: list[str] = []
    for a, b in zip(points, points[1:]):
        cover = [la for la in layers if la.start <= a and b <= la.end]
        chunk = esc(text[a:b])
        if not cover:
            parts.append(chunk)
            continue
        css = " ".join(dict.fromkeys(c for la in cover for c in la.css.split()))
        title = " · ".join(dict.fromkeys(la.title for la in cover if la.title))
        data = "".join(f' data-{k}="{esc(v)}"' for la in cover for k, v in la.data if v)
        parts.append(f'<span class="{css}" title="{esc(title)}"{data}>{chunk}</span>')
    return "".join(parts)


def cite_fragment(article_id: str, start: int, end: int) -> str:
    """The URL fragment cite.js reads on load to highlight exactly [start, end) of that article."""
    return f"#c-{quote(article_id, safe='')}-{start}-{end}"


def cite_link(cite: Cite, label: str, href: str | None = None) -> str:
    """A citation cite.js highlights in place when its article is on the page; else `href` (default:
    the article's anchor in this page) is followed, and should carry `cite_fragment` to land on the span."""
    target = f"#art-{cite.article}" if href is None else href
    return (
        f'<a class="cite" href="{esc(target)}" data-article="{esc(cite.article)}" '
        f'data-start="{cite.start}" data-end="{cite.end}" title="{esc(cite.text)}">{esc(label)}</a>'
    )


def outlet_label(article: Article) -> str:
    """A short name for citing an article: outlet, else the URL's host, else a clipped title or file name."""
    if article.outlet:
        return article.outlet
    if article.url and (host := urlsplit(article.url).hostname):
        return host.removeprefix("www.")
    if article.title:
        words = article.title.split()
        return " ".join(words[:5]) + ("…" if len(words) > 5 else "")
    return PurePath(article.source).name or article.id


def fmt_number(x: float | None) -> str:
    """Indonesian digit grouping: 12.000, 1,5."""
    if x is None:
        return "?"
    if float(x).is_integer():
        return f"{int(x):,}".replace(",", ".")
    return f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".").rstrip("0").rstrip(",")


def fmt_range(low: float | None, high: float | None, qualifier: str) -> str:
    """A figure as a reader writes it ("> 10.000", "10.000–12.000"); a slot's claim without a figure
    (a denial, "belum bisa mengonfirmasi") says so rather than showing a bare "?"."""
    if low is None and high is None:
        return "no figure"
    if low is None or high is None or low == high:
        value = fmt_number(low if low is not None else high)
        return value if qualifier == "=" else f"{qualifier} {value}"
    return f"{fmt_number(low)}–{fmt_number(high)}"


def in_time_order(variants: Sequence[Variant]) -> list[Variant]:
    """A slot's variants as a reader follows them: by as-of date, undated last, then by figure."""
    def figure(v: Variant) -> float:
        return v.low if v.low is not None else v.high if v.high is not None else math.inf
    return sorted(variants, key=lambda v: (v.as_of is None, v.as_of or "", figure(v)))


def cooccurrence(corpus: Corpus, article_ids: set[str] | None = None) -> dict[tuple[str, str], int]:
    """How often two canonical entities share a sentence."""
    pairs: dict[tuple[str, str], int] = {}
    for a in corpus.articles:
        if article_ids is not None and a.id not in article_ids:
            continue
        for s in a.sentences:
            ents = sorted({m.entity for m in a.mentions if m.entity and s.start <= m.start < s.end})
            for i, x in enumerate(ents):
                for y in ents[i + 1:]:
                    pairs[(x, y)] = pairs.get((x, y), 0) + 1
    return pairs
