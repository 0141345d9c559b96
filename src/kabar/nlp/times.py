"""Time expressions, normalised against the article's publication date.

dateparser reads "15 Oktober 2024" but misses what Indonesian news leans on: "Senin (28/10)",
"Jumat lalu", "pekan ini", "awal Oktober", "tiga hari lalu", bare "29 Oktober" (year from the
article), and it is slow (benchmarks/bench_numbers_times.py). So times are read here in two steps:

1. `scan(text)`: compiled patterns built from `lang/<code>/dates.json` find raw expressions with
   what is written (day, month, year, weekday, offset) and no calendar arithmetic; the result is
   cached, so QuantityExtractor (which must not read "28/10" or "2024" as counts) and TimeTagger
   share one scan.
2. `resolve(raws, anchor)`: calendar arithmetic against the anchor date.

Conventions (value is ISO 8601):
- day "2024-10-28"; with a clock time "2024-10-30T14:30" (granularity "time");
- week: the Monday of that ISO week ("pekan ini" -> "2024-10-28"), so values sort with dates;
- month "2024-10"; year "2024";
- a bare weekday ("pada hari Senin") is the latest such day on or before the anchor (news is told
  in the past tense); "Senin lalu" strictly before; "Senin depan" strictly after; "Senin ini" in
  the anchor's week;
- a day or month without a year takes the year that puts it nearest the anchor;
- unanchored (no publication date, no estimate): a date without year gets a partial ISO value
  ("--10-29", "--10"), relative expressions get None; anchored=False either way. A lone clock time
  ("pukul 14.30 WIB") cannot be placed on a calendar: value None, granularity "time".
- relation: since | until (sejak, hingga) or early | mid | late (awal, pertengahan, akhir).

When an article has no publication date, `estimate_anchor` infers one from the text: the latest
date written with its year, and dates without year ("Senin (28/10)") whose weekday fits a year
near that evidence. TimeTagger stores it with `article.published_estimated = True`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from kabar.lang import has, load_json
from kabar.model import Article, TimeExpr
from kabar.nlp.numbers import after_name, alternation, anchors, grammar, lower_keep_offsets, sentence_start

Date = dt.date


@dataclass(frozen=True, slots=True)
class RawTime:
    """What a time expression writes, before any calendar arithmetic."""

    start: int
    end: int
    kind: str  # date | month | year | weekday | deictic | ago | near | clock
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    day2: int | None = None  # last day of a range ("28-30 Oktober")
    unit: str | None = None  # day | week | month | year, for relative kinds
    offset: int = 0  # signed: "tiga hari lalu" -> -3, "pekan depan" -> +1, weekday: -1 lalu / +1 depan / 0 ini
    weekday_mode: str = "past"  # past (bare weekday) | before | after | this
    relation: str | None = None
    hour: int | None = None
    minute: int | None = None


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """A resolved time expression at `text[start:end]` (see module doc for the value conventions)."""

    start: int
    end: int
    text: str
    value: str | None
    granularity: str | None
    anchored: bool
    relation: str | None = None
    end_value: str | None = None


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")


class TimeGrammar:
    """Compiled patterns and word tables of one language.

    Patterns run on a lower-cased copy of the text, anchored (`match`) at the tokens that can start
    them (a digit run, a month or day name, a unit word), instead of each sweeping the whole text:
    that made scanning several times faster. Optional words written before the core ("hari",
    "tanggal", "bulan", a weekday, a count) are found by short look-behind searches afterwards.
    """

    def __init__(self, lang: str = "id") -> None:
        d = load_json(lang, "dates.json")
        self.months: dict[str, int] = d["months"]
        self.months_abbrev: dict[str, int] = d["months_abbrev"]
        self.weekdays: dict[str, int] = d["weekdays"]
        self.sunday_or_week: str = d["sunday_or_week"]
        self.units: dict[str, str] = d["units"]
        self.one_units: dict[str, str] = d["one_units"]
        self.this, self.past, self.future = set(d["this"]), set(d["past"]), set(d["future"])
        self.deictic: dict[str, int] = d["deictic_days"]
        self.relations: dict[str, str] = d["relations"]
        self.count_nouns = frozenset(load_json(lang, "units.json")["nouns"])
        self.num = grammar(lang)
        self.afternoon: dict[str, int] = d["afternoon"]  # add 12 to hours below this after the word

        wd = alternation(self.weekdays)
        mon_full = alternation(self.months)
        mon_any = alternation([*self.months, *self.months_abbrev])
        year = r"(?:19|20)\d{2}(?![\w]|[.,]\d)"
        tahun = re.escape(d["year_noun"])
        rel_words = alternation([*self.past, *self.future, *self.this])
        zones = alternation(z.lower() for z in d["time_zones"])
        parts = alternation(d["day_parts"])

        def before(p: str) -> re.Pattern:
            """`p` ending right where a core match starts (searched in a short window)."""
            return re.compile(rf"(?<![\w])(?:{p})\s*\Z")

        self.numdate = re.compile(
            r"\(\s*(?P<d1>\d{1,2})\s*/\s*(?P<m1>\d{1,2})(?:\s*/\s*(?P<y1>\d{4}|\d{2}))?\s*\)"
            r"|(?P<d2>\d{1,2})(?P<sep>[/.-])(?P<m2>\d{1,2})(?P=sep)(?P<y2>\d{4})(?![\d/.-]?\d)"
            r"|(?P<y3>(?:19|20)\d{2})-(?P<m3>\d{2})-(?P<d3>\d{2})(?!\d)"
        )
        self.textdate = re.compile(
            rf"(?P<d>\d{{1,2}})(?:\s*(?:{alternation(d['range_words'])})\s*(?P<d2>\d{{1,2}}))?\s+(?P<mon>{mon_any})(?![\w])"
            rf"(?:\s+(?:{tahun}\s+)?(?P<y>{year}))?"
        )
        self.monthyear = re.compile(rf"(?P<mon>{mon_full})(?![\w])(?:\s+(?:{tahun}\s+)?(?P<y>{year}))?")
        self.year = re.compile(rf"(?P<y>{year})(?!-an(?![\w]))")  # not the decade "1990-an"
        self.weekday = re.compile(
            rf"(?P<wd>{wd})(?![\w'’])(?:\s+(?P<rel>{rel_words})(?![\w]))?(?:\s+(?:{parts})(?![\w]))?"
        )
        self.deictic_re = re.compile(rf"(?:{alternation(self.deictic)})(?![\w])")
        self.relative = re.compile(
            rf"(?P<u>{alternation([*self.units, *self.one_units])})\s+(?P<dir>{rel_words})(?![\w])"
        )
        self.clock = re.compile(
            rf"(?:(?:{alternation(d['clock_words'])})\s+(?P<h>\d{{1,2}})(?:[.:](?P<mi>\d{{2}}))?"
            rf"|(?P<h2>\d{{1,2}})[.:](?P<mi2>\d{{2}})(?=\s*(?:{zones})(?![\w])))"
            rf"(?:\s*(?:{zones})(?![\w]))?(?:\s+(?P<part>{parts})(?![\w]))?"
        )
        self.weekday_before = before(rf"(?:(?P<hari>{re.escape(d['day_noun'])})\s+)?(?P<wd>{wd})\s*,?")
        self.hari_before = before(re.escape(d["day_noun"]))
        self.not_weekday_before = before(alternation(d["not_weekday_after"]))  # "salat Jumat": the prayer
        self.tanggal_before = before(alternation(d["date_nouns"]))
        self.bulan_before = before(re.escape(d["month_noun"]))
        self.tahun_before = before(tahun)
        self.count_before = before(rf"\d{{1,3}}|{self.num.words_pattern}")
        self.relation_before = before(alternation(self.relations))
        self.context_before = before(alternation(d["context_words"]))

        # which finders to try at a digit run, and at each word that can start an expression
        self.digit_finders = (self._numdate_at, self._textdate_at, self._year_at, self._clock_at)
        by_word: dict[str, list] = {}
        for words, finder in (
            (self.months, self._month_at),
            (self.weekdays, self._weekday_at),
            ([w.split()[0] for w in self.deictic], self._deictic_at),
            ([*self.units, *self.one_units], self._relative_at),
            ([w.rstrip(".") for w in d["clock_words"]], self._clock_at),
        ):
            for w in words:
                by_word.setdefault(w, []).append(finder)
        self.word_finders = {w: tuple(dict.fromkeys(f)) for w, f in by_word.items()}

    # --- helpers -----------------------------------------------------------------

    @staticmethod
    def _back(rx: re.Pattern, low: str, pos: int, width: int = 24) -> re.Match | None:
        return rx.search(low, max(0, pos - width), pos)

    def _month(self, text: str, m: re.Match, abbrev_ok: bool) -> int | None:
        w = m.group("mon")
        if w in self.months:
            return self.months[w]
        return self.months_abbrev.get(w) if abbrev_ok and text[m.start("mon")].isupper() else None

    def _is_sunday(self, text: str, start: int, hari: bool, rel: str | None) -> bool:
        """"Minggu" is Sunday or week: after "hari", or capitalised mid-sentence, it is the day."""
        if hari:
            return True
        if not text[start].isupper():
            return False
        return not (sentence_start(text, start) and rel is not None)

    def _weekday(self, text: str, start: int, word: str, hari: bool, rel: str | None) -> int | None:
        """The weekday written at `start`, or None when the word is no day name here."""
        if word == self.sunday_or_week and not self._is_sunday(text, start, hari, rel):
            return None
        if not hari and not text[start].isupper():
            return None
        return self.weekdays[word]

    def _weekday_prefix(self, text: str, low: str, pos: int) -> tuple[int, int | None]:
        """A day name written before a date ("Senin (28/10)", "Senin, 28 Oktober"): (start, weekday)."""
        m = self._back(self.weekday_before, low, pos)
        if m is None:
            return pos, None
        wd = self._weekday(text, m.start("wd"), m.group("wd"), m.group("hari") is not None, None)
        return (m.start(), wd) if wd is not None else (pos, None)

    @staticmethod
    def _day_ok(day: int, month: int) -> bool:
        return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)

    def _next_word(self, low: str, pos: int) -> str:
        m = _NEXT_WORD.match(low, pos)
        return m.group(1) if m else ""

    # --- scanning ----------------------------------------------------------------

    def scan(self, text: str) -> tuple[RawTime, ...]:
        """Raw time expressions, non-overlapping (longest wins), in text order.

        Patterns are tried only where a token can start one (see `kabar.nlp.numbers.anchors`).
        """
        low = lower_keep_offsets(text)
        cands: list[RawTime] = []
        for pos, tok in anchors(text):
            finders = self.digit_finders if tok[0].isdigit() else self.word_finders.get(tok, ())
            for find in finders:
                r = find(text, low, pos)
                if r is not None:
                    cands.append(r)
        return tuple(self._attach(text, low, self._select(cands)))

    def _numdate_at(self, text: str, low: str, pos: int) -> RawTime | None:
        j = pos - 1
        while j >= 0 and low[j] == " ":
            j -= 1
        paren = j >= 0 and low[j] == "("
        s = j if paren else pos
        if not paren and pos and (low[pos - 1].isalnum() or low[pos - 1] in "/.-"):
            return None
        m = self.numdate.match(low, s)
        if m is None:
            return None
        day = int(m.group("d1") or m.group("d2") or m.group("d3"))
        month = int(m.group("m1") or m.group("m2") or m.group("m3"))
        y = m.group("y1") or m.group("y2") or m.group("y3")
        if not self._day_ok(day, month):
            return None
        year = None if y is None else int(y) + (2000 if len(y) == 2 else 0)
        start, wd = self._weekday_prefix(text, low, s)
        return RawTime(start, m.end(), "date", day, month, year, wd)

    def _textdate_at(self, text: str, low: str, pos: int) -> RawTime | None:
        if pos and (low[pos - 1].isalnum() or low[pos - 1] in ".,"):
            return None
        m = self.textdate.match(low, pos)
        if m is None:
            return None
        month = self._month(text, m, abbrev_ok=True)
        day = int(m.group("d"))
        day2 = int(m.group("d2")) if m.group("d2") else None
        if month is None or not self._day_ok(day, month) or (day2 is not None and not day < day2 <= 31):
            return None
        tgl = self._back(self.tanggal_before, low, pos)
        start, wd = self._weekday_prefix(text, low, tgl.start() if tgl else pos)
        if wd is None and tgl:
            start = tgl.start()
        return RawTime(start, m.end(), "date", day, month, int(m.group("y")) if m.group("y") else None, wd, day2)

    def _month_at(self, text: str, low: str, pos: int) -> RawTime | None:
        m = self.monthyear.match(low, pos)
        if m is None:
            return None
        noun = self._back(self.bulan_before, low, pos)
        if not (m.group("y") or noun or (text[pos].isupper() and self._back(self.context_before, low, pos))):
            return None
        month = self._month(text, m, abbrev_ok=False)
        if month is None:
            return None
        y = m.group("y")
        return RawTime(noun.start() if noun else pos, m.end(), "month", month=month, year=int(y) if y else None)

    def _year_at(self, text: str, low: str, pos: int) -> RawTime | None:
        if pos and (low[pos - 1].isalnum() or low[pos - 1] in ".,_"):
            return None
        m = self.year.match(low, pos)
        if m is None:
            return None
        noun = self._back(self.tahun_before, low, pos)
        if not (noun or self._back(self.context_before, low, pos)):
            return None
        if self._next_word(low, m.end()) in self.count_nouns:  # "hingga 2000 orang" counts people
            return None
        return RawTime(noun.start() if noun else pos, m.end(), "year", year=int(m.group("y")))

    def _weekday_at(self, text: str, low: str, pos: int) -> RawTime | None:
        m = self.weekday.match(low, pos)
        if m is None:
            return None
        if self._back(self.not_weekday_before, low, pos, 8):
            return None
        rel = _norm(m.group("rel")) if m.group("rel") else None
        hari = self._back(self.hari_before, low, pos, 8)
        wd = self._weekday(text, pos, m.group("wd"), hari is not None, rel)
        if wd is None:
            return None
        mode = "past" if rel is None else "before" if rel in self.past else "after" if rel in self.future else "this"
        return RawTime(hari.start() if hari else pos, m.end(), "weekday", weekday=wd, weekday_mode=mode)

    def _deictic_at(self, text: str, low: str, pos: int) -> RawTime | None:
        m = self.deictic_re.match(low, pos)
        if m is None:
            return None
        return RawTime(pos, m.end(), "deictic", unit="day", offset=self.deictic[_norm(m.group())])

    def _relative_at(self, text: str, low: str, pos: int) -> RawTime | None:
        """"pekan ini", "bulan lalu" (near) and "tiga hari lalu", "sepekan lalu" (ago)."""
        m = self.relative.match(low, pos)
        if m is None:
            return None
        u, rel = m.group("u"), _norm(m.group("dir"))
        sign = -1 if rel in self.past else 1 if rel in self.future else 0
        if u in self.one_units:
            return RawTime(pos, m.end(), "ago", unit=self.one_units[u], offset=sign) if sign else None
        count = self._back(self.count_before, low, pos, 40)
        if count is not None and count.group()[0].isdigit() and after_name(text, count.start()):
            count = None  # "Telkom 4 tahun depan": the digit belongs to the name
        if count is not None and not sign:
            return None  # "petenis 30 tahun ini": "the 30-year-old", not "this year"
        if count is not None:
            c = count.group().strip()
            n = float(c) if c.isdigit() else self.num.value(c)
            if n is not None and n == int(n):
                return RawTime(count.start(), m.end(), "ago", unit=self.units[u], offset=sign * int(n))
        if u == self.sunday_or_week and self._is_sunday(text, pos, False, rel):
            return None
        return RawTime(pos, m.end(), "near", unit=self.units[u], offset=sign)

    def _clock_at(self, text: str, low: str, pos: int) -> RawTime | None:
        if pos and (low[pos - 1].isalnum() or low[pos - 1] in ".,:"):
            return None
        m = self.clock.match(low, pos)
        if m is None:
            return None
        h = int(m.group("h") or m.group("h2"))
        mi = int(m.group("mi") or m.group("mi2") or 0)
        part = m.group("part")
        if part and h < self.afternoon.get(part, 0):
            h += 12
        return RawTime(pos, m.end(), "clock", hour=h, minute=mi) if h <= 24 and mi <= 59 else None

    @staticmethod
    def _select(cands: list[RawTime]) -> list[RawTime]:
        """Longest candidates first, then no overlaps; back in text order."""
        taken: list[RawTime] = []
        for c in sorted(cands, key=lambda c: (c.start - c.end, c.start)):
            if all(c.end <= t.start or c.start >= t.end for t in taken):
                taken.append(c)
        return sorted(taken, key=lambda c: c.start)

    def _attach(self, text: str, low: str, raws: list[RawTime]) -> list[RawTime]:
        """Join a clock time to the date right before it; add relation words written before."""
        out: list[RawTime] = []
        for r in raws:
            prev = out[-1] if out else None
            if (
                r.kind == "clock"
                and prev is not None
                and prev.kind in ("date", "weekday", "deictic")
                and prev.hour is None
                and not text[prev.end : r.start].strip(" ,")
            ):
                out[-1] = replace(prev, end=r.end, hour=r.hour, minute=r.minute)
                continue
            m = self._back(self.relation_before, low, r.start)
            if m is not None and r.kind != "clock" and not (prev is not None and prev.end > m.start()):
                rel = self.relations[_norm(m.group().strip())]
                # early/mid/late only qualify spans longer than a day
                if rel in ("since", "until") or r.kind in ("month", "year", "near", "ago") and r.unit != "day":
                    r = replace(r, start=m.start(), relation=rel)
            out.append(r)
        return out


@lru_cache(maxsize=None)
def time_grammar(lang: str = "id") -> TimeGrammar:
    return TimeGrammar(lang)


@lru_cache(maxsize=64)
def scan(text: str, lang: str = "id") -> tuple[RawTime, ...]:
    """Raw time expressions of `text` (cached: quantities and times share one scan per article)."""
    return time_grammar(lang).scan(text)


# --- calendar arithmetic ------------------------------------------------------------


def _monday(d: Date) -> Date:
    return d - dt.timedelta(days=d.weekday())


def _shift_month(year: int, month: int, k: int) -> tuple[int, int]:
    y, m = divmod(year * 12 + month - 1 + k, 12)
    return y, m + 1


def _safe_date(y: int, m: int, d: int) -> Date | None:
    try:
        return Date(y, m, d)
    except ValueError:
        return None


def _nearest(anchor: Date, month: int, day: int, weekday: int | None = None) -> Date | None:
    """The date with this month/day nearest the anchor (weekday-consistent when one is given).

    News mostly reports the past, so a day after the anchor counts as twice as far as one before.
    """
    options = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := _safe_date(y, month, day))]
    if weekday is not None and any(d.weekday() == weekday for d in options):
        options = [d for d in options if d.weekday() == weekday]
    return min(options, key=lambda d: (d - anchor).days * 2 if d > anchor else (anchor - d).days, default=None)


def _weekday_year(month: int, day: int, weekday: int, ref_year: int) -> int | None:
    """The year nearest `ref_year` (at most one away) in which day/month falls on `weekday`."""
    for y in (ref_year, ref_year - 1, ref_year + 1):
        d = _safe_date(y, month, day)
        if d is not None and d.weekday() == weekday:
            return y
    return None


def estimate_anchor(raws: tuple[RawTime, ...] | list[RawTime], context: Date | None = None) -> Date | None:
    """A publication date inferred from the text, or None without dated evidence.

    Evidence is every date written with its year (a month with year counts from its first day),
    then yearless dates placed against that evidence (those with a weekday only in a year near it
    where the weekday fits). The article cannot predate what it reports, so the latest wins.
    `context` (the dates of sibling articles in the same story) stands in for the year when the
    text gives none; it never becomes the estimate by itself.
    """
    dated: list[Date] = []
    years: list[int] = []
    for r in raws:
        if r.year is not None:
            years.append(r.year)
            if r.kind == "date" and (d := _safe_date(r.year, r.month or 1, r.day2 or r.day or 1)):
                dated.append(d)
            elif r.kind == "month":
                dated.append(Date(r.year, r.month or 1, 1))
    if not years and context is None:
        return None
    ref_year = max(dated).year if dated else max(years) if years else context.year  # type: ignore[union-attr]
    provisional = max(dated) if dated else context
    for r in raws:
        if r.kind != "date" or r.year is not None or r.month is None or r.day is None:
            continue
        if r.weekday is not None:
            y = _weekday_year(r.month, r.day, r.weekday, ref_year)
            d = _safe_date(y, r.month, r.day2 or r.day) if y is not None else None
        else:
            d = _nearest(provisional, r.month, r.day2 or r.day) if provisional else None
        if d is not None:
            dated.append(d)
    return max(dated) if dated else None


def _resolve_one(r: RawTime, anchor: Date | None) -> tuple[str | None, str | None, bool, str | None]:
    """(value, granularity, anchored, end_value) of one raw expression."""
    if r.kind == "date":
        assert r.month is not None and r.day is not None
        if r.year is not None:
            d = _safe_date(r.year, r.month, r.day)
        else:
            d = _nearest(anchor, r.month, r.day, r.weekday) if anchor else None
        if d is None:
            partial = f"--{r.month:02d}-{r.day:02d}"
            return (partial, "time" if r.hour is not None else "day", False, None)
        end = _safe_date(d.year, d.month, r.day2) if r.day2 else None
        value = d.isoformat()
        if r.hour is not None:
            return f"{value}T{r.hour:02d}:{r.minute or 0:02d}", "time", True, None
        return value, "day", True, end.isoformat() if end else None
    if r.kind == "month":
        assert r.month is not None
        if r.year is not None:
            return f"{r.year}-{r.month:02d}", "month", True, None
        if anchor is None:
            return f"--{r.month:02d}", "month", False, None
        d = _nearest(anchor.replace(day=1), r.month, 1)
        assert d is not None
        return f"{d.year}-{d.month:02d}", "month", True, None
    if r.kind == "year":
        return str(r.year), "year", True, None
    if r.kind == "clock":
        return None, "time", False, None
    if anchor is None:
        return None, "week" if r.unit == "week" else r.unit or "day", False, None
    if r.kind == "weekday":
        assert r.weekday is not None
        back = (anchor.weekday() - r.weekday) % 7
        if r.weekday_mode == "past":
            d = anchor - dt.timedelta(days=back)
        elif r.weekday_mode == "before":
            d = anchor - dt.timedelta(days=back or 7)
        elif r.weekday_mode == "after":
            d = anchor + dt.timedelta(days=((r.weekday - anchor.weekday()) % 7) or 7)
        else:
            d = _monday(anchor) + dt.timedelta(days=r.weekday)
        value = d.isoformat()
        if r.hour is not None:
            return f"{value}T{r.hour:02d}:{r.minute or 0:02d}", "time", True, None
        return value, "day", True, None
    # deictic, ago, near: an offset in some unit
    k = r.offset
    if r.unit == "day":
        d = anchor + dt.timedelta(days=k)
        if r.hour is not None:
            return f"{d.isoformat()}T{r.hour:02d}:{r.minute or 0:02d}", "time", True, None
        return d.isoformat(), "day", True, None
    if r.unit == "week":
        return (_monday(anchor) + dt.timedelta(weeks=k)).isoformat(), "week", True, None
    if r.unit == "month":
        y, m = _shift_month(anchor.year, anchor.month, k)
        return f"{y}-{m:02d}", "month", True, None
    return str(anchor.year + k), "year", True, None


def resolve(text: str, raws: tuple[RawTime, ...], anchor: Date | None) -> list[TimeSpan]:
    """Turn raw expressions into calendar values against `anchor` (None: unanchored)."""
    out = []
    for r in raws:
        value, gran, anchored, end = _resolve_one(r, anchor)
        out.append(TimeSpan(r.start, r.end, text[r.start : r.end], value, gran, anchored, r.relation, end))
    return out


def find_times(text: str, anchor: Date | None, lang: str = "id") -> list[TimeSpan]:
    """Every time expression in `text`, normalised against `anchor` (the publication date)."""
    return resolve(text, scan(text, lang), anchor)


def parse_published(value: str | None) -> Date | None:
    """The date part of an ISO date or datetime string; None when absent or unreadable."""
    if not value:
        return None
    try:
        return Date.fromisoformat(value[:10])
    except ValueError:
        return None


def data_lang(article: Article, resource: str) -> str | None:
    """Which language's data to read for `article`; None when its language has none (skip it).

    Indonesian data on other languages would misread them ("1,500" is 1.5 here), so an article in
    a known other language is only processed once `lang/<code>/<resource>` exists.
    """
    lang = article.language or "id"
    if lang == "id" or has(lang, resource):
        return lang
    return None


class TimeTagger:
    """Per-article stage: fills `article.times`; estimates a missing publication date."""

    name = "times"

    def __init__(self) -> None:
        time_grammar("id")  # load data and compile patterns once, up front

    def __call__(self, article: Article, context: Date | None = None) -> Article:
        """Tag `article`; `context` is a date from related articles, used only to place yearless dates."""
        lang = data_lang(article, "dates.json")
        if lang is None:
            return article
        raws = scan(article.text, lang)
        anchor = parse_published(article.published)
        if anchor is None:
            anchor = estimate_anchor(raws, context)
            if anchor is not None:
                article.published = anchor.isoformat()
                article.published_estimated = True
        article.times = [
            TimeExpr(
                id=f"{article.id}:t{k}",
                text=s.text,
                value=s.value,
                granularity=s.granularity,  # type: ignore[arg-type]
                anchored=s.anchored,
                cite=article.cite(s.start, s.end),
                end=s.end_value,
                relation=s.relation,
            )
            for k, s in enumerate(resolve(article.text, raws, anchor), 1)
        ]
        return article
