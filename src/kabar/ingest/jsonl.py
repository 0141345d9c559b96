"""JSON Lines (one article object a line) and whole-file JSON (an object or a list of them).

A bad line fails alone, named `file:line`; the others go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kabar.ingest.errors import IngestError

FIELDS = ("url", "title", "outlet", "published", "author")


@dataclass
class Record:
    """One article object: `text` or `html` plus optional metadata fields."""

    source: str
    body: str
    is_html: bool
    fields: dict[str, str]
    raw: bytes
    extra: dict[str, Any]


def _record(obj: Any, source: str, raw: bytes) -> Record | IngestError:
    if not isinstance(obj, dict):
        return IngestError(source, f"expected a JSON object, got {type(obj).__name__}")
    html = obj.get("html")
    is_html = isinstance(html, str) and bool(html.strip())
    body = html if is_html else obj.get("text")
    if not isinstance(body, str) or not body.strip():
        return IngestError(source, "no non-empty 'text' or 'html' string field")
    fields = {k: str(obj[k]).strip() for k in FIELDS if isinstance(obj.get(k), (str, int, float)) and str(obj[k]).strip()}
    extra = {k: v for k, v in obj.items() if k not in ("text", "html", *FIELDS) and isinstance(v, (str, int, float, bool))}
    return Record(source, body, is_html, fields, raw, extra)


def iter_jsonl(text: str, source: str) -> Iterator[Record | IngestError]:
    """Records of a JSON Lines document, numbered from line 1; blank lines are skipped."""
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}:{n}"
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
            yield IngestError(where, f"invalid JSON: {exc}")
            continue
        yield _record(obj, where, line.encode("utf-8"))


def iter_json(text: str, source: str) -> Iterator[Record | IngestError]:
    """Records of a whole-file JSON document: one object, or a list of objects."""
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
        yield IngestError(source, f"invalid JSON: {exc}")
        return
    if isinstance(doc, list):
        for i, obj in enumerate(doc):
            yield _record(obj, f"{source}[{i}]", json.dumps(obj, ensure_ascii=False).encode("utf-8"))
    else:
        yield _record(doc, source, text.encode("utf-8"))
