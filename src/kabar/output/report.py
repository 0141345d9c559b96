"""The single-file HTML report: everything inline, nothing fetched, every statement clickable to its source.

A meta Content-Security-Policy forbids all network access and allows only this
file's own script (by hash), so even a payload that slipped past escaping could
neither run nor phone home.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections import defaultdict
from datetime import date
from importlib import resources

from kabar.crossdoc.timeline import TimelineEntry, build as build_timeline
from kabar.model import Article, Corpus, Entity, Story
from kabar.output.html import (
    article_layers,
    cite_link,
    cooccurrence,
    esc,
    fmt_range,
    in_time_order,
    outlet_label,
    render_text,
)


def _asset(name: str) -> str:
    return resources.files("kabar.output").joinpath("assets", name).read_text(encoding="utf-8")


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )


def render_report(corpus: Corpus) -> str:
    script = _asset("cite.js")
    by_id = {a.id: a for a in corpus.articles}
    names = {e.id: e.name for e in corpus.entities}
    stories = corpus.stories or [Story(id="all", title="All articles", articles=[a.id for a in corpus.articles])]
    body = [
        '<header class="top"><h1>Kabar report</h1>',
        f"<p>{len(corpus.articles)} articles · {len(stories)} stories · {len(corpus.entities)} entities · "
        f"{sum(len(a.claims) for a in corpus.articles)} claims · kabar {esc(corpus.kabar_version)}</p></header><main>",
        '<nav class="toc">' + "".join(f'<a href="#story-{esc(s.id)}">{esc(s.title)}</a>' for s in stories)
        + '<a href="#articles">Articles</a></nav>',
    ]
    for story in stories:
        body.append(_story(corpus, story, by_id, names))
    body.append('<section id="articles"><h2>Articles</h2>')
    body.append(
        '<p class="legend"><span class="ent-PER">person</span><span class="ent-ORG">organisation</span>'
        '<span class="ent-LOC">place</span><span class="num">number</span><span class="time">date</span>'
        '<span class="quote">quote</span></p>'
    )
    body.extend(_article(a, names) for a in corpus.articles)
    body.append("</section></main>")
    return (
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{esc(_csp(script))}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Kabar: {esc(stories[0].title if stories else 'report')}</title>"
        f"<style>{_asset('report.css')}</style></head><body>"
        + "".join(body)
        + f"<script>{script}</script></body></html>"
    )


def _story(corpus: Corpus, story: Story, by_id: dict[str, Article], names: dict[str, str]) -> str:
    arts = [by_id[a] for a in story.articles if a in by_id]
    ids = {a.id for a in arts}
    parts = [f'<section class="story" id="story-{esc(story.id)}"><h2>{esc(story.title)}</h2>']
    parts.append(f'<p class="note">{len(arts)} articles from ' + esc(", ".join(dict.fromkeys(outlet_label(a) for a in arts))) + "</p>")
    parts.append(_brief(story, by_id))
    parts.append(_disagreements(corpus, story, by_id))
    parts.append(_timeline([e for e in build_timeline(corpus) if e.cite.article in ids], by_id))
    parts.append(_quotes(arts, names, by_id))
    parts.append(_entities(corpus, ids))
    parts.append(_sources(corpus, arts, by_id))
    parts.append("</section>")
    return "".join(parts)


def _label(cite_article: str, by_id: dict[str, Article]) -> str:
    a = by_id.get(cite_article)
    return outlet_label(a) if a else cite_article


def _brief(story: Story, by_id: dict[str, Article]) -> str:
    if not story.brief:
        return '<div class="brief"><h3>Brief</h3><p class="note">No brief for this story.</p></div>'
    items = "".join(f"<li>{esc(s.text)}{cite_link(s.cite, _label(s.cite.article, by_id))}</li>" for s in story.brief)
    return f'<div class="brief"><h3>Brief</h3><ol>{items}</ol></div>'


def _disagreements(corpus: Corpus, story: Story, by_id: dict[str, Article]) -> str:
    slots = {s.id: s for s in corpus.slots}
    chosen = [slots[s] for s in story.disagreements if s in slots]
    if not chosen:
        return '<div class="disagree"><h3>What the sources disagree on</h3><p class="note">No conflicting or evolving claims found.</p></div>'
    parts = ['<div class="disagree"><h3>What the sources disagree on</h3>']
    for slot in chosen:
        parts.append(
            f'<h4>{esc(slot.label)} <span class="status status-{esc(slot.status)}">{esc(slot.status)}</span> '
            f'<span class="note">{slot.independent_sources} independent sources</span></h4>'
        )
        parts.append('<table class="disagreements"><thead><tr><th>value</th><th>source</th><th>stance</th>'
                     "<th>as of</th><th>cited</th></tr></thead><tbody>")
        for v in in_time_order(slot.variants):
            parts.append(
                f"<tr><td>{esc(fmt_range(v.low, v.high, v.qualifier))}</td><td>{esc(v.source_text or 'unattributed')}</td>"
                f"<td>{esc(v.stance)}</td><td>{esc(v.as_of or '')}</td>"
                f"<td>{cite_link(v.cite, _label(v.cite.article, by_id))}</td></tr>"
            )
        parts.append("</tbody></table>")
        parts.extend(f'<p class="note">{esc(n)}</p>' for n in slot.notes)
    parts.append("</div>")
    return "".join(parts)


def _day(value: str) -> date | None:
    """The first day an ISO value (day, month or year) covers."""
    bits = value.split("-")
    try:
        if len(bits) == 1:
            return date(int(bits[0]), 1, 1)
        if len(bits) == 2 and bits[1].isdigit():
            return date(int(bits[0]), int(bits[1]), 1)
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _timeline(entries: list[TimelineEntry], by_id: dict[str, Article]) -> str:
    head = '<div class="timeline"><h3>Timeline</h3>'
    if not entries:
        return head + '<p class="note">No dated events.</p></div>'
    days = [(e, d) for e in entries if (d := _day(e.when))]
    svg = ""
    if days:
        lo = min(d for _, d in days).toordinal()
        hi = max(d for _, d in days).toordinal()
        span = max(hi - lo, 1)
        width, left, right = 800, 40, 40
        rows: dict[int, int] = defaultdict(int)
        dots = []
        for e, d in days:
            x = left + (d.toordinal() - lo) / span * (width - left - right)
            row = rows[round(x)]
            rows[round(x)] += 1
            y = 70 - row * 12
            colour = "#d9480f" if e.kind == "claim" else "#0b5fff"
            shape = "rect" if e.granularity != "day" else "circle"
            tip = esc(f"{e.when} · {_label(e.cite.article, by_id)}: {e.text[:140]}")
            if shape == "circle":
                dots.append(f'<circle cx="{x:.1f}" cy="{y}" r="5" fill="{colour}"><title>{tip}</title></circle>')
            else:
                dots.append(f'<rect x="{x - 4:.1f}" y="{y - 4}" width="8" height="8" fill="{colour}" opacity=".6"><title>{tip}</title></rect>')
        ticks = []
        for i in range(5):
            od = lo + round(i * span / 4)
            x = left + (od - lo) / span * (width - left - right)
            ticks.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="80" y2="86" stroke="#555"/>'
                         f'<text x="{x:.1f}" y="100" font-size="11" text-anchor="middle">{date.fromordinal(od).isoformat()}</text>')
        svg = (f'<svg viewBox="0 0 {width} 110" role="img" aria-label="timeline chart">'
               f'<line x1="{left}" x2="{width - right}" y1="80" y2="80" stroke="#555"/>{"".join(ticks)}{"".join(dots)}</svg>'
               '<p class="note">● dated event (day) · ■ month or year · orange: a claim</p>')
    items = "".join(
        f'<li><b>{esc(e.when)}</b>{" (est.)" if e.estimated else ""} · {esc(e.kind)} · {esc(e.text)}'
        f"{cite_link(e.cite, _label(e.cite.article, by_id))}</li>"
        for e in entries
    )
    return f"{head}{svg}<ol>{items}</ol></div>"


def _quotes(arts: list[Article], names: dict[str, str], by_id: dict[str, Article]) -> str:
    groups: dict[str, list] = defaultdict(list)
    for a in arts:
        for q in a.quotes:
            groups[names.get(q.speaker or "", "") or f"unresolved: {q.speaker_text or '?'}"].append(q)
    if not groups:
        return '<div class="quotes"><h3>Who said what</h3><p class="note">No quotes found.</p></div>'
    parts = ['<div class="quotes"><h3>Who said what</h3>']
    for who, qs in sorted(groups.items(), key=lambda kv: (kv[0].startswith("unresolved"), -len(kv[1]))):
        parts.append(f"<h4>{esc(who)} <span class=\"note\">({len(qs)})</span></h4>")
        for q in qs:
            via = f' <span class="note">via {esc(", ".join(q.via))}</span>' if q.via else ""
            cue = f' <span class="note">— {esc(q.cue)}</span>' if q.cue else ""
            parts.append(f"<blockquote class=\"{esc(q.kind)}\">{esc(q.text)}{cue}{via}"
                         f"{cite_link(q.cite, _label(q.cite.article, by_id))}</blockquote>")
    parts.append("</div>")
    return "".join(parts)


def _entities(corpus: Corpus, ids: set[str]) -> str:
    ents = [e for e in corpus.entities if any(m.article in ids for m in e.mentions)]
    if not ents:
        return '<div class="entities"><h3>Entities</h3><p class="note">No entities found.</p></div>'
    ents.sort(key=lambda e: -sum(1 for m in e.mentions if m.article in ids))
    rows = "".join(
        f"<tr><td>{esc(e.name)}</td><td>{esc(e.type)}</td><td>{sum(1 for m in e.mentions if m.article in ids)}</td>"
        f"<td>{''.join(f'<span class=pill>{esc(a)}</span>' for a in e.aliases if a != e.name)}</td>"
        f"<td>{esc('; '.join(e.roles))}</td></tr>"
        for e in ents
    )
    return ('<div class="entities"><h3>Entities</h3><table class="entity-table"><thead><tr><th>entity</th><th>type</th>'
            f"<th>mentions</th><th>aliases</th><th>roles</th></tr></thead><tbody>{rows}</tbody></table>"
            f"{_graph(ents[:16], cooccurrence(corpus, ids))}</div>")


def _graph(ents: list[Entity], pairs: dict[tuple[str, str], int]) -> str:
    """Entities on a circle, an edge where two share a sentence; thicker when they share more."""
    if len(ents) < 2:
        return ""
    size, r = 520, 190
    pos = {}
    for i, e in enumerate(ents):
        angle = 2 * math.pi * i / len(ents) - math.pi / 2
        pos[e.id] = (size / 2 + r * math.cos(angle), size / 2 + r * math.sin(angle))
    edges = []
    for (x, y), n in sorted(pairs.items()):
        if x in pos and y in pos:
            (x1, y1), (x2, y2) = pos[x], pos[y]
            edges.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="#8892a6" '
                         f'stroke-width="{min(1 + n, 8)}" opacity=".5"><title>{n} shared sentences</title></line>')
    colours = {"PER": "#3b6fe0", "ORG": "#e08a1e", "LOC": "#2f9e58"}
    nodes = "".join(
        f'<circle cx="{x:.0f}" cy="{y:.0f}" r="7" fill="{colours.get(e.type, "#777")}"/>'
        f'<text x="{x:.0f}" y="{y - 11:.0f}" font-size="12" text-anchor="middle">{esc(e.name)}</text>'
        for e in ents
        for x, y in [pos[e.id]]
    )
    return (f'<div class="graph"><h4>Who appears with whom</h4><svg viewBox="0 0 {size} {size}" role="img" '
            f'aria-label="entity co-occurrence graph">{"".join(edges)}{nodes}</svg></div>')


def _sources(corpus: Corpus, arts: list[Article], by_id: dict[str, Article]) -> str:
    ids = {a.id for a in arts}
    rows = "".join(
        f'<tr><td><a href="#art-{esc(a.id)}">{esc(outlet_label(a))}</a></td><td>{esc(a.title or "")}</td>'
        f"<td>{esc(a.published or '')}{' (est.)' if a.published_estimated else ''}</td>"
        f"<td>{esc(', '.join(a.wire_credits))}</td><td>{esc(a.language or '')}</td></tr>"
        for a in arts
    )
    copies = [c for c in corpus.copies if c.a.article in ids or c.b.article in ids]
    copy_rows = "".join(
        f"<tr><td>{cite_link(c.a, _label(c.a.article, by_id))} {esc(c.a.text[:120])}</td>"
        f"<td>{cite_link(c.b, _label(c.b.article, by_id))} {esc(c.b.text[:120])}</td>"
        f"<td>{c.similarity:.2f}</td><td>{esc(c.origin or '')}</td></tr>"
        for c in copies
    )
    copy_table = (
        '<h4>Shared passages</h4><table class="copies"><thead><tr><th>passage</th><th>also in</th><th>similarity</th>'
        f"<th>wire</th></tr></thead><tbody>{copy_rows}</tbody></table>" if copies
        else '<p class="note">No passage is shared between these articles.</p>'
    )
    return ('<div class="sources"><h3>Sources</h3><table><thead><tr><th>outlet</th><th>title</th><th>published</th>'
            f"<th>wire credits</th><th>lang</th></tr></thead><tbody>{rows}</tbody></table>{copy_table}</div>")


def _article(a: Article, names: dict[str, str]) -> str:
    meta = " · ".join(
        esc(x) for x in [
            a.outlet, a.author and f"by {a.author}", a.published and (a.published + (" (estimated)" if a.published_estimated else "")),
            a.language, a.wire_credits and "wires: " + ", ".join(a.wire_credits), a.url or a.source,
        ] if x
    )
    removed = ""
    if a.removed:
        items = "".join(f"<li><b>{esc(r.reason)}</b>: {esc(r.text)}</li>" for r in a.removed)
        removed = f'<details class="removed"><summary>Removed boilerplate ({len(a.removed)} lines)</summary><ul>{items}</ul></details>'
    return (
        f'<details class="article" id="art-{esc(a.id)}"><summary>{esc(a.title or outlet_label(a))}</summary>'
        f'<p class="meta">{meta}</p><div class="text" data-article="{esc(a.id)}">{render_text(a.text, article_layers(a, names))}</div>'
        f"{removed}</details>"
    )
