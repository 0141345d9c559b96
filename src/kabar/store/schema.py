"""The store's schema as an ordered list of migrations.

`PRAGMA user_version` counts the migrations applied, so opening an old file
upgrades it in place and opening a file from a newer Kabar fails loudly
instead of corrupting it. Append new steps; never edit a released one.
"""

from __future__ import annotations

import sqlite3

_TOKENIZER = "unicode61 remove_diacritics 2"

# Per-article finding tables: the object's JSON in `doc`, plus copies of the attributes
# named here (all text) as columns the web filters on.
FINDING_COLUMNS: dict[str, tuple[str, ...]] = {
    "mentions": ("entity", "label"),
    "quotes": ("speaker",),
    "quantities": ("concept",),
    "times": ("value",),
    "claims": ("subject", "source", "time"),
}

_V1: tuple[str, ...] = (
    """CREATE TABLE articles (
        n INTEGER PRIMARY KEY,              -- stable rowid for the FTS index
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL DEFAULT '',
        outlet TEXT, title TEXT, author TEXT, published TEXT, language TEXT, url TEXT,
        format TEXT NOT NULL DEFAULT 'text',
        wire_credits TEXT NOT NULL DEFAULT '[]',
        text TEXT NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}',
        extra TEXT NOT NULL DEFAULT '{}',   -- every other Article field, so new model fields survive
        ingested_at TEXT NOT NULL
    )""",
    """CREATE TABLE removed (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, text TEXT NOT NULL, reason TEXT NOT NULL, line INTEGER NOT NULL,
        PRIMARY KEY (article_id, seq)
    ) WITHOUT ROWID""",
    """CREATE TABLE sentences (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('sentence', 'paragraph')),
        seq INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        PRIMARY KEY (article_id, kind, seq)
    ) WITHOUT ROWID""",
    """CREATE TABLE runs (
        id INTEGER PRIMARY KEY, command TEXT NOT NULL, inputs TEXT NOT NULL DEFAULT '[]',
        started_at TEXT NOT NULL, finished_at TEXT, ok INTEGER, failed INTEGER, errors TEXT NOT NULL DEFAULT '[]'
    )""",
    """CREATE TABLE ingest_errors (
        id INTEGER PRIMARY KEY, run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE,
        source TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL
    )""",
    *(
        f"""CREATE TABLE {table} (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL, id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            {", ".join(f"{c} TEXT" for c in columns)}, doc TEXT NOT NULL,
            PRIMARY KEY (article_id, seq)
        ) WITHOUT ROWID"""
        for table, columns in FINDING_COLUMNS.items()
    ),
    *(f"CREATE INDEX {t}_id ON {t}(id)" for t in FINDING_COLUMNS),
    "CREATE INDEX mentions_entity ON mentions(entity)",
    "CREATE INDEX quotes_speaker ON quotes(speaker)",
    "CREATE INDEX claims_subject ON claims(subject)",
    "CREATE INDEX claims_source ON claims(source)",
    "CREATE TABLE entities (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, name TEXT, type TEXT, doc TEXT NOT NULL)",
    "CREATE TABLE copies (seq INTEGER PRIMARY KEY, a_article TEXT, b_article TEXT, doc TEXT NOT NULL)",
    "CREATE TABLE slots (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, label TEXT, status TEXT, doc TEXT NOT NULL)",
    "CREATE TABLE stories (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, title TEXT, doc TEXT NOT NULL)",
    """CREATE TABLE story_articles (
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE, article_id TEXT NOT NULL,
        PRIMARY KEY (story_id, article_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX story_articles_article ON story_articles(article_id)",
    """CREATE TABLE corpus_order (  -- article order of the latest analysis, so load_corpus gives it back
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE, pos INTEGER NOT NULL
    ) WITHOUT ROWID""",
    f"""CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='n', tokenize='{_TOKENIZER}')""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.n, new.title, new.text);
    END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.n, old.title, old.text);
    END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.n, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.n, new.title, new.text);
    END""",
    f"""CREATE VIRTUAL TABLE quotes_fts USING fts5(
        text, quote_id UNINDEXED, article_id UNINDEXED, start UNINDEXED, "end" UNINDEXED, tokenize='{_TOKENIZER}')""",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1,)


class SchemaError(RuntimeError):
    """The file was written by a newer Kabar than this one."""


def migrate(conn: sqlite3.Connection) -> int:
    """Bring `conn`'s database to the latest version; each step is one transaction. Returns the version."""
    while True:
        conn.execute("BEGIN IMMEDIATE")  # re-read under the write lock: another process may have migrated
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise SchemaError(f"database schema v{version} is newer than this Kabar (v{len(MIGRATIONS)})")
            if version == len(MIGRATIONS):
                conn.execute("COMMIT")
                return version
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
