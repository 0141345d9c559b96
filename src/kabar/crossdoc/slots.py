"""Claim slots: the claims of a story about one thing, side by side, with a verdict.

A slot is (story, concept, subject, predicate family): "Korea Utara — troops
(kirim) → Rusia". Its concept is what the number counts (the quantity stage's
concept, or for a claim without a number the counted noun its object names:
"menolak mengkonfirmasi pengerahan pasukan ..." is about troops); its subject is
the canonical entity doing it (a capital stands for its country: "Pyongyang
mengirimkan ..." is Korea Utara); predicates join when they name the same
kind of event (kirim, kerah, pasok, siap: `predicate_groups` in claims.json),
and neutral ones ("ada", "mencapai", or none) join any.

Figures are compared as ranges: "=" is the value give or take rounding, ">"
and ">=" open upwards, "<" and "<=" downwards, "~" widens its range. The verdict:

- conflicting: two sources that are independent of each other give incompatible
  ranges for the same time (as_of within `same_time_days`, or unknown);
- evolving: incompatible ranges from independent sources at different times;
- contested: no such disagreement, but a source denies the claim or declines to
  confirm it;
- agreeing: everything else.

Projections ("hingga 100.000 ... dapat dikerahkan") state what may happen, so
they never conflict with a count; denials never carry numbers. Either is noted.
Articles that copy each other or credit the same wire form one independent
group (`kabar.crossdoc.copies.independence_groups`): ten reprints of one Yonhap
story count once, and disagreement inside one group is only noted.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from kabar.crossdoc.copies import independence_groups
from kabar.lang import load_json
from kabar.model import Article, Claim, Corpus, Entity, Quantity, Slot, Story, Variant
from kabar.nlp.quantities import find_quantities
from kabar.nlp.tokens import fold, tokenize

_MEASURED = ("asserted", "hedged")
_AGAINST = ("denied", "unconfirmed")
_DISAGREE = ("conflicting", "evolving", "contested")


# --- ranges and times ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Range:
    """A closed interval of plausible true values; `math.inf` for an open end."""

    low: float
    high: float

    def meets(self, other: "Range") -> bool:
        return self.low <= other.high and other.low <= self.high


def value_range(low: float | None, high: float | None, qualifier: str, rounding: float = 0.02, approx: float = 0.15) -> Range | None:
    """The values a reported figure allows. "=" keeps `rounding` slack (reporters round), "~" `approx`;
    strict bounds (">", "<") exclude the figure itself. None when there is no number."""
    lo = low if low is not None else high
    hi = high if high is not None else low
    if lo is None or hi is None:
        return None
    if qualifier in (">", ">="):
        return Range(lo * (1.0001 if qualifier == ">" else 1), math.inf)
    if qualifier in ("<", "<="):
        return Range(0.0, hi * (0.9999 if qualifier == "<" else 1))
    slack = approx if qualifier == "~" else rounding
    return Range(lo * (1 - slack), hi * (1 + slack))


def date_span(value: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last day an ISO value ("2024", "2024-10", "2024-10-28") covers; None if unparseable."""
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
        if re.fullmatch(r"\d{4}-\d{2}", value):
            y, m = map(int, value.split("-"))
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            return dt.date(y, m, 1), nxt - dt.timedelta(days=1)
        day = dt.date.fromisoformat(value[:10])
        return day, day
    except ValueError:
        return None


def same_time(a: str | None, b: str | None, days: int) -> bool:
    """Whether two as-of values may describe the same moment: their spans, widened by `days`,
    overlap. An unknown time cannot show a change, so it counts as the same."""
    sa, sb = date_span(a), date_span(b)
    if sa is None or sb is None:
        return True
    pad = dt.timedelta(days=days)
    return sa[0] - pad <= sb[1] and sb[0] - pad <= sa[1]


