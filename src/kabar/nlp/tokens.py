"""A small exact-offset tokenizer and a token trie for phrase lists.

Rules and gazetteers match phrases token by token. spaCy's tokenizer is not
needed for that and costs more than these few regex passes; every token keeps
its character offsets into the text it came from, so spans stay citable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Generic, NamedTuple, TypeVar

V = TypeVar("V")

# A word is letters/digits, possibly joined by inner apostrophes ("O'Brien");
# anything else is a one-char token. Hyphens split ("Rusia-Korut" is two names,
# "Bangsa-bangsa" and "Bangsa-Bangsa" tokenize alike); `joined` tells a
# hyphen inside a word from a free-standing one.
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]|_")
_FOLD_PUNCT = str.maketrans({"’": "'", "‘": "'", "‐": "-", "–": "-", "—": "-"})


class Token(NamedTuple):
    start: int
    end: int
    text: str
    key: str  # fold(text), computed once: every trie step compares it
    is_word: bool  # starts with a letter or digit
    is_cap: bool  # starts with an upper-case letter: the cheap proper-noun signal in Latin scripts


def joined(tokens: Sequence[Token], i: int) -> bool:
    """True when tokens[i] touches both neighbours (the "-" of "Jang-won")."""
    return 0 < i < len(tokens) - 1 and tokens[i - 1].end == tokens[i].start and tokens[i].end == tokens[i + 1].start


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of `text` with offsets shifted by `offset` (for a slice of a longer text).

    Every stage that matches names tokenizes whole articles, so this loop is kept plain:
    tuples built directly and ASCII words folded inline run in about half the time."""
    out = []
    new = tuple.__new__
    for m in _TOKEN.finditer(text):
        w = m.group()
        a, b = m.span()
        out.append(new(Token, (a + offset, b + offset, w, w.lower() if w.isascii() else fold(w), w[0].isalnum(), w[0].isupper())))
    return out


def fold(s: str) -> str:
    """Case- and accent-insensitive form used for every lookup key."""
    if s.isascii():
        return s.lower()
    s = unicodedata.normalize("NFKD", s.translate(_FOLD_PUNCT).casefold())
    return "".join(c for c in s if not unicodedata.combining(c))


def norm_key(text: str) -> str:
    """Lookup key of a phrase: folded words joined by one space, punctuation dropped."""
    return " ".join(t.key for t in tokenize(text) if t.is_word)


def levenshtein(a: str, b: str) -> int:
    """Edit distance; the strings compared here are names, so the plain DP is enough."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


class PhraseTrie(Generic[V]):
    """Folded token sequences -> values, matched longest-first at a token position.

    Each value carries the phrase's own tokens so a caller can add a case check;
    `longest` returns the longest phrase at `i` whose check passes.
    """

    def __init__(self) -> None:
        self._root: dict = {}
        # First word -> the phrases after it: `key in trie.starts` is the cheap test before `longest`,
        # asked of every word of every article, so a plain dict lookup rather than a method call.
        self.starts = self._root

    def add(self, phrase: str, value: V) -> bool:
        toks = tokenize(phrase)
        if not toks:
            return False
        node = self._root
        for t in toks:
            node = node.setdefault(t.key, {})
        node.setdefault(None, []).append((tuple(t.text for t in toks), value))
        return True

    def longest(self, tokens: Sequence[Token], i: int, ok=None) -> tuple[int, V] | None:
        """(end token index, value) of the longest match starting at `i`, or None.

        `ok(phrase_tokens, text_tokens, value)` may veto a candidate (case rules).
        """
        node = self._root
        best: tuple[int, V] | None = None
        j = i
        while j < len(tokens):
            node = node.get(tokens[j].key)
            if node is None:
                break
            j += 1
            for phrase, value in node.get(None, ()):
                if ok is None or ok(phrase, tokens[i:j], value):
                    best = (j, value)
                    break
        return best
