"""SQLite store: schema and migrations, idempotent writes, run history, analysis, full-text search."""

from kabar.store.db import ArticleRow, Run, Store, default_path
from kabar.store.search import Hit

__all__ = ["ArticleRow", "Hit", "Run", "Store", "default_path"]
