"""WARC and WARC.gz through warcio: each HTML (or plain-text) response becomes one payload.

Records are streamed, so a large crawl is read in bounded memory; a record over the size
limit fails alone. A truncated or corrupt archive yields what it read, then one error.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator

from kabar.ingest.errors import IngestError

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)


@dataclass
class Payload:
    source: str
    url: str | None
    is_html: bool
    charset: str | None
    data: bytes


def _content_type(record) -> tuple[str, str | None]:
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    value = (headers.get_header("Content-Type") if headers else None) or ""
    mime, _, params = value.partition(";")
    charset = None
    for p in params.split(";"):
        key, _, val = p.strip().partition("=")
        if key.lower() == "charset" and val:
            charset = val.strip("\"' ").lower()
    return mime.strip().lower(), charset


def _truncated(record) -> int:
    """Bytes missing from `record` when the archive ends inside it (0 when complete)."""
    while record.raw_stream.read(1 << 16):
        pass
    return getattr(record.raw_stream, "limit", 0)


def _payload(record, where: str, max_record_bytes: int) -> Payload | IngestError | None:
    """The record's page, an error, or None for records that hold no page (requests, images, redirects)."""
    if record.rec_type not in ("response", "resource"):
        return None
    if record.rec_type == "response":
        status = record.http_headers.get_statuscode() if record.http_headers else ""
        if not str(status).startswith("2"):
            return None
    mime, charset = _content_type(record)
    if mime not in _HTML_TYPES + _TEXT_TYPES:
        return None
    data = record.content_stream().read(max_record_bytes + 1)
    if len(data) > max_record_bytes:
        return IngestError(where, f"record too large (over {max_record_bytes:,} bytes)")
    return Payload(where, record.rec_headers.get_header("WARC-Target-URI"), mime in _HTML_TYPES, charset, data)


def iter_warc(stream: BinaryIO, source: str, max_record_bytes: int) -> Iterator[Payload | IngestError]:
    """HTML and text responses of the archive in `stream`, in order; failures as IngestError."""
    seen = 0
    records = ArchiveIterator(stream)
    try:
        for n, record in enumerate(records):
            where = f"{source}#{record.rec_headers.get_header('WARC-Target-URI') or n}"
            if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
                yield IngestError(where, "truncated or corrupt WARC: record headers without a Content-Length")
                return
            item = _payload(record, where, max_record_bytes)
            missing = _truncated(record)
            if missing:
                yield IngestError(where, f"truncated WARC: the archive ends {missing:,} bytes into this record")
                return
            if item is not None:
                seen += 1
                yield item
    except Exception as exc:  # warcio raises assorted errors (even AttributeError) on damaged archives
        yield IngestError(source, f"truncated or corrupt WARC after {seen} readable record(s): {type(exc).__name__}: {exc}")
        return
    if stream.seekable():
        size = stream.seek(0, io.SEEK_END)
        if records.offset < size:  # warcio stops quietly at a record whose headers were cut off
            yield IngestError(source, f"truncated WARC: {size - records.offset:,} bytes after {seen} readable record(s) do not form a record")
            return
    if seen == 0:
        yield IngestError(source, "WARC has no HTML or text responses")
