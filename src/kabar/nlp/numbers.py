"""Numbers as a language writes them: digit strings with local separators, number words, vague amounts.

Indonesian writes "1.500" for 1500 and "1,2" for 1.2, spells numbers out ("dua belas ribu",
"seribu lima ratus") and uses vague plurals ("ribuan", "puluhan ribu"). Both quantities
("12.000 tentara") and times ("tiga hari lalu") need the same reading, so it lives here.
All words and separators come from `lang/<code>/numbers.json`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from kabar.lang import load_json

# One token: a digit run with inner separators, a (hyphenated) word, or one other character.
_TOKEN = re.compile(r"[ \t\u00a0]*(\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?(?:-[^\W\d_]+)*|\S)")


@dataclass(frozen=True, slots=True)
class Number:
    """A number read at `text[start:end]`; `low == high` unless the wording is vague ("ribuan")."""

    start: int
    end: int
    low: float
    high: float
    kind: str  # digits | words | vague
    scale: float | None = None  # trailing scale word ("12 ribu" -> 1000), for "10 dan 12 ribu"
    loose: bool = False  # a point decimal ("1.5"): only trusted before a scale word or percent
    plain: bool = False  # bare digits without separators ("2024", "182194484")


# Where a number or a time can start: digit runs (with date/time separators) and whole words.
_ANCHOR = re.compile(r"\d+(?:[.,/:-]\d+)*|[^\W\d_]+(?:['’-][^\W\d_]+)*")


@lru_cache(maxsize=16)
def anchors(text: str) -> tuple[tuple[int, str], ...]:
    """(start, lower-case token) of every digit run and word of `text`, computed once per text.

    Scanners look words up in tables and try their patterns only where a token can start an
    expression: one cheap pass instead of one regex sweep per pattern (several times faster).
    """
    return tuple([(m.start(), m.group()) for m in _ANCHOR.finditer(lower_keep_offsets(text))])


def alternation(words) -> str:
    """Regex alternation of literal words, longest first; a space matches any whitespace run."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


def sentence_start(text: str, pos: int) -> bool:
    """Whether only quotes, brackets or spaces stand between `pos` and the start of its sentence."""
    i = pos - 1
    while i >= 0 and text[i] in " \t\"“‘'(":
        i -= 1
    return i < 0 or text[i] in ".!?\n:"


def word_before(text: str, pos: int) -> tuple[str, int]:
    """The word ending just before `pos` (spaces, or a spaced hyphen "ke - 62", between) and its
    start; ("", -1) when there is none. A trailing dot is kept ("No.")."""
    i = pos
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if i > 0 and text[i - 1] == "-":
        i -= 1
        while i > 0 and text[i - 1] in " \t":
            i -= 1
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    return (text[j:i], j) if j < i else ("", -1)


def after_name(text: str, pos: int) -> bool:
    """Right after a capitalised word that does not open its sentence: part of a name
    ("Telkom 1", "Kepulauan Seribu")."""
    prev, start = word_before(text, pos)
    return prev[:1].isupper() and not sentence_start(text, start)


