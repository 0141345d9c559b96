"""One Article from one text: clean it, merge what the container knew, identify the language."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from kabar.ingest.clean import Cleaner
from kabar.ingest.errors import IngestFailure
from kabar.ingest.langid import identifier
from kabar.ingest.meta import canonical_outlet, host_outlet, iso_date
from kabar.model import Article


@dataclass
class Given:
    """Metadata the container already states (HTML head, JSONL fields, WARC headers)."""

    title: str | None = None
    author: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def article_id(text: str) -> str:
    """'a' + 10 hex of the clean text's SHA-1: the same article re-ingested gets the same id."""
    return "a" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


class ArticleBuilder:
    """Holds the cleaner and the language identifier, loaded once."""

    def __init__(self) -> None:
        self.clean = Cleaner()
        self.langid = identifier()

    def build(self, text: str, *, source: str, fmt: str, raw: bytes, given: Given | None = None) -> Article:
        """Clean `text` into an Article; raises IngestFailure when no body text is left."""
        given = given or Given()
        cleaned = self.clean(text, title=given.title)
        if not cleaned.text.strip():
            raise IngestFailure(source, f"no body text left after cleaning ({len(cleaned.removed)} line(s) removed as boilerplate)")
        language, scores = self.langid.identify(cleaned.text)
        meta = {**cleaned.meta, **given.meta}
        if given.url and cleaned.url and cleaned.url != given.url:
            meta["source_url"] = cleaned.url
        published = iso_date(given.published) or cleaned.published
        if given.published and not iso_date(given.published):
            meta["published_raw"] = given.published
        url = given.url or cleaned.url
        return Article(
            id=article_id(cleaned.text),
            text=cleaned.text,
            source=source,
            outlet=canonical_outlet(given.outlet) or cleaned.outlet or host_outlet(url),
            title=given.title or cleaned.title,
            author=given.author or cleaned.author,
            published=published,
            language=language,
            language_scores=scores,
            wire_credits=cleaned.wire_credits,
            url=url,
            dateline=cleaned.dateline,
            format=fmt,
            raw_sha1=hashlib.sha1(raw).hexdigest(),
            removed=cleaned.removed,
            meta=meta,
        )
