"""Quantities: a number, its bounds, and what it counts ("lebih dari 10.000 prajurit").

Reconciling reports means comparing figures ("1.500 pasukan khusus" vs "ribuan prajurit"),
so each quantity is reduced to bounds plus a qualifier, and the counted noun to a concept
from `lang/<code>/units.json` (pasukan, tentara, prajurit -> troops).

Bounds by qualifier: "=" low == high (a range "10.000 hingga 12.000" has low < high);
">" / ">=" low only; "<" / "<=" high only; "~" approximate, low == high, or the range of a vague
amount ("ribuan" 1000..9999, "puluhan" 10..99: wide on purpose, see numbers.json). "hampir"
(almost) is "~": reporters use it for round figures near the true one, and "<" would make
"hampir 10.000" conflict with "10.000". "hingga"/"mencapai" before a number are upper bounds.

Not quantities: dates, clock times and years (the time scanner's spans are excluded),
numbers glued to letters ("G20", "Su-27", "ke-3"), ids and phone numbers, list markers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from kabar.lang import load_json
from kabar.model import Article, Quantity
from kabar.nlp.numbers import Number, after_name, alternation, anchors, grammar, tokens, word_before
from kabar.nlp.times import data_lang, scan

_PHONE = re.compile(r"(?:\+\d{2,3}|\(0\d{1,3}\)|0\d{2,4})(?:[ -]?\d{2,5}){2,4}(?!\d)")
_SYMBOL = re.compile(r"[ \t]?(\S)")
_DASH_CHAIN = re.compile(r"\d{1,3}(?:[ \t]?[-–][ \t]?\d{1,3}(?![\d.,]\d|[.,]\d)){1,}(?![\d.,]?\d)")


@dataclass(frozen=True, slots=True)
class QuantitySpan:
    """One quantity at `text[start:end]` (qualifier, number, counted noun), numbers at value_start:value_end."""

    start: int
    end: int
    text: str
    low: float | None
    high: float | None
    qualifier: str
    value_text: str
    unit_text: str | None
    concept: str | None
    value_start: int
    value_end: int


class QuantityGrammar:
    """Compiled patterns and tables of one language."""

    def __init__(self, lang: str = "id") -> None:
        self.lang = lang
        self.num = grammar(lang)
        n = load_json(lang, "numbers.json")
        u = load_json(lang, "units.json")
        self.nouns: dict[str, str] = u["nouns"]
        self.max_noun = max(len(k.split()) for k in self.nouns)
        self.prefixes: dict[str, list[str]] = u["prefixes"]
        self.symbols: dict[str, str] = u["symbols"]
        self.classifiers = frozenset(u["classifiers"])
        self.not_units = frozenset(u["not_units"])
        self.qualifiers: dict[str, str] = {" ".join(k.split()): v for k, v in n["qualifiers"].items()}
        self.postfix_more = frozenset(n["postfix_more"])
        self.approx_suffix: str = n["approx_suffix"]
        self.not_after = frozenset(n["not_number_after"])
        self.not_count_before = frozenset(n["not_count_before"])
        self.idioms = re.compile(rf"(?:{alternation(n['idioms'])})(?![\w-])", re.IGNORECASE)
        flags = re.IGNORECASE
        self.qualifier_before = re.compile(rf"(?<![\w-])(?P<q>{alternation(self.qualifiers)})\s+\Z", flags)
        self.prefix_before = re.compile(rf"(?<![\w$])(?P<p>{alternation(self.prefixes)})\s*\Z", flags)
        self.between_before = re.compile(rf"(?<![\w-])(?:{alternation(n['range_between'])})\s+\Z", flags)
        only_between = n["range_between_only"]
        conn = [c for c in n["range_connectors"] if c not in only_between]
        signs, words = [c for c in conn if not c[0].isalpha()], [c for c in conn if c[0].isalpha()]
        self.connector = re.compile(rf"\s*(?:{alternation(signs)})\s*|\s+(?:{alternation(words)})\s+", flags)
        self.connector_between = re.compile(rf"\s+(?:{alternation(only_between)})\s+|{self.connector.pattern}", flags)
        self.approx = re.compile(rf"-{re.escape(self.approx_suffix)}(?![\w-])")
        self.more_after = re.compile(rf"[ \t]+(?:{alternation(self.postfix_more)})(?![\w-])", flags)

    # --- context checks ------------------------------------------------------------

    def _glued_left(self, text: str, s: int) -> bool:
        """Digits attached to a word or code before them: "G20", "Su-27", "ke-3", "v1", "#5"."""
        if s == 0:
            return False
        c = text[s - 1]
        if c.isalnum() or c in "_#@/\\":
            return True
        return c in "-.:" and s >= 2 and text[s - 2].isalnum()

    def _rejected_before(self, text: str, num: Number) -> bool:
        """Context before the number that makes it not a count."""
        low = word_before(text, num.start)[0].lower().rstrip(".")
        if low in self.not_count_before or (num.kind == "words" and low in self.not_after):
            return True
        if num.kind != "digits":
            # "Kepulauan Seribu", "Tiga Serangkai": a capitalised number word inside a name
            return text[num.start].isupper() and after_name(text, num.start)
        return False

    def _is_code(self, text: str, num: Number, digits: str) -> bool:
        """Ids, list markers, ratios and lone parenthesised numbers."""
        s, e = num.start, num.end
        if num.plain and (len(digits) >= 7 or (len(digits) > 1 and digits[0] == "0")):
            return True
        if text[max(0, s - 1) : s] == "(" and text[e : e + 1] == ")":
            return True
        after = text[e : e + 1]
        if num.plain and after in (".", ")") and text[e + 1 : e + 2] in ("", " ", "\t", "\n"):
            line_start = text.rfind("\n", 0, s) + 1
            if not text[line_start:s].strip():
                return True
        if after in ("/", ":") and text[e + 1 : e + 2].isdigit():
            return True
        return False

    # --- the counted noun ------------------------------------------------------------

    def _unit(self, text: str, pos: int) -> tuple[str | None, str | None, int]:
        """(unit_text, concept, end) of the noun phrase right after a number, else (None, None, pos)."""
        sym = _SYMBOL.match(text, pos, pos + 2)
        if sym and sym.group(1) in self.symbols:
            return self.symbols[sym.group(1)], self.nouns.get(sym.group(1)), sym.end()
        words: list[tuple[int, int, str]] = []
        for s, e, t in tokens(text, pos):
            if not t[0].isalpha() or len(words) > self.max_noun + 1:
                break
            words.append((s, e, t))
        if not words:
            return None, None, pos
        low = [w[2].lower() for w in words]
        k = 1 if len(low) > 1 and low[0] == low[1] else 0  # "1.500 pasukan pasukan khusus"
        if low[k] in self.classifiers and (inner := self._longest(low, k + 1)):  # "tiga orang prajurit"
            k, match = k + 1, inner
        else:
            match = self._longest(low, k)
        if match:
            s, e = words[k][0], words[k + match - 1][1]
            return text[s:e], self.nouns[" ".join(low[k : k + match])], e
        w = words[0]
        if w[2].islower() and low[0] not in self.not_units and low[0] not in self.num.start_words:
            return w[2], None, w[1]
        return None, None, pos

    def _longest(self, low: list[str], k: int) -> int:
        for n in range(min(self.max_noun, len(low) - k), 0, -1):
            if " ".join(low[k : k + n]) in self.nouns:
                return n
        return 0

    # --- one quantity ------------------------------------------------------------------

    def _range(self, text: str, num: Number, between: bool) -> tuple[float, float, int, bool] | None:
        """(low, high, end, loose) when a second number closes a range: "10.000 hingga 12.000",
        "10.000-12.000", "antara 10 dan 12 ribu" (the scale word is shared)."""
        conn = (self.connector_between if between else self.connector).match(text, num.end)
        if conn is None or num.kind == "vague":
            return None
        second = self.num.parse_at(text, conn.end())
        if second is None or second.kind == "vague":
            return None
        low = num.low
        if num.scale is None and second.scale is not None and num.low <= second.low / second.scale:
            low = num.low * second.scale
        return (low, second.high, second.end, second.loose) if low < second.low else None

    def _suffix(self, text: str, num: Number, end: int, qualifier: str) -> tuple[str, int] | None:
        """Qualifier and end after words that follow the number: "1.000-an" (~), "10.000 lebih
        prajurit" (>); None for a decade ("1990-an")."""
        if num.kind == "digits" and (a := self.approx.match(text, end)):
            if num.plain and 1900 <= num.low <= 2099:
                return None
            return "~", a.end()
        more = self.more_after.match(text, end)
        if more and qualifier == "=":
            nxt = next(tokens(text, more.end()), None)
            if nxt is None or not nxt[2][0].isalpha() or self._unit(text, more.end())[1] is not None:
                return ">", more.end()
        return qualifier, end

    def at(self, text: str, s: int) -> QuantitySpan | None:
        """The quantity whose number starts at `s`, or None when it is no count."""
        prefix = self.prefix_before.search(text, max(0, s - 6), s)
        if prefix is None and self._glued_left(text, s):
            return None
        num = self.num.parse_at(text, s)
        if num is None or self._rejected_before(text, num):
            return None
        if num.kind == "words" and self.idioms.match(text, s):
            return None  # "satu sama lain": each other
        if num.kind == "digits" and prefix is None and self._is_code(text, num, text[num.start : num.end]):
            return None
        start = prefix.start() if prefix else s
        between = self.between_before.search(text, max(0, start - 12), start)
        low_v, high_v, end, loose = num.low, num.high, num.end, num.loose
        rng = self._range(text, num, between is not None)
        if rng is not None:
            low_v, high_v, end, loose = rng
            start = between.start() if between else start
        if loose and not (num.scale or self._is_percent(text, end)):
            return None
        value_end = end
        suffix = self._suffix(text, num, end, "~" if num.kind == "vague" else "=")
        if suffix is None:
            return None
        qualifier, end = suffix
        if prefix is not None:
            unit_text, concept = self.prefixes[" ".join(prefix.group("p").lower().split())]
            u_end = end
        else:
            unit_text, concept, u_end = self._unit(text, end)
            if text[end : end + 1].isalpha() and concept is None:
                return None  # "4G", "3D": digits glued to letters that are no unit
        if concept is None and prefix is None and num.kind == "digits":
            if num.plain and 1900 <= num.low <= 2099:
                return None  # a year the time scanner did not claim
            if after_name(text, s):
                return None  # "Telkom 1", "Liga 1", "Perang Dunia 2": a number inside a name
        q = self.qualifier_before.search(text, max(0, start - 30), start) if qualifier == "=" else None
        if q is not None:
            qualifier = self.qualifiers[" ".join(q.group("q").lower().split())]
            start = q.start()
        if qualifier in (">", ">="):
            high_v = None
        elif qualifier in ("<", "<="):
            low_v = None
        end = max(end, u_end)
        return QuantitySpan(
            start, end, text[start:end], low_v, high_v, qualifier, text[s:value_end], unit_text, concept, s, value_end
        )

    def _is_percent(self, text: str, pos: int) -> bool:
        return self._unit(text, pos)[1] == self.nouns.get("%")

    @staticmethod
    def _scores(text: str, s: int) -> re.Match | None:
        """"2 - 1", "3-5-2": scores and formations (falling pairs, chains of three), not ranges."""
        m = _DASH_CHAIN.match(text, s)
        if m is None:
            return None
        nums = [int(x) for x in re.findall(r"\d+", m.group())]
        return m if len(nums) > 2 or nums[0] >= nums[1] else None

    def find(self, text: str) -> list[QuantitySpan]:
        """Every quantity in `text`, in order, skipping what the time scanner claims."""
        blocked = [(r.start, r.end) for r in scan(text, self.lang)]
        starts = [b[0] for b in blocked]
        out: list[QuantitySpan] = []
        done = 0
        start_words = self.num.start_words
        # most anchors are plain words: drop them in one pass before the loop
        firsts = [(s, tok) for s, tok in anchors(text) if tok[0].isdecimal() or tok in start_words]
        for s, tok in firsts:
            if s < done:
                continue
            i = bisect_right(starts, s) - 1
            if i >= 0 and blocked[i][1] > s:  # inside a date or time
                continue
            skip = _PHONE.match(text, s - 1 if s and text[s - 1] in "+(" else s) or self._scores(text, s)
            if skip is not None:
                done = skip.end()
                continue
            q = self.at(text, s)
            if q is None:
                continue
            j = bisect_right(starts, q.value_end - 1) - 1
            if j >= 0 and blocked[j][1] > q.value_start and blocked[j][0] < q.value_end:
                continue  # the number runs into a date ("10.000 - 28/10")
            out.append(q)
            done = q.end
        return out


