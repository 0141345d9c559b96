"""The SQLite store: ingested articles, run history and the latest analysis.

One write transaction per article (or per analysis save) means a crash, even
SIGKILL, leaves either the whole article or none of it; WAL mode lets the web
app read while an ingestion writes. Each thread gets its own connection, since
sqlite3 connections must not be shared across threads mid-transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path
from typing import Any

from kabar.model import Article, Copy, Corpus, Entity, Removed, Sentence, Slot, Story, from_dict, to_dict
from kabar.store import codec
from kabar.store.schema import FINDING_COLUMNS, migrate
from kabar.store.search import Hit, search

_BATCH = 200  # articles assembled per round of child-row queries


def default_path() -> Path:
    """`$KABAR_DB`, else the per-user data directory's kabar.sqlite."""
    env = os.environ.get("KABAR_DB")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("kabar")) / "kabar.sqlite"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class ArticleRow:
    """An article without its text and annotations, for listings."""

    id: str
    title: str | None
    outlet: str | None
    source: str
    published: str | None
    language: str | None
    url: str | None
    chars: int
    ingested_at: str


@dataclass
class Run:
    id: int
    command: str
    inputs: list[str]
    started_at: str
    finished_at: str | None
    ok: int | None
    failed: int | None
    errors: list[Any]


