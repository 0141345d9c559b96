"""Full-text search over article titles/bodies and quotes (SQLite FTS5).

User text never reaches FTS5 syntax: it is cut into word tokens and each is
quoted, so `AND`, `NEAR(`, `"`, `*` or `-` typed by a user are plain words.
Snippets mark matches with control characters the web layer escapes around.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

MARK_START, MARK_END = "\x02", "\x03"
_MAX_TERMS = 16
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Hit:
    kind: str  # article | quote
    article: str
    title: str | None
    snippet: str  # matched terms between MARK_START and MARK_END
    score: float  # bm25: lower is better
    quote: str | None = None  # quote id for quote hits
    start: int | None = None  # the quote's span in the article
    end: int | None = None

    def snippet_parts(self) -> list[tuple[str, bool]]:
        """The snippet as (text, matched) pieces, for rendering without trusting it."""
        parts: list[tuple[str, bool]] = []
        for i, chunk in enumerate(re.split(f"[{MARK_START}{MARK_END}]", self.snippet)):
            if chunk:
                parts.append((chunk, i % 2 == 1))
        return parts


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression: every word of `text` quoted, all required; None when no words."""
    words = _WORD.findall(text)[:_MAX_TERMS]
    if not words:
        return None
    return " ".join(f'"{w}"' for w in words)  # \w+ holds no double quote to escape


def search(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[Hit]:
    """Best article and quote matches for `text`, merged by bm25 score."""
    query = fts_query(text)
    if query is None:
        return []
    marks = (MARK_START, MARK_END, "…", 16)
    articles = conn.execute(
        """SELECT a.id, a.title, snippet(articles_fts, -1, ?, ?, ?, ?) AS snip, bm25(articles_fts, 5.0, 1.0) AS score
           FROM articles_fts JOIN articles a ON a.n = articles_fts.rowid
           WHERE articles_fts MATCH ? ORDER BY score LIMIT ?""",
        (*marks, query, limit),
    ).fetchall()
    quotes = conn.execute(
        """SELECT f.article_id, a.title, snippet(quotes_fts, 0, ?, ?, ?, ?) AS snip, bm25(quotes_fts) AS score,
                  f.quote_id, f.start, f."end"
           FROM quotes_fts f JOIN articles a ON a.id = f.article_id
           WHERE quotes_fts MATCH ? ORDER BY score LIMIT ?""",
        (*marks, query, limit),
    ).fetchall()
    hits = [Hit("article", r[0], r[1], r[2], r[3]) for r in articles]
    hits += [Hit("quote", r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in quotes]
    hits.sort(key=lambda h: h.score)
    return hits[:limit]