def slot_status(variants: list[Variant], same_time_days: int = 3, rounding: float = 0.02, approx: float = 0.15) -> tuple[str, list[str]]:
    """The verdict over a slot's variants (see the module doc), with notes on what it leaves out."""
    notes: list[str] = []
    measured = [(v, value_range(v.low, v.high, v.qualifier, rounding, approx)) for v in variants if v.stance in _MEASURED]
    measured = [(v, r) for v, r in measured if r is not None]
    conflict = evolving = False
    within: dict[str, dict[str, Variant]] = {}  # group -> claim id -> variant
    for (x, rx), (y, ry) in combinations(measured, 2):
        if rx.meets(ry):
            continue
        if x.independent_group == y.independent_group:
            within.setdefault(x.independent_group, {}).update({x.claim: x, y.claim: y})
        elif same_time(x.as_of, y.as_of, same_time_days):
            conflict = True
        else:
            evolving = True
    for group, vs in within.items():
        figs = ", ".join(f"{_fig(v)} ({v.claim})" for v in vs.values())
        notes.append(f"one source group ({group}) gives figures that differ, not counted as a conflict: {figs}")
    against = [v for v in variants if v.stance in _AGAINST]
    for v in against:
        notes.append(f"{v.stance} by {v.source_text or 'an unnamed source'} ({v.claim})")
    for v in variants:
        if v.stance == "projected":
            notes.append(f"projection, not a count: {_fig(v)} per {v.source_text or 'an unnamed source'} ({v.claim})")
    status = "conflicting" if conflict else "evolving" if evolving else "contested" if against else "agreeing"
    return status, list(dict.fromkeys(notes))


def _fig(v: Variant) -> str:
    if v.low is not None and v.high is not None and v.low != v.high:
        return f"{v.low:g}-{v.high:g}"
    value = v.low if v.low is not None else v.high
    prefix = "" if v.qualifier in ("=", "") else v.qualifier
    return f"{prefix}{value:g}" if value is not None else "?"


# --- grouping -----------------------------------------------------------------------------------


@dataclass
class _Item:
    claim: Claim
    article: Article
    quantity: Quantity | None
    concept: str
    subject: str | None  # canonical entity id, or "text:<folded subject text>"
    family: str | None  # predicate family; None joins any
    story: str | None


@dataclass
class SlotContext:
    """The corpus-wide facts a story's slots need: independence groups (copies and shared wires
    cross stories), capitals standing for their countries, and the entities by id."""

    groups: dict[str, str]
    capital_of: dict[str, str]
    entities: dict[str, Entity]


def story_articles(corpus: Corpus) -> list[tuple[Story | None, list[Article]]]:
    """Each story with its articles in corpus order, then the articles of no story (as `None`)."""
    by_id = {a.id: a for a in corpus.articles}
    order = {a.id: k for k, a in enumerate(corpus.articles)}
    out: list[tuple[Story | None, list[Article]]] = [
        (story, [by_id[a] for a in sorted((a for a in story.articles if a in by_id), key=order.__getitem__)])
        for story in corpus.stories
    ]
    placed = {a for story in corpus.stories for a in story.articles}
    rest = [a for a in corpus.articles if a.id not in placed]
    return out + [(None, rest)] if rest else out


def number_slots(corpus: Corpus, per_story: list[tuple[Story | None, list[Slot]]]) -> None:
    """Give the stories' slots corpus-wide ids (s1, s2, ... in story order) and note each story's
    disagreements."""
    corpus.slots = []
    for story, slots in per_story:
        for slot in slots:
            slot.id = f"s{len(corpus.slots) + 1}"
            corpus.slots.append(slot)
        if story is not None:
            story.disagreements = [s.id for s in slots if s.status in _DISAGREE]


def slots_by_story(corpus: Corpus) -> dict[str, list[Slot]]:
    """Story id -> its slots (a slot's claims all come from one story's articles)."""
    story_of = {a: s.id for s in corpus.stories for a in s.articles}
    article_of = {c.id: a.id for a in corpus.articles for c in a.claims}
    out: dict[str, list[Slot]] = {}
    for slot in corpus.slots:
        story = story_of.get(article_of.get(slot.claims[0], "")) if slot.claims else None
        if story is not None:
            out.setdefault(story, []).append(slot)
    return out


