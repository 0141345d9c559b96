"""Ingestion: files and bytes to cleaned, language-tagged Articles.

`read_paths` walks files and directories and yields an Article or an IngestError per
input (per line for JSON Lines, per record for WARC), never stopping the batch.
`read_bytes` reads one blob and raises IngestFailure when it yields no article.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from kabar.ingest.errors import IngestError, IngestFailure
from kabar.ingest.reader import DEFAULT_MAX_BYTES, Reader
from kabar.model import Article

__all__ = ["DEFAULT_MAX_BYTES", "IngestError", "IngestFailure", "Reader", "read_bytes", "read_paths"]


@lru_cache(maxsize=4)
def _reader(max_bytes: int) -> Reader:
    return Reader(max_bytes=max_bytes)


def read_paths(paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | IngestError]:
    """Articles from files and directories (recursively); a bad input yields an IngestError and the rest go on."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return _reader(max_bytes).read_paths(paths)


def read_bytes(
    data: bytes,
    source: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    errors: list[IngestError] | None = None,
) -> list[Article]:
    """Articles in one blob (text, HTML, JSONL, WARC, gzip of those).

    Raises IngestFailure(source, reason) when nothing could be read. When some items fail
    (a bad JSONL line, a broken WARC record) the good ones are returned and the failures
    appended to `errors` if given.
    """
    if len(data) > max_bytes:
        raise IngestFailure(source, f"too large: {len(data):,} bytes (limit {max_bytes:,} bytes)")
    articles: list[Article] = []
    failed: list[IngestError] = []
    for item in _reader(max_bytes).read_data(data, source):
        (articles if isinstance(item, Article) else failed).append(item)
    if not articles:
        reason = "; ".join(f"{e.source}: {e.reason}" if e.source != source else e.reason for e in failed[:3])
        raise IngestFailure(source, reason or "no article found")
    if errors is not None:
        errors.extend(failed)
    return articles
