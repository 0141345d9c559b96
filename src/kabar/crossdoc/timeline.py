"""One time axis for the whole corpus: every dated event and claim, with its citations.

Derived from the per-article time expressions and claims, so it needs no
stage of its own: the report, the web app and `kabar timeline` all call `build`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kabar.model import Cite, Corpus


@dataclass
class TimelineEntry:
    when: str  # ISO value: 2024-10-28, 2024-10, 2024
    granularity: str
    text: str  # the sentence the date or claim sits in
    kind: str  # "event" (a dated sentence) or "claim"
    cite: Cite
    time_cite: Cite | None = None
    claims: list[str] = field(default_factory=list)
    outlet: str | None = None
    estimated: bool = False  # anchored on an estimated publication date


def _sort_key(e: TimelineEntry) -> tuple[str, str, int]:
    # "2024-10" sorts before "2024-10-01": month-level entries open their month.
    return (e.when, e.cite.article, e.cite.start)


def build(corpus: Corpus) -> list[TimelineEntry]:
    """One entry per sentence that carries an anchored date; claims in that sentence ride along."""
    entries: list[TimelineEntry] = []
    for article in corpus.articles:
        times = {t.id: t for t in article.times}
        seen: set[tuple[int, str]] = set()
        dated_claims = [c for c in article.claims if c.time in times and times[c.time].value]
        for claim in dated_claims:
            t = times[claim.time]
            sent = article.sentence_at(claim.cite.start)
            span = (sent.start, sent.end) if sent else (claim.cite.start, claim.cite.end)
            key = (span[0], t.value or "")
            if key in seen:
                continue
            seen.add(key)
            entries.append(
                TimelineEntry(
                    when=t.value or "",
                    granularity=t.granularity or "day",
                    text=article.text[span[0]:span[1]],
                    kind="claim",
                    cite=article.cite(*span),
                    time_cite=t.cite,
                    claims=[c.id for c in dated_claims if c.time == t.id],
                    outlet=article.outlet,
                    estimated=article.published_estimated,
                )
            )
        for t in article.times:
            if not (t.anchored and t.value):
                continue
            sent = article.sentence_at(t.cite.start)
            span = (sent.start, sent.end) if sent else (t.cite.start, t.cite.end)
            key = (span[0], t.value)
            if key in seen:
                continue
            seen.add(key)
            entries.append(
                TimelineEntry(
                    when=t.value,
                    granularity=t.granularity or "day",
                    text=article.text[span[0]:span[1]],
                    kind="event",
                    cite=article.cite(*span),
                    time_cite=t.cite,
                    outlet=article.outlet,
                    estimated=article.published_estimated,
                )
            )
    entries.sort(key=_sort_key)
    return entries
