"""Metadata hidden in pasted text: outlets and datelines, wire credits, bylines, dates.

Everything here is pattern plus data (lang/*/wires.json, lang/id/outlets.json): a new wire
or outlet is a line of JSON, not code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from kabar import lang
from kabar.ingest.rules import compiled

_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:co\.id|com|id|net|org|news|co|tv|vn|kr|my|sg)$", re.I)
# A dateline/outlet prefix: up to ~70 chars of capitalised chunks, then a dash.
_PREFIX = re.compile(r"^(?P<head>[^\n\"“”]{2,70}?)(?:\s+(?:--|-|–|—)\s*|\s*(?:--|-|–|—)\s+)(?=\S)")
_PAREN = re.compile(r"\(([^()]{2,40})\)")
_CAPS_AFTER = re.compile(r"^(?P<place>[A-Z][A-Z.'-]{2,}(?:\s+[A-Z][A-Z.'-]{2,}){0,2})\.\s+(?=\S)")


@dataclass(frozen=True)
class Dateline:
    """What a dateline prefix or line names, and how much of the line it takes."""

    place: str | None
    outlet: str | None
    wire: str | None
    end: int  # characters of the line taken by the dateline


def _title(name: str) -> str:
    """'JAKARTA' -> 'Jakarta', 'WASHINGTON DC' -> 'Washington DC', 'Jakarta Pusat' unchanged."""
    return " ".join(w.title() if w.isupper() and len(w) > 2 else w for w in name.split())


@lru_cache(maxsize=1)
def _outlet_aliases() -> tuple[dict[str, str], tuple[str, ...]]:
    data = lang.load_json("id", "outlets.json")
    aliases = {a.lower(): name for name, al in data["outlets"].items() for a in [name, *al]}
    suffixes = tuple(sorted(data["domain_suffixes"], key=len, reverse=True))
    return aliases, suffixes


def canonical_outlet(name: str | None) -> str | None:
    """One display name per outlet: 'KONTAN.CO.ID' -> 'Kontan', 'www.kontan.co.id' -> 'Kontan'."""
    if not name:
        return None
    name = name.strip().strip("-–—|,")
    aliases, suffixes = _outlet_aliases()
    key = name.lower().removeprefix("www.")
    if key in aliases:
        return aliases[key]
    for suf in suffixes:
        if key.endswith(suf) and key[: -len(suf)] in aliases:
            return aliases[key[: -len(suf)]]
    if name.isupper() and "." in name:
        for suf in suffixes:
            if key.endswith(suf):
                return _title(name[: -len(suf)])
    return name.removeprefix("www.") or None


def is_known_outlet(chunk: str) -> bool:
    aliases, _ = _outlet_aliases()
    return chunk.lower() in aliases or bool(_DOMAIN.match(chunk))


def host_outlet(url: str | None) -> str | None:
    """The outlet a URL's host stands for ('https://www.kontan.co.id/x' -> 'Kontan')."""
    if not url:
        return None
    host = urlsplit(url).hostname
    return canonical_outlet(host) if host else None


# --- wires ----------------------------------------------------------------------------


