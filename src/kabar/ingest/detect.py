"""Which reader a file needs, judged by its bytes first and its name second.

People save HTML as .txt and JSON Lines as .json; extensions only break ties that the
content leaves open (a text file that merely mentions "<b>").
"""

from __future__ import annotations

import json
import re

GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 8192

_WARC = re.compile(rb"^\s*WARC/\d")
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|div|p|section|main|h[1-6])\b", re.I | re.S)
_HTML_TAG = re.compile(r"</?(?:html|head|body|div|p|span|article|section|br|a|h[1-6]|meta|title|script|table)\b[^>]*>", re.I)
_HTML_EXT = (".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx")
_JSONL_EXT = (".jsonl", ".ndjson", ".jsonlines", ".json")


def _strip_gz(name: str) -> str:
    name = name.lower()
    return name[:-3] if name.endswith(".gz") else name


def is_gzip(head: bytes) -> bool:
    return head.startswith(GZIP_MAGIC)


def is_warc(head: bytes) -> bool:
    return bool(_WARC.match(head))


def sniff_text(head: str, name: str = "") -> str:
    """'html', 'jsonl', 'json' or 'text' for decoded content (its first few kilobytes)."""
    body = head.lstrip("\ufeff \t\r\n")
    base = _strip_gz(name)
    if _HTML_START.match(body) or (base.endswith(_HTML_EXT) and _HTML_TAG.search(body)):
        return "html"
    if body[:1] in "{[":
        first, newline, _ = body.partition("\n")
        first = first.strip()
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except (ValueError, RecursionError):
            # A first line longer than the sniffed head is cut short: an object start is enough,
            # and the JSON Lines reader reports the line if it is not valid after all.
            if not newline and first.startswith('{"'):
                return "jsonl"
        if base.endswith(_JSONL_EXT) or first in ("{", "["):
            return "json"
    if len(_HTML_TAG.findall(body[:HEAD_BYTES])) >= 5:
        return "html"
    return "text"
