"""Bytes and files to Articles: pick the reader by content, then clean and identify.

Every failure is an IngestError naming the input (file, `file:line`, `file#url`) and the
reason, and the batch goes on. Memory stays bounded: files over the size limit are
refused before reading, gzip is inflated only up to the limit, WARC is streamed.
"""

from __future__ import annotations

import io
import logging
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from kabar.ingest import detect
from kabar.ingest.build import ArticleBuilder, Given
from kabar.ingest.decode import DecodeError, declared_charset, decode_bytes
from kabar.ingest.errors import IngestError, IngestFailure
from kabar.ingest.files import expand
from kabar.ingest.html import NoMainText, extract
from kabar.ingest.jsonl import Record, iter_json, iter_jsonl
from kabar.ingest.meta import canonical_outlet
from kabar.ingest.warc import Payload, iter_warc
from kabar.model import Article

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
log = logging.getLogger(__name__)

Result = Article | IngestError


def _gunzip(data: bytes, limit: int) -> bytes:
    """Inflate every gzip member of `data`, refusing output past `limit`; raises ValueError."""
    out = bytearray()
    rest = data
    while rest:
        d = zlib.decompressobj(wbits=31)
        try:
            out += d.decompress(rest, limit + 1 - len(out))
        except zlib.error as exc:
            raise ValueError(f"corrupt gzip: {exc}") from exc
        if len(out) > limit:
            raise ValueError(f"gzip inflates past the size limit ({limit:,} bytes)")
        if d.unconsumed_tail:
            raise ValueError(f"gzip inflates past the size limit ({limit:,} bytes)")
        if not d.eof:
            raise ValueError("truncated gzip (compressed stream ends early)")
        rest = d.unused_data.lstrip(b"\x00")
    return bytes(out)


def _gzip_head(data: bytes) -> bytes:
    try:
        return zlib.decompressobj(wbits=31).decompress(data, 64)
    except zlib.error:
        return b""


class Reader:
    """Reads files and byte strings into Articles; holds the cleaner and identifier."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES):
        self.max_bytes = max_bytes
        self.builder = ArticleBuilder()

    # -- entry points ------------------------------------------------------------------
    def read_paths(self, paths: Iterable[str | Path]) -> Iterator[Result]:
        for item in expand(paths):
            if isinstance(item, IngestError):
                yield item
            else:
                yield from self.read_file(item)

    def read_file(self, path: Path) -> Iterator[Result]:
        source = str(path)
        try:
            with open(path, "rb") as f:
                head = f.read(detect.HEAD_BYTES)
                if detect.is_warc(head) or (detect.is_gzip(head) and detect.is_warc(_gzip_head(head))):
                    f.seek(0)
                    yield from self.read_warc(f, source)
                    return
                size = path.stat().st_size
                if size > self.max_bytes:
                    yield IngestError(source, f"file too large: {size:,} bytes (limit {self.max_bytes:,} bytes)")
                    return
                data = head + f.read(self.max_bytes + 1 - len(head))
        except OSError as exc:
            yield IngestError(source, f"cannot read: {exc.strerror or exc}")
            return
        if len(data) > self.max_bytes:
            yield IngestError(source, f"file too large: over {self.max_bytes:,} bytes")
            return
        yield from self.read_data(data, source)

    def read_data(self, data: bytes, source: str) -> Iterator[Result]:
        """Everything in `data`; a reader's unexpected crash becomes an IngestError too."""
        try:
            yield from self._dispatch(data, source)
        except IngestFailure as exc:
            yield exc.to_error()
        except Exception as exc:  # a bug or library failure on odd input must not sink the batch
            log.exception("ingest failed on %s", source)
            yield IngestError(source, f"unexpected {type(exc).__name__}: {exc}")

    # -- formats -----------------------------------------------------------------------
    def _dispatch(self, data: bytes, source: str) -> Iterator[Result]:
        if not data:
            raise IngestFailure(source, "empty file")
        if detect.is_gzip(data):
            if detect.is_warc(_gzip_head(data)):
                yield from self.read_warc(io.BytesIO(data), source)
                return
            try:
                data = _gunzip(data, self.max_bytes)
            except ValueError as exc:
                raise IngestFailure(source, str(exc)) from exc
            if not data:
                raise IngestFailure(source, "empty file (inside gzip)")
        if detect.is_warc(data):
            yield from self.read_warc(io.BytesIO(data), source)
            return
        text = self._decode(data, source, declared_charset(data))
        fmt = detect.sniff_text(text[: detect.HEAD_BYTES], source)
        if fmt == "html":
            yield self.from_html(text, source, data, fmt="html")
        elif fmt in ("jsonl", "json"):
            records = iter_jsonl(text, source) if fmt == "jsonl" else iter_json(text, source)
            for rec in records:
                yield rec if isinstance(rec, IngestError) else self._guard(self.from_record, rec)
        else:
            yield self.builder.build(text, source=source, fmt="text", raw=data)

    def _decode(self, data: bytes, source: str, declared: str | None) -> str:
        try:
            text = decode_bytes(data, declared)
        except DecodeError as exc:
            raise IngestFailure(source, str(exc)) from exc
        if not text.strip():
            raise IngestFailure(source, "only whitespace")
        return text

    def _guard(self, fn, item) -> Result:
        try:
            return fn(item)
        except IngestFailure as exc:
            return exc.to_error()
        except Exception as exc:  # one record's crash stays that record's
            log.exception("ingest failed on %s", item.source)
            return IngestError(item.source, f"unexpected {type(exc).__name__}: {exc}")

    def from_html(self, markup: str, source: str, raw: bytes, fmt: str, given: Given | None = None) -> Article:
        """An HTML page; `given` (JSONL fields, WARC URL) wins over what the page says."""
        given = given or Given()
        try:
            doc = extract(markup, url=given.url)
        except NoMainText as exc:
            raise IngestFailure(source, str(exc)) from exc
        page = Given(
            title=given.title or doc.title,
            author=given.author or doc.author,
            published=given.published or doc.date,
            outlet=given.outlet or canonical_outlet(doc.sitename),
            url=given.url or doc.url,
            meta={**given.meta, **({"html_fallback": True} if doc.fallback else {})},
        )
        return self.builder.build(doc.text, source=source, fmt=fmt, raw=raw, given=page)

    def from_record(self, rec: Record) -> Article:
        given = Given(**{k: rec.fields.get(k) for k in ("title", "author", "published", "outlet", "url")}, meta=rec.extra)
        if rec.is_html:
            return self.from_html(rec.body, rec.source, rec.raw, fmt="jsonl", given=given)
        return self.builder.build(rec.body, source=rec.source, fmt="jsonl", raw=rec.raw, given=given)

    def from_payload(self, p: Payload) -> Article:
        markup = self._decode(p.data, p.source, p.charset or (declared_charset(p.data) if p.is_html else None))
        given = Given(url=p.url)
        if p.is_html:
            return self.from_html(markup, p.source, p.data, fmt="warc", given=given)
        return self.builder.build(markup, source=p.source, fmt="warc", raw=p.data, given=given)

    def read_warc(self, stream: BinaryIO, source: str) -> Iterator[Result]:
        for item in iter_warc(stream, source, self.max_bytes):
            yield item if isinstance(item, IngestError) else self._guard(self.from_payload, item)