class WireFinder:
    """Finds credited news agencies: bare names, names after/before cue phrases, credit lines."""

    def __init__(self) -> None:
        data = lang.load_json("id", "wires.json")
        self.canonical: dict[str, str] = {}
        self.bare: set[str] = set()
        for name, spec in data["wires"].items():
            for alias in [name, *spec["aliases"]]:
                self.canonical[alias] = name
            if spec.get("bare"):
                self.bare.add(name)
        before: set[str] = set()
        after: set[str] = set()
        gap = 3
        for code in lang.SUPPORTED:
            if lang.has(code, "wires.json"):
                d = lang.load_json(code, "wires.json")
                before.update(d.get("cues_before", []))
                after.update(d.get("cues_after", []))
                gap = max(gap, d.get("cue_gap_words", gap))
        alias_alt = "|".join(re.escape(a) for a in sorted(self.canonical, key=len, reverse=True))
        self._alias = re.compile(rf"(?<![\w-])(?:{alias_alt})(?![\w-])")
        self._alias_line = re.compile(
            rf"(?:(?:oleh|by|sumber|source|credit)\s*:?\s*)?(?:{alias_alt})(?:\s*(?:/|,|&|dan|and)\s*(?:{alias_alt}))*", re.I
        )
        cue_b = "|".join(re.escape(c) for c in sorted(before, key=len, reverse=True))
        cue_a = "|".join(re.escape(c) for c in sorted(after, key=len, reverse=True))
        self._before = re.compile(rf"(?<!\w)(?:{cue_b})\s*:?\s+(?:[^\s.!?]+\s+){{0,{gap}}}$", re.I)
        self._after = re.compile(rf"^[,\s]*(?:[^\s.!?]+\s+){{0,{gap}}}(?:{cue_a})(?!\w)", re.I)

    def resolve(self, text: str) -> list[str]:
        """Canonical wires named by a credit such as 'AFP/Reuters' or 'Agence France-Presse'."""
        return _unique(self.canonical[m.group(0)] for m in self._alias.finditer(text))

    def is_credit_line(self, line: str) -> bool:
        """A line that only credits wires ('Agence France-Presse', 'Oleh: AFP/Reuters')."""
        return bool(self._alias_line.fullmatch(line.strip(" .|-–—()")))

    def in_text(self, text: str) -> list[str]:
        """Wires credited in running text: bare names, or any name next to a cue phrase."""
        found = []
        for m in self._alias.finditer(text):
            name = self.canonical[m.group(0)]
            if name in self.bare:
                found.append(name)
                continue
            before = text[max(0, m.start() - 80) : m.start()]
            before = re.split(r"[.!?]\s", before)[-1]
            if self._before.search(before) or self._after.match(text[m.end() : m.end() + 80]):
                found.append(name)
        return _unique(found)


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


@lru_cache(maxsize=1)
def wires() -> WireFinder:
    return WireFinder()


# --- datelines ------------------------------------------------------------------------


def _capitalised(chunk: str, max_words: int = 4) -> bool:
    """Every word starts upper-case (or is a digit, or a name connector such as 'bin', 'and')."""
    words = chunk.split()
    connectors = compiled().rules.name_connectors
    return (
        0 < len(words) <= max_words
        and words[0][0].isupper()
        and all(w[0].isupper() or w[0].isdigit() or w.lower() in connectors for w in words)
    )


def _split_chunk(chunk: str) -> tuple[str | None, str | None, str | None]:
    """(place, outlet, wire) for one comma-separated piece of a dateline."""
    wire = wires().resolve(chunk)
    if wire and wires().is_credit_line(chunk):
        return None, canonical_outlet(chunk), wire[0]
    if is_known_outlet(chunk):
        return None, canonical_outlet(chunk), None
    return _title(chunk), None, None


def parse_dateline_prefix(line: str) -> Dateline | None:
    """'KONTAN.CO.ID - ', 'JAKARTA, KOMPAS.com - ', 'Jakarta (ANTARA) - ', 'Liputan6.com, Jakarta - '."""
    m = _PREFIX.match(line)
    if not m or line[m.end()].islower():
        return None  # "Baru - baru ini", "Eks - pemain": a spaced hyphen, not a dateline
    head = m.group("head").strip()
    chunks: list[tuple[str, bool]] = [(p.strip(), True) for p in _PAREN.findall(head)]
    chunks += [(c.strip(), False) for c in _PAREN.sub(",", head).split(",") if c.strip()]
    if not chunks or len(chunks) > 3 or not all(_capitalised(c) or is_known_outlet(c) for c, _ in chunks):
        return None
    place = outlet = wire = None
    for chunk, in_paren in chunks:
        if compiled().month_day.fullmatch(chunk):
            continue  # "WASHINGTON, Oct 31 (Reuters) -": the date is left to the time tagger
        p, o, w = _split_chunk(chunk)
        if in_paren and not (o or w):
            o = canonical_outlet(chunk)
        if p and place is None:
            place = p
        elif p:
            return None  # two places: not a dateline
        outlet = outlet or o
        wire = wire or w
    if outlet is None and wire is None:
        # A lone place is only trusted in capitals ("SEOUL -") or as one real word ("Jakarta - ").
        if not (head.isupper() or (len(head.split()) == 1 and len(head) >= 3 and head.isalpha())):
            return None
    end = m.end()
    if place is None:
        tail = _CAPS_AFTER.match(line[end:])  # "KONTAN.CO.ID - JAKARTA. Presiden ..."
        if tail:
            place = _title(tail.group("place"))
            end += tail.end()
    return Dateline(place, outlet, wire, end)


