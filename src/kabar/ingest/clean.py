"""The plain-text cleaner: body text out of news as journalists actually paste it.

Each line is judged on its own against general patterns (lang/*/boilerplate.json) plus a
little position sense: a headline, breadcrumb or dateline only counts before the body
starts, and short headline-like lines after an "Artikel Terkait" heading are teasers.
Nothing is thrown away silently: every removed line, prefix or suffix is kept in
`Cleaned.removed` with its reason and raw line number, and useful lines become metadata
(title, byline, outlet, dateline, source URL, wire credits, related headlines, tags).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from kabar.ingest.meta import (
    Dateline,
    canonical_outlet,
    is_known_outlet,
    parse_byline,
    parse_date_line,
    parse_dateline_line,
    parse_dateline_prefix,
    wires,
)
from kabar.ingest.rules import compiled, norm_exact
from kabar.model import Removed

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\xad"), None)
_SPACES = re.compile(r"[ \t\xa0\u2000-\u200a\u202f\u205f\u3000]+")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,5}|#x[0-9a-fA-F]{2,4});")
_TERMINAL = ".!?:;\"”’)]…"
_MULTI_SENTENCE = re.compile(r"[\w)][.!?][\"”’]?\s+\S")
# A line that continues a hard-wrapped sentence starts with a lower-case word (not a URL).
_CONTINUATION = re.compile(r"[^\W\d_A-Z][\w-]*(?:[\s,;]|$)")
_WRAPPED_MIN_CHARS = 40
_BREADCRUMB_SEP = re.compile(r"\s+(?:/|>|»|›|\||::)\s+|\s*[»›]\s*")
_TITLE_SITE = re.compile(r"^(?P<title>.+?)\s+(?:\||-|–|—|::)\s+(?P<site>[^|–—]{2,40})$")
# A trailing "(credit)" after the last sentence: photo caption, wire credit or editor's code.
_TAIL = re.compile(r"^(?P<body>.*?)\s*[(\[](?P<credit>[^()\[\]]{1,100})[)\]]\s*(?P<bar>\|)?\s*$")
# Editors' initials closing a story: "(ant)", "(rah/ant)", "(*)", Antara's "(Uu. G005)".
_EDITOR_CODE = re.compile(r"[a-z]{1,5}(?:\s*/\s*[a-z]{1,5})*|\*+|[A-Za-z]{1,3}\.\s?[A-Z]-?\w*\d\w*")
_TAG_SPLIT = re.compile(r"\s*(?:#|,|;|\|)\s*")
_BRACKETED = re.compile(r"[\[(](?P<inner>[^\[\]()]+)[\])]\s*\|?")
_PART_SPLIT = re.compile(r"\s+[·•|]\s+")
_SECTION_MAX_WORDS = 3
_HEADLINE_MAX_WORDS = 20
_HEADLINE_MAX_CHARS = 160
_CAPTION_MAX_WORDS = 60


@dataclass
class Cleaned:
    """Clean body text (paragraphs joined by a blank line) and what was learnt on the way."""

    text: str
    removed: list[Removed] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    dateline: str | None = None
    url: str | None = None
    published: str | None = None
    wire_credits: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


def normalise_line(line: str) -> str:
    """One pasted line, tidied: entities decoded, then NFC and no invisible characters (in that
    order, since "e&#769;" or "&#8203;" only become a combining mark or an invisible one when
    decoded), single spaces."""
    if _ENTITY.search(line):
        line = html.unescape(line)
    line = unicodedata.normalize("NFC", line.translate(_INVISIBLE))
    return _SPACES.sub(" ", line).strip()


def split_lines(raw: str) -> list[str]:
    return raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n").split("\n")


def unwrap(lines: list[str]) -> list[tuple[int, str]]:
    """(first raw line number, text) per logical line: a hard-wrapped sentence (a line without
    closing punctuation followed by one starting in lower case) is joined back into one."""
    out: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        prev = out[-1][1] if out else ""
        if len(prev) >= _WRAPPED_MIN_CHARS and prev[-1] not in _TERMINAL and _CONTINUATION.match(line) and line[0].islower():
            out[-1] = (out[-1][0], out[-1][1] + " " + line)
        else:
            out.append((i, line))
    return out


def headline_like(line: str) -> bool:
    """A headline: a few words, capitalised start, one sentence at most, no closing period."""
    words = line.split()
    return (
        3 <= len(words) <= _HEADLINE_MAX_WORDS
        and len(line) <= _HEADLINE_MAX_CHARS
        and line[-1] not in ".,;:"
        and (line[0].isupper() or line[0].isdigit() or line[0] in "\"“'‘")
        and not _MULTI_SENTENCE.search(line)
    )


def _breadcrumb(line: str) -> bool:
    parts = [p for p in _BREADCRUMB_SEP.split(line) if p]
    return (
        len(parts) >= 2
        and len(line) <= 100
        and line[-1] not in ".!?"
        and all(p[0].isupper() and len(p.split()) <= 3 for p in parts)
    )


class _Run:
    """The state of cleaning one text: what is kept, removed and learnt so far."""

    def __init__(self, cleaner: Cleaner, title: str | None):
        self.c = cleaner
        self.out = Cleaned(text="", title=title)
        self.title_key = norm_exact(title) if title else None
        self.kept: list[str] = []  # body paragraphs
        self.credits: list[str] = []
        self.in_related_list = False
        self.prefix_done = False
        self.tail_seen: tuple[str, str | None] = ("", None)  # the last line `classify` asked `tail` about, and its answer

    # -- recording ------------------------------------------------------------------
    def remove(self, text: str, reason: str, line: int) -> None:
        self.out.removed.append(Removed(text=text, reason=reason, line=line))

    def note(self, key: str, value: Any) -> None:
        items = self.out.meta.setdefault(key, [])
        if value not in items:
            items.append(value)

    def set(self, name: str, value: str | None) -> None:
        if value and not getattr(self.out, name):
            setattr(self.out, name, value)

    def take_date(self, iso: str, place: str | None) -> None:
        self.set("published", iso)
        if place and is_known_outlet(place):
            self.set("outlet", canonical_outlet(place))
        else:
            self.set("dateline", place)

    def take_dateline(self, d: Dateline) -> None:
        self.set("dateline", d.place)
        self.set("outlet", d.outlet)
        if d.wire:
            self.credits.append(d.wire)

    # -- one line ---------------------------------------------------------------------
    def feed(self, i: int, line: str) -> None:
        if not line:
            return
        head = not self.kept
        reason = self.classify(i, line, head)
        if reason:
            self.remove(line, reason, i)
            # Only a bare heading ("Artikel Terkait") opens a list of teaser headlines.
            self.in_related_list = reason == "related-heading" or (
                self.in_related_list and reason in ("related-article", "related-video", "ad", "share-buttons")
            )
            return
        self.in_related_list = False
        self.keep(i, line)

    def classify(self, i: int, line: str, head: bool) -> str | None:
        """The reason to remove `line`, after taking any metadata from it; None keeps it."""
        if head and self.title_key and norm_exact(line) == self.title_key:
            return "title"
        bracketed = _BRACKETED.fullmatch(line)  # "[Related: ...]", "(Reporting by ...; Editing by ...)"
        reason = self.furniture(line) or (self.furniture(bracketed["inner"].strip()) if bracketed else None)
        if reason:
            return reason
        self.tail_seen = (line, self.tail(line))
        if self.tail_seen[1] == "caption":
            return "caption"
        if head:
            if _breadcrumb(line):
                self.note("breadcrumbs", line)
                return "breadcrumb"
            d = parse_dateline_line(line)
            if d:
                self.take_dateline(d)
                return "dateline"
            if not self.out.title and len(line.split()) <= _SECTION_MAX_WORDS and not any(ch in line for ch in _TERMINAL + ","):
                self.note("sections", line)  # "World", "Internasional": a section label over the headline
                return "section"
            if parse_dateline_prefix(line):
                return None  # "Magelang (ANTARA) - ...": the lead paragraph, whatever its length
            if not self.out.title and headline_like(line):
                self.take_title(line)
                return "title"
        if self.in_related_list and headline_like(line):
            self.note("related_headlines", line)
            return "related-article"
        return None

    def furniture(self, line: str) -> str | None:
        """The reason when `line` as a whole is page furniture or a metadata line (byline, date, credit)."""
        reason = self.exact(line)
        if reason:
            return reason
        if self.c.any_pattern.fullmatch(line):
            for rule in self.c.rules.patterns:
                m = rule.regex.fullmatch(line)
                if m:
                    self.capture(rule.reason, m.groupdict())
                    return rule.reason
        date = parse_date_line(line)
        if date:
            self.take_date(*date)
            return "date-line"
        byline = parse_byline(line)
        if byline:
            for role, value in byline.items():
                if role == "author":
                    self.set("author", value)
                else:
                    self.out.meta.setdefault(role, value)
            return "byline"
        if self.c.wires.is_credit_line(line):
            self.credits += self.c.wires.resolve(line)
            return "wire-credit"
        return None

    def exact(self, line: str) -> str | None:
        """The reason for a line that is page furniture as a whole, or in every '·'-separated part."""
        exact = self.c.rules.exact
        reason = exact.get(norm_exact(line))
        if reason is None and _PART_SPLIT.search(line):
            reasons = [exact.get(norm_exact(part)) for part in _PART_SPLIT.split(line)]
            reason = reasons[0] if all(reasons) else None
        return reason

    def capture(self, reason: str, groups: dict[str, str | None]) -> None:
        if groups.get("related"):
            self.note("related_headlines", groups["related"].strip())
        if groups.get("tags"):
            for tag in _TAG_SPLIT.split(groups["tags"]):
                if tag:
                    self.note("tags", tag)
        if groups.get("url"):
            if reason == "source-url":
                self.set("url", groups["url"])
            else:
                self.note("urls", groups["url"])
        if groups.get("email"):
            self.note("contact_emails", groups["email"])
        if groups.get("credit"):
            self.credits += self.c.wires.resolve(groups["credit"])
            self.note("source_credits", groups["credit"].strip())

    def take_title(self, line: str) -> None:
        m = _TITLE_SITE.match(line)
        if m and is_known_outlet(m["site"].strip()):
            self.set("outlet", canonical_outlet(m["site"]))
            line = m["title"]
        self.out.title = line

    def tail(self, line: str) -> str | None:
        """Classify a trailing '(...)': 'caption' removes the line; suffixes are stripped in place."""
        m = _TAIL.match(line)
        if not m:
            return None
        body, credit = m["body"].rstrip(), m["credit"].strip()
        if _EDITOR_CODE.fullmatch(credit) and body:
            return "editor-code"
        if body and self.c.caption_label.match(credit):
            self.note("photo_credits", credit)
            return "caption"  # "Tim Cook, CEO Apple (Foto: Reuters)"
        if not body or not (body[-1] in ".!?\"”’" or m["bar"]):
            return None  # not after a sentence: "(NATO)" inside running text
        cue = self.c.caption_cue.search(body)
        if self.c.wires.is_credit_line(credit) and not cue and not m["bar"]:
            return "credit-suffix"
        marker = self.c.caption_marker.search(credit)
        words = credit.split()
        # Capitalised words after a sentence name a photo's source; after a quotation, the quote's ("(QS Al-Maidah: 8)").
        proper = (
            body[-1] not in "\"”’"
            and len(words) >= 2
            and words[0][0].isupper()
            and not any(ch.isdigit() for ch in credit)
            and sum(w[0].isupper() for w in words) * 3 >= len(words) * 2
        )
        if not (marker or proper or cue or m["bar"]):
            return None
        if _MULTI_SENTENCE.search(body) or len(body.split()) > _CAPTION_MAX_WORDS:
            # A photo caption is one sentence; a body paragraph signed "[Priscilla Trisna]" keeps its text.
            return "author-suffix" if proper and len(words) <= 4 and not marker else None
        self.note("photo_credits", credit)
        return "caption"

    def strip_suffix(self, i: int, line: str) -> str:
        # A kept line was asked already, unless its dateline was cut off since; a kept line's answer
        # is never "caption", the one that notes something, so asking again would only repeat the work.
        kind = self.tail_seen[1] if self.tail_seen[0] == line else self.tail(line)
        if kind not in ("editor-code", "credit-suffix", "author-suffix"):
            return line
        m = _TAIL.match(line)
        assert m is not None
        self.remove(line[len(m["body"]):].strip(), kind, i)
        if kind == "credit-suffix":
            self.credits += self.c.wires.resolve(m["credit"])
        elif kind == "author-suffix":
            self.set("author", m["credit"].strip())
        return m["body"].rstrip()

    def keep(self, i: int, line: str) -> None:
        if not self.prefix_done and len(self.kept) < 2:
            d = parse_dateline_prefix(line)
            if d and line[d.end:].strip():
                self.prefix_done = True
                self.remove(line[: d.end].strip(), "outlet-prefix" if d.outlet or d.wire else "dateline", i)
                self.take_dateline(d)
                line = line[d.end:].lstrip()
                date = parse_date_line(line)  # "Kompas.com - 29/10/2024, 08:15 WIB"
                if date:
                    self.take_date(*date)
                    self.remove(line, "date-line", i)
                    return
        self.kept.append(self.strip_suffix(i, line))

    # -- the whole text ----------------------------------------------------------------
    def finish(self) -> Cleaned:
        out = self.out
        out.text = "\n\n".join(self.kept)
        out.wire_credits = list(dict.fromkeys(self.credits + self.c.wires.in_text(out.text)))
        return out


class Cleaner:
    """Callable: raw pasted text -> `Cleaned`. Builds its patterns once; reuse it."""

    def __init__(self) -> None:
        c = compiled()
        self.rules = c.rules
        self.any_pattern = c.any_pattern
        self.caption_cue = c.caption_cue
        self.caption_marker = c.caption_marker
        self.caption_label = c.caption_label
        self.wires = wires()

    def __call__(self, raw: str, title: str | None = None) -> Cleaned:
        """Clean `raw`; `title` is the headline when the container already knows it (HTML, JSONL)."""
        run = _Run(self, normalise_line(title) if title else None)
        for i, line in unwrap([normalise_line(line) for line in split_lines(raw)]):
            run.feed(i, line)
        return run.finish()
