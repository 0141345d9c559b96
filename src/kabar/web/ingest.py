"""Uploads into the store: read, annotate the new articles, then re-run the corpus stages over everything.

The work runs in one worker process, not in the server's: annotation is CPU-bound Python, and in
the server's process it held the interpreter lock against every reader (reads fell 2.8x while an
upload ran). One ingestion at a time (one worker), since each rebuilds the stories from the whole
store; readers are never blocked, as SQLite's WAL lets them read the last committed analysis
meanwhile. A worker that dies (killed, out of memory) fails its upload with a clear error, and
the next upload starts a fresh one; the store keeps only committed writes.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

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


class IngestWorkerDied(RuntimeError):
    """The worker process ended during an upload; nothing of it was half-written."""


class Ingestor:
    """Runs uploads in a worker process over the store at `db_path` (its own connection)."""

    def __init__(self, db_path: str | Path, pipeline: Pipeline | None = None, ner: str | None = None):
        self.db_path = str(db_path)
        self._pipeline = pipeline  # None: the worker builds the default pipeline (models load there)
        self._ner = ner  # that default pipeline's entity model (`kabar serve --ner`)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def ingest(self, files: Sequence[tuple[str, bytes]]) -> IngestReport:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_start_worker, initargs=(self.db_path, self._pipeline, self._ner))
            try:
                return self._pool.submit(_ingest, list(files)).result()
            except BrokenProcessPool as exc:
                self._pool = None
                raise IngestWorkerDied("the ingest worker process ended during this upload; nothing was half-written") from exc

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None


_STORE: Store | None = None
_PIPELINE: Pipeline | None = None


def _start_worker(db_path: str, pipeline: Pipeline | None, ner: str | None = None) -> None:
    global _STORE, _PIPELINE
    _STORE, _PIPELINE = Store(db_path), pipeline or Pipeline.default(ner=ner)


def _ingest(files: list[tuple[str, bytes]]) -> IngestReport:
    """One upload, inside the worker: every file read and annotated, then the corpus stages rerun."""
    store, pipeline = _STORE, _PIPELINE
    assert store is not None and pipeline is not None, "worker not started"
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