def lower_keep_offsets(text: str) -> str:
    """Lower case with offsets kept (patterns run on it, cites on the original): a character
    that lowers to two ("İ") stays as it is."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def tokens(text: str, pos: int) -> Iterator[tuple[int, int, str]]:
    """Tokens from `pos` on, stopping at a line break: numbers never span lines."""
    while True:
        m = _TOKEN.match(text, pos)
        if m is None:
            return
        yield m.start(1), m.end(1), m.group(1)
        pos = m.end()


class NumberGrammar:
    """Reads numbers of one language; build once per language (see `grammar`)."""

    def __init__(self, lang: str = "id") -> None:
        d = load_json(lang, "numbers.json")
        self.dec: str = d["decimal_sep"]
        self.thou: str = d["thousands_sep"]
        self.units: dict[str, int] = d["units"]
        self.teen: str = d["teen"]
        self.tens: str = d["tens"]
        self.hundreds: str = d["hundreds"]
        self.scales: dict[str, float] = {k: float(v) for k, v in d["scales"].items()}
        self.fractions: dict[str, float] = d["fractions"]
        self.vague: dict[str, tuple[float, float]] = {k: (float(a), float(b)) for k, (a, b) in d["vague"].items()}
        self.several: dict[str, tuple[float, float]] = {k: (float(a), float(b)) for k, (a, b) in d["several"].items()}
        one = d["one_prefix"]
        # "seratus" is "one hundred", "seribu" "one thousand": a 1 followed by the multiplier.
        self.one_forms: dict[str, str] = {one + w: w for w in (self.teen, self.tens, self.hundreds, *self.scales)}
        self.start_words: frozenset[str] = frozenset(
            [*self.units, *self.one_forms, *self.fractions, *self.vague, *self.several]
        )
        inner = [*self.start_words, self.teen, self.tens, self.hundreds, *self.scales]
        alt = "|".join(re.escape(w) for w in sorted(inner, key=len, reverse=True))
        # A run of number words, for other grammars (times: "tiga hari lalu") to embed.
        self.words_pattern = rf"(?:{alt})(?:\s+(?:{alt}))*"

    # --- digits ------------------------------------------------------------------

    @staticmethod
    def _grouped(s: str, sep: str) -> int | None:
        """`s` as an integer written with `sep` every three digits (or none), else None."""
        parts = s.split(sep)
        if len(parts) > 1 and not (
            1 <= len(parts[0]) <= 3 and parts[0][0] != "0" and all(len(p) == 3 for p in parts[1:])
        ):
            return None
        return int("".join(parts))

    def parse_digits(self, s: str) -> tuple[float, bool] | None:
        """`(value, loose)` for a digit string; None when the separators make no number.

        Local convention first ("1.500" = 1500, "1,5" = 1.5). A lone foreign point decimal
        ("1.5") is returned as loose; "1,500,000" (foreign grouping) is read as grouping.
        """
        dec, thou = self.dec, self.thou
        has_dec, has_thou = dec in s, thou in s
        if not has_dec and not has_thou:
            return float(s), False
        if has_thou and not has_dec:
            whole = self._grouped(s, thou)
            if whole is not None:
                return float(whole), False
            head, _, tail = s.partition(thou)
            if thou not in tail and (len(tail) <= 2 or head == "0"):
                return float(f"{head}.{tail}"), True
            return None
        if has_dec and not has_thou:
            if s.count(dec) == 1:
                head, _, tail = s.partition(dec)
                return float(f"{head}.{tail}"), False
            whole = self._grouped(s, dec)
            return (float(whole), False) if whole is not None else None
        # Both separators: whichever comes last is the decimal mark.
        d_at, t_at = s.rfind(dec), s.rfind(thou)
        grp, mark = (thou, dec) if d_at > t_at else (dec, thou)
        head, _, tail = s.rpartition(mark)
        whole = self._grouped(head, grp)
        if whole is None or grp in tail:
            return None
        return float(f"{whole}.{tail}"), False

    # --- words -------------------------------------------------------------------

    def _steps(self, w: str) -> list[tuple[str, float]] | None:
        """Atomic steps of one number word: "seratus" -> [(unit, 1), (hundreds, 100)]."""
        if w in self.units:
            return [("unit", self.units[w])]
        if w in self.one_forms:
            return [("unit", 1), *self._steps(self.one_forms[w])]  # type: ignore[misc]
        if w == self.teen:
            return [("teen", 10)]
        if w == self.tens:
            return [("tens", 10)]
        if w == self.hundreds:
            return [("hundreds", 100)]
        if w in self.scales:
            return [("scale", self.scales[w])]
        if w in self.fractions:
            return [("frac", self.fractions[w])]
        return None

    def _words(self, toks: Iterator[tuple[int, int, str]], first: tuple[int, int, str]) -> Number | None:
        """A spelled-out number: units, belas/puluh/ratus inside a group, scales between groups."""
        total = group = 0.0
        pending: float | None = None
        stage = 0  # 0 group start, 1 after hundreds, 2 after tens, 3 complete
        last_scale = math.inf
        n_scales = 0
        ends_in_scale = False
        end = -1
        tok: tuple[int, int, str] | None = first
        while tok is not None:
            steps = self._steps(tok[2].lower())
            if steps is None:
                break
            state = (total, group, pending, stage, last_scale)
            ok = True
            for kind, v in steps:
                if kind == "unit":
                    ok = pending is None and stage < 3
                    pending = v if ok else pending
                elif kind in ("teen", "tens", "hundreds"):
                    limit = 0 if kind == "hundreds" else 1
                    ok = pending is not None and stage <= limit
                    if ok:
                        assert pending is not None
                        group += (10 + pending) if kind == "teen" else pending * v
                        pending, stage = None, {"teen": 3, "tens": 2, "hundreds": 1}[kind]
                elif kind == "scale":
                    g = group + (pending or 0.0)
                    ok = g > 0 and v < last_scale
                    if ok:
                        total, group, pending, stage, last_scale = total + g * v, 0.0, None, 0, v
                elif kind == "frac":
                    if pending is not None:
                        group, pending, stage = group + pending + v, None, 3
                    else:
                        ok = group == 0 and total == 0
                        group, stage = (v, 3) if ok else (group, stage)
                if not ok:
                    break
            if not ok:
                total, group, pending, stage, last_scale = state
                break
            n_scales += steps[-1][0] == "scale"
            ends_in_scale = steps[-1][0] == "scale"
            end = tok[1]
            tok = next(toks, None)
        if end < 0:
            return None
        value = total + group + (pending or 0.0)
        scale = last_scale if ends_in_scale and n_scales == 1 else None
        return Number(first[0], end, value, value, "words", scale)

    def _vague(self, toks: Iterator[tuple[int, int, str]], first: tuple[int, int, str]) -> Number | None:
        """"ribuan", "puluhan ribu", "beberapa ratus": a range, widened by following multipliers."""
        w = first[2].lower()
        several = w in self.several
        lo, hi = self.several[w] if several else self.vague[w]
        end, multiplied = first[1], False
        mult = {self.tens: 10.0, self.hundreds: 100.0} if several else {}
        for s, e, t in toks:
            f = mult.pop(t.lower(), None) or self.scales.get(t.lower())
            if f is None:
                break
            lo, hi, end, multiplied = lo * f, hi * f, e, True
            if t.lower() in self.scales:
                break
        if several and not multiplied:
            return None  # "beberapa" alone is not a number
        return Number(first[0], end, lo, hi, "vague")

    def parse_at(self, text: str, pos: int) -> Number | None:
        """The number that starts exactly at `pos`, or None."""
        toks = tokens(text, pos)
        first = next(toks, None)
        if first is None or first[0] != pos:
            return None
        t = first[2]
        if t[0].isdecimal():  # not isdigit: "¹", "²" are digits to str but no number to float()
            parsed = self.parse_digits(t)
            if parsed is None:
                return None
            v, loose = parsed
            nxt = next(toks, None)
            scale = self.scales.get(nxt[2].lower()) if nxt else None
            if nxt is not None and scale is not None:
                return Number(pos, nxt[1], v * scale, v * scale, "digits", scale, loose)
            return Number(pos, first[1], v, v, "digits", None, loose, plain=t.isdecimal())
        w = t.lower()
        if w in self.vague or w in self.several:
            return self._vague(toks, first)
        return self._words(toks, first) if w in self.start_words else None

    def value(self, s: str) -> float | None:
        """The value of a string that is exactly one number ("tiga", "12"), else None."""
        n = self.parse_at(s, 0)
        return n.low if n is not None and n.end == len(s.rstrip()) and n.low == n.high else None


@lru_cache(maxsize=None)
def grammar(lang: str = "id") -> NumberGrammar:
    """The shared, immutable grammar of `lang` (data loaded once)."""
    return NumberGrammar(lang)


def parse_number(s: str, lang: str = "id") -> float | None:
    """Convenience: "dua belas ribu" -> 12000.0, "1.500" -> 1500.0, "1,2" -> 1.2."""
    return grammar(lang).value(s.strip())