def parse_dateline_line(line: str) -> Dateline | None:
    """A line that is only 'Place, Outlet' ('Jakarta, Inakoran') or 'Outlet, Place'."""
    parts = [p.strip() for p in line.strip().rstrip("-–—").split(",")]
    if len(parts) != 2 or not all(_capitalised(p) and len(p.split()) <= 3 for p in parts):
        return None
    if any(ch in line for ch in ".!?:;\"“”") and not any(is_known_outlet(p) for p in parts):
        return None
    first, second = parts
    if is_known_outlet(first) and not is_known_outlet(second):
        first, second = second, first
    w = wires().resolve(second)
    return Dateline(_title(first), canonical_outlet(second), w[0] if w else None, len(line))


# --- dates ----------------------------------------------------------------------------


def parse_date_line(line: str) -> tuple[str, str | None] | None:
    """(ISO date, place) when the whole line is a publication date ('Senin, 28 Oktober 2024 | 14:30 WIB')."""
    c = compiled()
    m = c.date_line.fullmatch(line.strip())
    if not m:
        return None
    g = m.groupdict()
    try:
        if g["y"]:
            y, mo, d = int(g["y"]), c.rules.months[g["m"].lower()], int(g["d"])
        elif g["y2"]:
            y, mo, d = int(g["y2"]), c.rules.months[g["m2"].lower()], int(g["d2"])
        elif g["y3"]:
            y, mo, d = int(g["y3"]), int(g["m3"]), int(g["d3"])
        else:
            y, mo, d = int(g["y4"]), int(g["m4"]), int(g["d4"])
        iso = dt.date(y, mo, d).isoformat()
    except (KeyError, ValueError):
        return None
    place = g.get("place")
    if place and (not place[0].isupper() or place.lower() in c.rules.days or place.lower() in c.rules.date_labels):
        place = None
    return iso, place


def iso_date(value: str | None) -> str | None:
    """A container's date ('2024-10-28T09:00:00+07:00', '2024-10-28') as an ISO date, else None."""
    if not value:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    parsed = parse_date_line(value)
    return parsed[0] if parsed else None


# --- bylines --------------------------------------------------------------------------

_BYLINE_SPLIT = re.compile(r"\s*[|·•;]\s*|\s{2,}")


def parse_byline(line: str) -> dict[str, str] | None:
    """{'author': 'Park Hye Ri', 'editor': ...} when the line is only bylines ('Penulis: Park Hye Ri')."""
    rules = compiled().rules
    if len(line.split()) > 16:
        return None
    roles: dict[str, str] = {}
    for part in filter(None, _BYLINE_SPLIT.split(line.strip())):
        label, sep, value = part.partition(":")
        label = label.strip().lower()
        if sep and label in rules.byline_labels and value.strip():
            role, value = rules.byline_labels[label], value.strip()
        else:
            prefix = next((p for p in rules.byline_prefixes if part.lower().startswith(p + " ")), None)
            if prefix is None:
                return None
            value = part[len(prefix):].strip()
            if not _capitalised(value, max_words=8):
                return None
            role = rules.byline_labels.get(prefix, "author")
        if len(value.split()) > 8 or value[-1:] in ".!?":
            return None
        roles.setdefault(role, value)
    return roles or None