class SlotReconciler:
    """Corpus stage: fills `corpus.slots` and each story's `disagreements` (run after stories)."""

    name = "slots"

    def __init__(self, same_time_days: int = 3, rounding: float = 0.02, approx: float = 0.15, lang: str = "id"):
        self.same_time_days, self.rounding, self.approx = same_time_days, rounding, approx
        self.lang = lang
        self._data: dict[str, tuple[dict[str, str], set[str], dict[str, str], tuple[str, ...], tuple[str, ...]]] = {}

    def _lang(self, lang: str | None) -> tuple[dict[str, str], set[str], dict[str, str], tuple[str, ...], tuple[str, ...]]:
        """(predicate -> family, neutral predicates, counted noun -> concept, destination prepositions, capital roles)."""
        key = lang or self.lang
        if key not in self._data:
            d = load_json(key, "claims.json")
            family = {p: name for name, preds in d["predicate_groups"].items() for p in preds}
            nouns = {fold(k): v for k, v in load_json(key, "units.json")["nouns"].items()}
            self._data[key] = (family, set(d["neutral_predicates"]), nouns, tuple(d["destination_preps"]), tuple(d["capital_roles"]))
        return self._data[key]

    def __call__(self, corpus: Corpus) -> Corpus:
        ctx = self.context(corpus)
        number_slots(corpus, [(story, self.story_slots(story, articles, ctx)) for story, articles in story_articles(corpus)])
        return corpus

    def context(self, corpus: Corpus) -> SlotContext:
        """What slots need from the whole corpus; the rest is one story at a time."""
        return SlotContext(independence_groups(corpus), self._capitals(corpus), {e.id: e for e in corpus.entities})

    def story_slots(self, story: Story | None, articles: list[Article], ctx: SlotContext) -> list[Slot]:
        """The slots of one story (`None`: articles in no story), numbered within it; `number_slots`
        gives the corpus-wide ids. Runs alone per story, which is how Spark spreads it."""
        items = [it for a in articles for it in self._items(a, story.id if story else None, ctx.capital_of)]
        return [self._slot(f"s{k}", members, ctx, articles) for k, members in enumerate(self._group(items), 1)]

    # -- items ----------------------------------------------------------------------------------

    def _capitals(self, corpus: Corpus) -> dict[str, str]:
        """Entity id of a capital -> entity id of its country, from roles like "ibu kota Korea Utara"."""
        by_name = {fold(n): e.id for e in corpus.entities for n in [e.name, *e.aliases]}
        prefixes = self._lang(None)[4]
        out: dict[str, str] = {}
        for e in corpus.entities:
            for role in map(fold, e.roles):
                for prefix in prefixes:
                    country = role[len(prefix) + 1:] if role.startswith(prefix + " ") else None
                    if country in by_name:
                        out[e.id] = by_name[country]
        return out

    def _items(self, article: Article, story: str | None, capital_of: dict[str, str]) -> list[_Item]:
        family, neutral, nouns, _, _ = self._lang(article.language)
        quantities = {q.id: q for q in article.quantities}
        out = []
        for c in article.claims:
            q = quantities.get(c.quantity) if c.quantity else None
            if c.context != "body" or (q is not None and q.context != "body"):
                continue
            concept = q.concept if q is not None else _concept(c.object, nouns)
            if not concept:
                continue
            subject = capital_of.get(c.subject, c.subject) if c.subject else (f"text:{fold(c.subject_text)}" if c.subject_text else None)
            fam = None if c.predicate in neutral else family.get(c.predicate, c.predicate)
            out.append(_Item(c, article, q, concept, subject, fam, story))
        return out

    def _group(self, items: list[_Item]) -> list[list[_Item]]:
        """Numbered claims with a subject and a predicate family found slots; the rest (no number, no
        subject or a neutral predicate) join the largest compatible slot. Claims without numbers that
        find none form a slot only when they disagree across articles (a denial against a report)."""
        slots: dict[tuple, list[_Item]] = {}
        for it in items:
            if it.quantity is not None and it.subject is not None and it.family is not None:
                slots.setdefault((it.story, it.concept, it.subject, it.family), []).append(it)
        loose: dict[tuple, list[_Item]] = {}
        for it in items:
            if it.quantity is not None and it.subject is not None and it.family is not None:
                continue
            fits = [
                k for k in slots
                if k[0] == it.story and k[1] == it.concept and it.subject in (None, k[2]) and it.family in (None, k[3])
            ]
            if fits:
                slots[max(fits, key=lambda k: len(slots[k]))].append(it)
            elif it.quantity is not None:
                slots.setdefault((it.story, it.concept, it.subject, it.family, it.claim.id), []).append(it)
            else:
                loose.setdefault((it.story, it.concept, it.subject, it.family), []).append(it)
        for members in loose.values():
            stances = {m.claim.stance for m in members}
            if len({m.article.id for m in members}) > 1 and stances & set(_AGAINST) and stances - set(_AGAINST):
                slots[("loose", id(members))] = members
        return [sorted(m, key=lambda it: (it.article.id, it.claim.cite.start)) for m in slots.values()]

    # -- one slot -------------------------------------------------------------------------------

    def _slot(self, sid: str, members: list[_Item], ctx: SlotContext, articles: list[Article]) -> Slot:
        groups, entities = ctx.groups, ctx.entities
        variants = [self._variant(it, groups) for it in members]
        status, notes = slot_status(variants, self.same_time_days, self.rounding, self.approx)
        first = members[0]
        subject = Counter(it.subject for it in members if it.subject).most_common(1)
        subject_id = subject[0][0] if subject and not subject[0][0].startswith("text:") else None
        return Slot(
            id=sid,
            label=self._label(members, entities, subject_id),
            status=status,
            claims=[it.claim.id for it in members],
            concept=first.concept,
            subject=subject_id,
            variants=variants,
            notes=notes + self._teaser_notes(members, articles, entities, subject_id),
            independent_sources=len({v.independent_group for v in variants}),
        )

    def _variant(self, it: _Item, groups: dict[str, str]) -> Variant:
        q, c = it.quantity, it.claim
        return Variant(
            claim=c.id,
            low=q.low if q else None,
            high=q.high if q else None,
            qualifier=q.qualifier if q else "",
            source=c.source,
            source_text=c.source_text,
            stance=c.stance,
            as_of=as_of(it.article, c),
            cite=c.cite,
            independent_group=groups.get(it.article.id, it.article.id),
        )

    def _label(self, members: list[_Item], entities: dict, subject_id: str | None) -> str:
        """"<subject> — <concept> (<predicate>) → <destination>", each part the most common among the claims."""
        _, neutral, _, preps, _ = self._lang(members[0].article.language)
        if subject_id and subject_id in entities:
            subject = entities[subject_id].name
        else:
            subject = _most_common(it.claim.subject_text for it in members) or "?"
        preds = [it.claim.predicate for it in members if it.claim.predicate not in neutral]
        pred = _most_common(preds)
        dest = _most_common(d for it in members for d in _destinations(it.claim.object, preps))
        label = f"{subject} — {members[0].concept}" + (f" ({pred})" if pred else "")
        return label + (f" → {dest}" if dest else "")

    def _teaser_notes(self, members: list[_Item], articles: list[Article], entities: dict, subject_id: str | None) -> list[str]:
        """Related-article headlines ("Baca Juga: ...") of the slot's story (without a story: of its
        own articles) that give a figure for the same concept and subject: shown beside the slot,
        never counted (their articles are not here)."""
        if members[0].story is None:
            articles = [a for a in articles if a.id in {it.article.id for it in members}]
        names = {fold(it.claim.subject_text) for it in members if it.claim.subject_text}
        if subject_id and subject_id in entities:
            names |= {fold(n) for n in [entities[subject_id].name, *entities[subject_id].aliases]}
        notes = []
        for a in articles:
            headlines = list(a.meta.get("related_headlines", [])) + [c.text for c in a.related_headlines]
            for h in headlines:
                if not any(n and n in fold(h) for n in names):
                    continue
                for qs in find_quantities(h, a.language or self.lang):
                    if qs.concept == members[0].concept:
                        notes.append(f'related-article headline in {a.outlet or a.id}: "{h}" ({qs.text}); a teaser for another article, not counted')
        return notes


