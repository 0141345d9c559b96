"""What a page or API answer shows, gathered from the store once for both.

The HTML pages and the JSON API call the same functions here, so a story
looks the same to a reader and to a script.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kabar.model import Claim, Entity, Quote, Slot, Story, TimeExpr, to_dict
from kabar.store import ArticleRow, Store

_GRANULARITY_ORDER = {"year": 0, "month": 1, "week": 2, "day": 3, "time": 4}


@dataclass
class TimelineEntry:
    date: str
    kind: str  # claim | time
    id: str
    text: str
    cite: Any  # Cite
    granularity: str | None = None
    end: str | None = None
    stance: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {**to_dict(self), "cite": to_dict(self.cite)}


def timeline(times: list[TimeExpr], claims: list[Claim]) -> list[TimelineEntry]:
    """Dated claims, then dated times no claim uses, in date order (coarser dates first on ties).

    Values without a year ("--10-25", a day the tagger could not anchor) go last.
    """
    by_id = {t.id: t for t in times}
    used: set[str] = set()
    entries = []
    for c in claims:
        t = by_id.get(c.time or "")
        if t is not None and t.value:
            used.add(t.id)
            entries.append(TimelineEntry(t.value, "claim", c.id, c.cite.text, c.cite, t.granularity, t.end, c.stance))
    for t in times:
        if t.value and t.id not in used:
            entries.append(TimelineEntry(t.value, "time", t.id, t.text, t.cite, t.granularity, t.end))
    entries.sort(key=lambda e: (not e.date[:1].isdigit(), e.date, _GRANULARITY_ORDER.get(e.granularity or "", 5),
                                e.cite.article, e.cite.start))
    return entries


@dataclass
class SpeakerQuotes:
    speaker: str | None  # entity id
    name: str
    quotes: list[Quote] = field(default_factory=list)


def quotes_by_speaker(quotes: list[Quote], entities: dict[str, Entity]) -> list[SpeakerQuotes]:
    """Quotes grouped by resolved speaker (else as the text named them), most-quoted first."""
    groups: dict[str, SpeakerQuotes] = {}
    for q in quotes:
        if q.speaker and q.speaker in entities:
            key, name = f"e:{q.speaker}", entities[q.speaker].name
        else:
            key, name = f"t:{q.speaker_text or ''}", q.speaker_text or "(unattributed)"
        groups.setdefault(key, SpeakerQuotes(q.speaker if key.startswith("e:") else None, name)).quotes.append(q)
    return sorted(groups.values(), key=lambda g: -len(g.quotes))


def story_slots(store: Store, story: Story) -> list[Slot]:
    """The story's disagreements first, then other slots citing its articles."""
    listed = store.slots(story.disagreements)
    order = {sid: i for i, sid in enumerate(story.disagreements)}
    listed.sort(key=lambda s: order[s.id])
    members = set(story.articles)
    others = [
        s for s in store.slots()
        if s.id not in order and any(v.cite.article in members for v in s.variants)
    ]
    return listed + others


@dataclass
class StoryView:
    story: Story
    articles: list[ArticleRow]
    slots: list[Slot]
    timeline: list[TimelineEntry]
    speakers: list[SpeakerQuotes]
    entities: list[Entity]

    def to_json(self) -> dict[str, Any]:
        return {
            "story": to_dict(self.story),
            "articles": [to_dict(a) for a in self.articles],
            "slots": [to_dict(s) for s in self.slots],
            "timeline": [e.to_json() for e in self.timeline],
            "quotes_by_speaker": [
                {"speaker": g.speaker, "name": g.name, "quotes": [to_dict(q) for q in g.quotes]} for g in self.speakers
            ],
            "entities": [to_dict(e) for e in self.entities],
        }


def story_view(store: Store, story: Story) -> StoryView:
    ids = story.articles
    quotes = store.findings("quotes", articles=ids)
    speaker_ids = [q.speaker for q in quotes if q.speaker]
    entities = {e.id: e for e in store.entities(list({*story.entities, *speaker_ids}))}
    return StoryView(
        story=story,
        articles=store.articles(limit=len(ids), ids=ids),
        slots=story_slots(store, story),
        timeline=timeline(store.findings("times", articles=ids), store.findings("claims", articles=ids)),
        speakers=quotes_by_speaker(quotes, entities),
        entities=[entities[e] for e in story.entities if e in entities],
    )


@dataclass
class EntityView:
    entity: Entity  # its mention cites are entity.mentions
    quotes: list[Quote]
    claims: list[Claim]
    articles: list[ArticleRow]

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": to_dict(self.entity),
            "quotes": [to_dict(q) for q in self.quotes],
            "claims": [to_dict(c) for c in self.claims],
            "articles": [to_dict(a) for a in self.articles],
        }


def entity_view(store: Store, entity: Entity, limit: int = 200) -> EntityView:
    """The entity with what it said, what is claimed about or by it, and where it appears."""
    article_ids = list(dict.fromkeys([*entity.counts, *(c.article for c in entity.mentions)]))
    return EntityView(
        entity=entity,
        quotes=store.findings("quotes", entity=entity.id, limit=limit),
        claims=store.findings("claims", entity=entity.id, limit=limit),
        articles=store.articles(limit=len(article_ids), ids=article_ids),
    )
