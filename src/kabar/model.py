"""The one data model every stage shares.

Per-article findings (mentions, quotes, quantities, times, claims) live on their
`Article`, like spaCy's annotations live on a `Doc`, so per-article stages are
independent and can run anywhere (one process, a Spark executor). Cross-article
results (entities, copies, slots, stories) live on the `Corpus`.

Every finding carries a `Cite`: article id plus a character span into that
article's clean `text`, with `text[start:end] == cite.text` always.

`Corpus.to_json()` writes the `kabar.json` contract (../shared/kabar-json.md):
per-article findings are lifted to top-level lists there, and `Corpus.from_json`
puts them back, so a round trip loses nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, Union

KABAR_VERSION = "0.1.0"

Qualifier = Literal["=", ">", ">=", "<", "<=", "~"]
Stance = Literal["asserted", "hedged", "denied", "unconfirmed", "projected"]
SlotStatus = Literal["agreeing", "conflicting", "evolving", "contested"]
Granularity = Literal["day", "month", "year", "week", "time"]


@dataclass
class Cite:
    """A pointer back to the source: `Article.text[start:end] == text`."""

    article: str
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, article: "Article", start: int, end: int) -> "Cite":
        """Cite a span of `article`, taking the text from the article itself."""
        if not 0 <= start <= end <= len(article.text):
            raise ValueError(f"span {start}:{end} outside article {article.id} ({len(article.text)} chars)")
        return cls(article.id, start, end, article.text[start:end])


@dataclass
class Removed:
    """A line the cleaner took out of the body, kept with why."""

    text: str
    reason: str
    line: int = -1  # 0-based line number in the raw text, -1 when not line-based


@dataclass
class Sentence:
    start: int
    end: int


@dataclass
class Mention:
    """A span that names something. `entity` is filled by cross-article canonicalisation."""

    id: str
    start: int
    end: int
    text: str
    label: str  # PER, ORG, LOC, GPE, ...
    source: str = "model"  # model | gazetteer | rule
    role: str | None = None  # "Sekretaris Jenderal NATO" when a title precedes the name
    entity: str | None = None


@dataclass
class Quote:
    id: str
    text: str
    kind: Literal["direct", "indirect"]
    cite: Cite
    speaker: str | None = None  # canonical entity id, or None when unresolved
    speaker_text: str | None = None
    speaker_cite: Cite | None = None
    speaker_mention: str | None = None
    cue: str | None = None
    via: list[str] = field(default_factory=list)  # wire or outlet it came through


@dataclass
class Quantity:
    id: str
    low: float | None
    high: float | None
    qualifier: Qualifier
    cite: Cite
    unit_text: str | None = None
    concept: str | None = None
    value_text: str = ""  # the number as written ("12.000", "dua belas ribu")
    context: str = "body"  # body | related-headline | caption


@dataclass
class TimeExpr:
    id: str
    text: str
    value: str | None  # ISO: 2024-10-28, 2024-10, 2024
    granularity: Granularity | None
    anchored: bool
    cite: Cite
    end: str | None = None  # for ranges ("sejak Oktober 2024" → open end)
    relation: str | None = None  # since | until | early | mid | late | None


@dataclass
class Claim:
    id: str
    predicate: str
    stance: Stance
    cite: Cite
    subject: str | None = None  # entity id
    subject_text: str | None = None
    subject_mention: str | None = None  # filled per article; canonicalisation maps it to `subject`
    object: str | None = None
    quantity: str | None = None  # quantity id
    time: str | None = None  # time id
    source: str | None = None  # entity id of who asserts it
    source_text: str | None = None
    source_mention: str | None = None
    source_kind: str = "outlet"  # speaker | attribution | outlet
    via: list[str] = field(default_factory=list)
    context: str = "body"


@dataclass
class Article:
    id: str
    text: str
    source: str = ""
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date
    published_estimated: bool = False  # True when inferred from the text, not given
    language: str | None = None
    language_scores: dict[str, float] = field(default_factory=dict)
    wire_credits: list[str] = field(default_factory=list)
    url: str | None = None
    dateline: str | None = None
    format: str = "text"  # text | html | jsonl | warc
    raw_sha1: str = ""
    removed: list[Removed] = field(default_factory=list)
    related_headlines: list[Cite] = field(default_factory=list)  # teasers kept in text but not body claims
    sentences: list[Sentence] = field(default_factory=list)
    paragraphs: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Identity of the clean content: the same article re-ingested hashes the same."""
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()

    def cite(self, start: int, end: int) -> Cite:
        return Cite.of(self, start, end)

    def sentence_at(self, offset: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    mentions: list[Cite] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # article id -> mentions


@dataclass
class Copy:
    """A passage one article shares with another (wire copy or near-duplicate)."""

    a: Cite
    b: Cite
    similarity: float
    origin: str | None = None  # the wire service credited by either side


@dataclass
class Variant:
    claim: str
    low: float | None
    high: float | None
    qualifier: str
    source: str | None
    source_text: str | None
    stance: str
    as_of: str | None
    cite: Cite
    independent_group: str = ""  # articles sharing wire text share a group


@dataclass
class Slot:
    id: str
    label: str
    status: SlotStatus
    claims: list[str] = field(default_factory=list)
    concept: str | None = None
    subject: str | None = None
    variants: list[Variant] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    independent_sources: int = 0


@dataclass
class BriefSentence:
    text: str
    cite: Cite


@dataclass
class Story:
    id: str
    title: str
    articles: list[str] = field(default_factory=list)
    brief: list[BriefSentence] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)  # slot ids
    entities: list[str] = field(default_factory=list)


