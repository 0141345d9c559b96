"""The cleaner's language data, merged over every supported language and compiled once.

The language of a pasted article is only known after cleaning, and Indonesian pages carry
English furniture ("Back to top button"), so every `lang/*/boilerplate.json` applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kabar import lang

# Characters trimmed before comparing a line with the `exact` lists.
EXACT_TRIM = " \t:：-–—|•·»›>*.!"


def norm_exact(line: str) -> str:
    return " ".join(line.lower().split()).strip(EXACT_TRIM)


@dataclass(frozen=True)
class LineRule:
    reason: str
    regex: re.Pattern[str]


@dataclass
class Rules:
    exact: dict[str, str] = field(default_factory=dict)
    patterns: list[LineRule] = field(default_factory=list)
    byline_labels: dict[str, str] = field(default_factory=dict)
    name_connectors: set[str] = field(default_factory=set)  # lower-case words inside names ("bin", "and")
    byline_prefixes: list[str] = field(default_factory=list)  # longest first
    caption_markers: set[str] = field(default_factory=set)
    caption_cues: set[str] = field(default_factory=set)
    days: set[str] = field(default_factory=set)
    months: dict[str, int] = field(default_factory=dict)
    date_labels: set[str] = field(default_factory=set)
    timezones: set[str] = field(default_factory=set)


def _alternation(words: set[str] | dict[str, int]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass
class Compiled:
    """Rules plus the regexes built from their word lists."""

    rules: Rules
    date_line: re.Pattern[str]
    month_day: re.Pattern[str]  # "Oct 31", "31 Oktober": a date without its year
    caption_cue: re.Pattern[str]
    caption_marker: re.Pattern[str]  # a credit word anywhere in "(...)": "(Kantor ... /Foto Istimewa)"
    caption_label: re.Pattern[str]  # a credit that starts with its label: "(Foto: Reuters)", "(Sumber: Yonhap)"
    any_pattern: re.Pattern[str]  # every line pattern at once, groups unnamed: one call rules out a body line


def _any_of(rules: list[LineRule]) -> re.Pattern[str]:
    """A line fully matches this when it fully matches some rule (an alternation backtracks into
    every branch), so the rules are tried one by one only on the lines it lets through."""
    return re.compile("|".join(f"(?:{re.sub(r'[(][?]P<[A-Za-z_][A-Za-z0-9_]*>', '(?:', r.regex.pattern)})" for r in rules) or "(?!)", re.I)


def _date_line_regex(r: Rules) -> re.Pattern[str]:
    months = _alternation(r.months)
    date = (
        rf"(?:(?P<d>\d{{1,2}})\s+(?P<m>{months})\.?,?\s+(?P<y>\d{{4}})"
        rf"|(?P<m2>{months})\.?\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"
        r"|(?P<d3>\d{1,2})[/.-](?P<m3>\d{1,2})[/.-](?P<y3>\d{4})"
        r"|(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2}))"
    )
    tz = rf"(?:{_alternation(r.timezones)})(?:\s*[+-]\d{{1,2}}(?::?\d{{2}})?)?"
    time = rf"(?:(?:pukul|jam|at)\s*)?\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?(?:\s*{tz})*"
    labels = _alternation(r.date_labels)
    return re.compile(
        rf"(?:(?P<place>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){{0,2}})\s*(?:,|\s[-–—|])\s*)?"
        rf"(?:(?:{labels})\s*:?\s*)?"
        rf"(?:(?:{_alternation(r.days)})\s*[,/]?\s*)?"
        rf"{date}"
        rf"(?:\s*[,|/·•\-–—]?\s*{time})?\s*(?:\(?{tz}\)?)?"
        rf"(?:\s*[,|/·•\-–—]?\s*(?:{labels})\b.{{0,60}})?",
        re.I,
    )


@lru_cache(maxsize=1)
def compiled() -> Compiled:
    r = Rules()
    for code in lang.SUPPORTED:
        if not lang.has(code, "boilerplate.json"):
            continue
        data = lang.load_json(code, "boilerplate.json")
        for reason, lines in data.get("exact", {}).items():
            for line in lines:
                r.exact.setdefault(norm_exact(line), reason)
        for p in data.get("patterns", []):
            r.patterns.append(LineRule(p["reason"], re.compile(p["re"], re.I)))
        r.byline_labels.update({k.lower(): v for k, v in data.get("byline_labels", {}).items()})
        r.byline_prefixes = sorted({*r.byline_prefixes, *(w.lower() for w in data.get("byline_prefixes", []))}, key=len, reverse=True)
        r.name_connectors.update(w.lower() for w in data.get("name_connectors", []))
        r.caption_markers.update(w.lower() for w in data.get("caption_markers", []))
        r.caption_cues.update(w.lower() for w in data.get("caption_cues", []))
        dl = data.get("date_line", {})
        r.days.update(dl.get("days", []))
        r.months.update(dl.get("months", {}))
        r.date_labels.update(dl.get("labels", []))
        r.timezones.update(dl.get("timezones", []))
    cue = re.compile(rf"\b(?:{_alternation(r.caption_cues)})\b", re.I)
    months = _alternation(r.months)
    month_day = re.compile(rf"(?:{months})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?:{months})\.?", re.I)
    markers = _alternation(r.caption_markers)
    marker = re.compile(rf"(?<!\w)(?:{markers})(?!\w)", re.I)
    label = re.compile(rf"(?:{markers})\s*[.:/]", re.I)
    return Compiled(r, _date_line_regex(r), month_day, cue, marker, label, _any_of(r.patterns))