class Store:
    def __init__(self, path: str | Path | None = None, *, timeout: float = 30.0):
        self.path = Path(path) if path is not None else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._timeout = timeout
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        migrate(self._conn())

    # --- connections and transactions ---------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across process crashes
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _tx(self, mode: str = "IMMEDIATE") -> Iterator[sqlite3.Connection]:
        """A transaction: IMMEDIATE takes the write lock up front; DEFERRED gives a consistent read snapshot."""
        conn = self._conn()
        conn.execute(f"BEGIN {mode}")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:  # SQLite may already have rolled back (disk full, say)
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        """Close every thread's connection; call when no thread uses the store any more."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def integrity_check(self) -> str:
        """SQLite's own check plus the FTS index's; "ok" when all is well."""
        conn = self._conn()
        result = "\n".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
        if result != "ok":
            return result
        for fts in ("articles_fts", "quotes_fts"):
            try:
                conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                return f"{fts}: {exc}"
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        return "ok" if not fk else f"foreign key violations: {len(fk)}"

    # --- articles ---------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        """Store a new article with its children in one transaction; False when its content is already stored."""
        with self._tx() as conn:
            if conn.execute("SELECT 1 FROM articles WHERE content_hash = ?", (article.content_hash,)).fetchone():
                return False
            self._insert_article(conn, article)
        return True

    def _insert_article(self, conn: sqlite3.Connection, article: Article) -> None:
        row = codec.article_row(article)
        row["ingested_at"] = _now()
        names = ", ".join(row)
        conn.execute(f"INSERT INTO articles ({names}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))
        self._insert_children(conn, article, codec.child_rows(article))

    def _insert_children(self, conn: sqlite3.Connection, article: Article, rows: dict[str, list[tuple]]) -> None:
        for table, items in rows.items():
            if items:  # child tables list their columns as codec.child_rows orders them
                conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(items[0]))})", items)
        conn.executemany(
            'INSERT INTO quotes_fts (text, quote_id, article_id, start, "end") VALUES (?, ?, ?, ?, ?)',
            [(q.text, q.id, article.id, q.cite.start, q.cite.end) for q in article.quotes],
        )

    def _replace_children(self, conn: sqlite3.Connection, article: Article) -> None:
        """Swap in `article`'s spans and findings, skipping the writes when nothing changed (a re-run's usual case)."""
        new = codec.child_rows(article)
        old = {
            table: [tuple(r) for r in conn.execute(f"SELECT * FROM {table} WHERE article_id = ? ORDER BY {pk}",
                                                   (article.id,))]
            for table, pk in codec.CHILD_TABLES.items()
        }
        if new == old:
            return
        for table in codec.CHILD_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article.id,))
        conn.execute("DELETE FROM quotes_fts WHERE article_id = ?", (article.id,))
        self._insert_children(conn, article, new)

    def has(self, article_id: str) -> bool:
        return self._conn().execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def count(self, table: str = "articles") -> int:
        """Rows in one of the store's tables (articles, quotes, stories, ...)."""
        if table not in _COUNTABLE:
            raise ValueError(f"unknown table {table!r}")
        return self._conn().execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def get_article(self, article_id: str) -> Article | None:
        """The full article: removed lines, sentences, paragraphs and its latest findings."""
        with self._tx("DEFERRED") as conn:
            row = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
            return None if row is None else self._assemble(conn, [row])[0]

    def articles(self, limit: int = 50, offset: int = 0, ids: Sequence[str] | None = None) -> list[ArticleRow]:
        """Articles in ingestion order, without text; only `ids` when given."""
        sql = """SELECT id, title, outlet, source, published, language, url, length(text) AS chars, ingested_at
                 FROM articles"""
        params: list[Any] = []
        if ids is not None:
            sql += " WHERE id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(ids)))
        rows = self._conn().execute(sql + " ORDER BY n LIMIT ? OFFSET ?", (*params, limit, offset)).fetchall()
        return [ArticleRow(**dict(r)) for r in rows]

    def all_articles(self) -> Iterator[Article]:
        """Every article, complete: in the latest analysis's order, then the rest in ingestion order.

        Assembled in batches (one read snapshot each), so memory stays flat on a large store.
        """
        order = [r[0] for r in self._conn().execute(
            """SELECT a.n FROM articles a LEFT JOIN corpus_order o ON o.article_id = a.id
               ORDER BY o.pos IS NULL, o.pos, a.n""")]
        for i in range(0, len(order), _BATCH):
            chunk = order[i : i + _BATCH]
            with self._tx("DEFERRED") as conn:
                rows = conn.execute("SELECT * FROM articles WHERE n IN (SELECT value FROM json_each(?))",
                                    (json.dumps(chunk),)).fetchall()
                by_n = {r["n"]: r for r in rows}
                batch = self._assemble(conn, [by_n[n] for n in chunk])
            yield from batch

    def _assemble(self, conn: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> list[Article]:
        """Articles from their rows plus all their child rows."""
        articles = [codec.article_from_row(r) for r in rows]
        by_id = {a.id: a for a in articles}
        ids = json.dumps(list(by_id))
        where = "WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, seq"
        for r in conn.execute(f"SELECT article_id, text, reason, line FROM removed {where}", (ids,)):
            by_id[r[0]].removed.append(Removed(r[1], r[2], r[3]))
        for r in conn.execute(f'SELECT article_id, kind, start, "end" FROM sentences {where}', (ids,)):
            spans = by_id[r[0]].sentences if r[1] == "sentence" else by_id[r[0]].paragraphs
            spans.append(Sentence(r[2], r[3]))
        for table in FINDING_COLUMNS:
            for r in conn.execute(f"SELECT article_id, doc FROM {table} {where}", (ids,)):
                getattr(by_id[r[0]], table).append(codec.finding_from_doc(table, r[1]))
        return articles

    # --- runs ---------------------------------------------------------------------

    def start_run(self, command: str, inputs: Iterable[str] = ()) -> int:
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT INTO runs (command, inputs, started_at) VALUES (?, ?, ?)",
                (command, codec.dumps([str(i) for i in inputs]), _now()),
            )
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, ok: int, failed: int, errors: Sequence[Any] = ()) -> None:
        with self._tx() as conn:
            conn.execute(
                "UPDATE runs SET finished_at = ?, ok = ?, failed = ?, errors = ? WHERE id = ?",
                (_now(), ok, failed, codec.dumps(list(errors)), run_id),
            )

    def record_error(self, run_id: int | None, source: str, reason: str) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO ingest_errors (run_id, source, reason, at) VALUES (?, ?, ?, ?)",
                (run_id, source, reason, _now()),
            )

    def runs(self, limit: int = 20) -> list[Run]:
        rows = self._conn().execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [
            Run(**{**dict(r), "inputs": json.loads(r["inputs"]), "errors": json.loads(r["errors"])}) for r in rows
        ]

    def ingest_errors(self, run_id: int | None = None) -> list[tuple[str, str]]:
        """(source, reason) of recorded ingestion failures, of one run or all."""
        sql, params = "SELECT source, reason FROM ingest_errors", ()
        if run_id is not None:
            sql, params = sql + " WHERE run_id = ?", (run_id,)
        return [(r[0], r[1]) for r in self._conn().execute(sql + " ORDER BY id", params)]

    # --- analysis -----------------------------------------------------------------

    def save_analysis(self, corpus: Corpus) -> None:
        """Make `corpus` the latest analysis, atomically.

        Articles of the corpus get their metadata, spans and findings replaced (new
        ones are added); entities, copies, slots and stories are replaced wholesale.
        Articles in the store but not in the corpus keep their findings.
        """
        with self._tx() as conn:
            for article in corpus.articles:
                row = codec.article_row(article)
                for immutable in ("id", "text", "content_hash"):
                    row.pop(immutable)
                names = ", ".join(row)
                stored = conn.execute(f"SELECT {names} FROM articles WHERE id = ?", (article.id,)).fetchone()
                if stored is None:
                    self._insert_article(conn, article)
                    continue
                if tuple(stored) != tuple(row.values()):  # an UPDATE re-indexes the text: only when needed
                    sets = ", ".join(f"{k} = ?" for k in row)
                    conn.execute(f"UPDATE articles SET {sets} WHERE id = ?", (*row.values(), article.id))
                self._replace_children(conn, article)
            for table in ("corpus_order", "story_articles", "stories", "slots", "copies", "entities"):
                conn.execute(f"DELETE FROM {table}")
            conn.executemany("INSERT OR IGNORE INTO corpus_order (article_id, pos) VALUES (?, ?)",
                             [(a.id, i) for i, a in enumerate(corpus.articles)])
            conn.executemany(
                "INSERT INTO entities (id, seq, name, type, doc) VALUES (?, ?, ?, ?, ?)",
                [(e.id, i, e.name, e.type, codec.dumps(to_dict(e))) for i, e in enumerate(corpus.entities)],
            )
            conn.executemany(
                "INSERT INTO copies (seq, a_article, b_article, doc) VALUES (?, ?, ?, ?)",
                [(i, c.a.article, c.b.article, codec.dumps(to_dict(c))) for i, c in enumerate(corpus.copies)],
            )
            conn.executemany(
                "INSERT INTO slots (id, seq, label, status, doc) VALUES (?, ?, ?, ?, ?)",
                [(s.id, i, s.label, s.status, codec.dumps(to_dict(s))) for i, s in enumerate(corpus.slots)],
            )
            conn.executemany(
                "INSERT INTO stories (id, seq, title, doc) VALUES (?, ?, ?, ?)",
                [(s.id, i, s.title, codec.dumps(to_dict(s))) for i, s in enumerate(corpus.stories)],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO story_articles (story_id, article_id) VALUES (?, ?)",
                [(s.id, a) for s in corpus.stories for a in s.articles],
            )

    def load_corpus(self) -> Corpus:
        """The whole store as a Corpus: every article with findings, plus the latest cross-article analysis."""
        articles = list(self.all_articles())
        with self._tx("DEFERRED") as conn:
            return Corpus(
                articles=articles,
                entities=self._objects(conn, "entities", Entity),
                copies=self._objects(conn, "copies", Copy),
                slots=self._objects(conn, "slots", Slot),
                stories=self._objects(conn, "stories", Story),
            )

    @staticmethod
    def _objects(
        conn: sqlite3.Connection,
        table: str,
        cls: type,
        where: str = "",
        params: Sequence[Any] = (),
        limit: int = -1,
        offset: int = 0,
    ) -> list:
        rows = conn.execute(f"SELECT doc FROM {table} {where} ORDER BY seq LIMIT ? OFFSET ?", (*params, limit, offset))
        return [from_dict(cls, json.loads(r[0])) for r in rows]

    # --- reads for the web --------------------------------------------------------

    def stories(self, limit: int = -1, offset: int = 0) -> list[Story]:
        return self._objects(self._conn(), "stories", Story, limit=limit, offset=offset)

    def story(self, story_id: str) -> Story | None:
        found = self._objects(self._conn(), "stories", Story, "WHERE id = ?", (story_id,))
        return found[0] if found else None

    def stories_of(self, article_id: str) -> list[Story]:
        where = "WHERE id IN (SELECT story_id FROM story_articles WHERE article_id = ?)"
        return self._objects(self._conn(), "stories", Story, where, (article_id,))

    def entities(self, ids: Sequence[str] | None = None, limit: int = -1, offset: int = 0) -> list[Entity]:
        """Entities in analysis order; only `ids` when given."""
        where, params = self._id_filter(ids)
        return self._objects(self._conn(), "entities", Entity, where, params, limit, offset)

    def entity(self, entity_id: str) -> Entity | None:
        found = self.entities([entity_id])
        return found[0] if found else None

    def slots(self, ids: Sequence[str] | None = None) -> list[Slot]:
        where, params = self._id_filter(ids)
        return self._objects(self._conn(), "slots", Slot, where, params)

    @staticmethod
    def _id_filter(ids: Sequence[str] | None) -> tuple[str, tuple[Any, ...]]:
        if ids is None:
            return "", ()
        return "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),)

    def findings(
        self,
        table: str,
        *,
        articles: Sequence[str] | None = None,
        entity: str | None = None,
        limit: int = -1,
        offset: int = 0,
    ) -> list[Any]:
        """Findings of one kind (mentions, quotes, quantities, times, claims), in article order.

        `entity` keeps those linked to that entity: mentions of it, quotes it spoke,
        claims about it or sourced to it.
        """
        if table not in FINDING_COLUMNS:
            raise ValueError(f"unknown finding table {table!r}")
        clauses, params = [], []
        if articles is not None:
            clauses.append("f.article_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(articles)))
        if entity is not None:
            linked = [c for c in FINDING_COLUMNS[table] if c in _ENTITY_COLUMNS]
            if not linked:
                return []
            clauses.append("(" + " OR ".join(f"f.{c} = ?" for c in linked) + ")")
            params.extend([entity] * len(linked))
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self._conn().execute(
            f"""SELECT f.doc FROM {table} f JOIN articles a ON a.id = f.article_id {where}
                ORDER BY a.n, f.seq LIMIT ? OFFSET ?""",
            (*params, limit, offset),
        )
        return [codec.finding_from_doc(table, r[0]) for r in rows]

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """FTS5 over article titles/text and quotes; any user text is safe to pass."""
        return search(self._conn(), query, limit)


_ENTITY_COLUMNS = ("entity", "speaker", "subject", "source")
_COUNTABLE = frozenset(
    ("articles", "removed", "sentences", "runs", "ingest_errors", "entities", "copies", "slots", "stories",
     *FINDING_COLUMNS)
)
