"""Bytes to text for what people actually save: UTF-8, UTF-16 with or without BOM, CP1252.

Order: BOM, then UTF-16 by NUL-byte layout, then UTF-8 with any byte that is not UTF-8
read as CP1252 (Latin-1 for the five bytes CP1252 leaves undefined), so pure CP1252 and
UTF-8 with a few stray bytes both come out right. Content that decodes to
control-character soup is binary, and is rejected rather than turned into mojibake.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than tab, newline, vertical tab, form feed, carriage return and escape; plus DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_MAX_CONTROL_RATIO = 0.01
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


class DecodeError(ValueError):
    """The bytes are not text we can read (binary, or no encoding fits)."""


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in its first kilobytes, if any."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16 without BOM: mostly-ASCII text puts its NULs at every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _check_text(text: str) -> str:
    if text and len(_CONTROL.findall(text[:20000])) > _MAX_CONTROL_RATIO * min(len(text), 20000):
        raise DecodeError("binary content (control characters)")
    return text


def _cp1252(data: bytes) -> str:
    """CP1252, with Latin-1 for the five bytes CP1252 leaves undefined, so any byte string decodes."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _not_utf8_as_cp1252(exc: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 are read as CP1252, so a UTF-8 text with a few
    stray bytes (or a Latin-1 paragraph pasted in) keeps every valid character instead of turning
    all of it into mojibake; a text with no valid UTF-8 sequence decodes exactly as CP1252."""
    return _cp1252(exc.object[exc.start : exc.end]), exc.end


codecs.register_error("kabar-cp1252", _not_utf8_as_cp1252)


def _whole_units(data: bytes, enc: str) -> bytes:
    """A file cut off mid-character: drop the incomplete last code unit of UTF-16/UTF-32."""
    unit = 4 if "32" in enc else 2 if "16" in enc else 1
    return data[: len(data) - len(data) % unit]


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode `data` to str; `declared` (from HTTP or <meta>) is tried first when given."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(_whole_units(data[len(bom):], enc).decode(enc))
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {enc} after byte-order mark: {exc.reason}") from exc
    if b"\x00" in data:
        enc = _utf16_guess(data)
        if enc is None:
            raise DecodeError("binary content (NUL bytes)")
        try:
            return _check_text(_whole_units(data, enc).decode(enc))
        except UnicodeDecodeError as exc:
            raise DecodeError(f"binary content (NUL bytes, not valid {enc})") from exc
    if declared:
        try:
            return _check_text(data.decode(declared))
        except (UnicodeDecodeError, LookupError):
            pass
    return _check_text(data.decode("utf-8", "kabar-cp1252"))
