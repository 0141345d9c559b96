"""Uploads into the store: read, annotate the new articles, then re-run the corpus stages over everything.

One ingestion at a time (a lock), since each one rebuilds the stories from
the whole store; readers are never blocked, as SQLite's WAL lets them read the
last committed analysis meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from kabar.ingest import IngestError, IngestFailure, read_bytes
from kabar.pipeline import Pipeline
from kabar.store import Store


@dataclass
class IngestReport:
    run: int
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    stories: int = 0


class Ingestor:
    def __init__(self, store: Store, pipeline: Pipeline | None = None):
        self.store = store
        self._pipeline = pipeline
        self._lock = threading.Lock()

    @property
    def pipeline(self) -> Pipeline:
        """The default pipeline, built (models loaded) on the first upload rather than at start-up."""
        if self._pipeline is None:
            self._pipeline = Pipeline.default()
        return self._pipeline

    def ingest(self, files: Sequence[tuple[str, bytes]]) -> IngestReport:

        with self._lock:
            store, pipeline = self.store, self.pipeline
            report = IngestReport(run=store.start_run("web-ingest", [name for name, _ in files]))
            for name, data in files:
                partial: list[IngestError] = []
                try:
                    articles = read_bytes(data, name, errors=partial)
                except IngestFailure as exc:
                    partial, articles = [exc.to_error()], []
                for error in partial:  # a failed file, or a bad line or record of one that partly read
                    report.errors.append({"source": error.source, "reason": error.reason})
                    store.record_error(report.run, error.source, error.reason)
                for article in articles:
                    if store.has(article.id) or not store.add_article(pipeline.process_article(article)):
                        report.duplicates.append(article.id)
                    else:
                        report.added.append(article.id)
            if report.added:
                store.save_analysis(pipeline.process_corpus(store.load_corpus()))
            report.stories = store.count("stories")
            store.finish_run(report.run, len(report.added) + len(report.duplicates), len(report.errors), report.errors)
            return report