@lru_cache(maxsize=None)
def quantity_grammar(lang: str = "id") -> QuantityGrammar:
    return QuantityGrammar(lang)


def find_quantities(text: str, lang: str = "id") -> list[QuantitySpan]:
    """Every quantity in `text` with bounds, qualifier, value text, counted noun and concept."""
    return quantity_grammar(lang).find(text)


class QuantityExtractor:
    """Per-article stage: fills `article.quantities` from the article text."""

    name = "quantities"

    def __init__(self) -> None:
        quantity_grammar("id")  # load data and compile patterns once, up front

    def __call__(self, article: Article) -> Article:
        lang = data_lang(article, "numbers.json")
        if lang is None:
            return article
        teasers = [(c.start, c.end) for c in article.related_headlines]
        article.quantities = [
            Quantity(
                id=f"{article.id}:n{k}",
                low=q.low,
                high=q.high,
                qualifier=q.qualifier,  # type: ignore[arg-type]
                cite=article.cite(q.start, q.end),
                unit_text=q.unit_text,
                concept=q.concept,
                value_text=q.value_text,
                context="related-headline" if any(a <= q.start and q.end <= b for a, b in teasers) else "body",
            )
            for k, q in enumerate(quantity_grammar(lang).find(article.text), 1)
        ]
        return article