def as_of(article: Article, claim: Claim) -> str | None:
    """When the claim's figure holds: its time expression, except that "sejak Oktober" (since) holds
    at publication; else the publication date."""
    t = next((t for t in article.times if t.id == claim.time), None) if claim.time else None
    if t is not None:
        if t.relation == "since":
            if date_span(t.end):
                return t.end
        elif date_span(t.value):
            return t.value
    return article.published


def _concept(text: str | None, nouns: dict[str, str]) -> str | None:
    """Concept of the first counted noun a claim's object names (longest phrase of up to 4 words)."""
    if not text:
        return None
    words = [fold(t.text) for t in tokenize(text) if t.is_word]
    for i in range(len(words)):
        for n in (4, 3, 2, 1):
            phrase = " ".join(words[i:i + n])
            if len(words[i:i + n]) == n and phrase in nouns:
                return nouns[phrase]
    return None


def _destinations(text: str | None, preps: tuple[str, ...]) -> list[str]:
    """Capitalised names right after a destination preposition: "ke Rusia barat" -> "Rusia"."""
    if not text:
        return []
    toks = tokenize(text)
    out = []
    for i, t in enumerate(toks[:-1]):
        if t.text.lower() in preps and toks[i + 1].is_cap:
            j = i + 1
            while j < len(toks) and toks[j].is_cap:
                j += 1
            out.append(text[toks[i + 1].start:toks[j - 1].end])
    return out


def _most_common(values) -> str | None:
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else None