# Top-level kabar.json lists that are gathered from the articles.
_LIFTED = ("quotes", "quantities", "times", "claims")


@dataclass
class Corpus:
    articles: list[Article] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    kabar_version: str = KABAR_VERSION

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    def to_json(self) -> dict[str, Any]:
        """The kabar.json shape: findings lifted to top-level lists."""
        out: dict[str, Any] = {"kabar_version": self.kabar_version, "articles": []}
        for name in _LIFTED:
            out[name] = []
        for a in self.articles:
            d = to_dict(a)
            for name in _LIFTED:
                out[name].extend(d.pop(name))
            out["articles"].append(d)
        for name in ("entities", "slots", "stories", "copies"):
            out[name] = [to_dict(x) for x in getattr(self, name)]
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Corpus":
        articles = [from_dict(Article, {**a, **{n: [] for n in _LIFTED}}) for a in data.get("articles", [])]
        by_id = {a.id: a for a in articles}
        types_ = {"quotes": Quote, "quantities": Quantity, "times": TimeExpr, "claims": Claim}
        for name, typ in types_.items():
            for item in data.get(name, []):
                obj = from_dict(typ, item)
                getattr(by_id[obj.cite.article], name).append(obj)
        return cls(
            articles=articles,
            entities=[from_dict(Entity, e) for e in data.get("entities", [])],
            copies=[from_dict(Copy, c) for c in data.get("copies", [])],
            slots=[from_dict(Slot, s) for s in data.get("slots", [])],
            stories=[from_dict(Story, s) for s in data.get("stories", [])],
            kabar_version=data.get("kabar_version", KABAR_VERSION),
        )

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=1)

    @classmethod
    def loads(cls, text: str) -> "Corpus":
        return cls.from_json(json.loads(text))


def check_cites(corpus: Corpus) -> list[str]:
    """Every citation must quote its article exactly; returns the violations."""
    texts = {a.id: a.text for a in corpus.articles}
    bad: list[str] = []

    def walk(obj: Any, where: str) -> None:
        if isinstance(obj, dict):
            if set(obj) >= {"article", "start", "end", "text"} and isinstance(obj.get("start"), int):
                t = texts.get(obj["article"])
                if t is None or t[obj["start"]:obj["end"]] != obj["text"]:
                    bad.append(f"{where}: {obj['article']}[{obj['start']}:{obj['end']}] != {obj['text']!r}")
            for k, v in obj.items():
                walk(v, f"{where}.{k}")
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                walk(v, f"{where}[{i}]")

    walk(corpus.to_json(), "$")
    return bad


# --- generic dataclass <-> dict -------------------------------------------------

T = TypeVar("T")


def to_dict(obj: Any) -> Any:
    """Dataclass to plain JSON-able structures (fields in declaration order)."""
    return dataclasses.asdict(obj) if dataclasses.is_dataclass(obj) else obj


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(args[0], value) if len(args) == 1 else value
    if origin is list:
        (arg,) = typing.get_args(tp)
        return [_convert(arg, v) for v in value]
    if origin is dict:
        _, varg = typing.get_args(tp)
        return {k: _convert(varg, v) for k, v in value.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return from_dict(tp, value)
    if tp is float and isinstance(value, int):
        return float(value)
    return value


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a dataclass from `to_dict` output; unknown keys are ignored (forward compatible)."""
    hints = _hints(cls)
    kwargs = {f.name: _convert(hints[f.name], data[f.name]) for f in dataclasses.fields(cls) if f.name in data}
    return cls(**kwargs)
