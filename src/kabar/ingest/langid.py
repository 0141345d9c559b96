"""Offline language identification for news: py3langid, restricted, plus a Malay/Indonesian referee.

Character n-grams tell English from Indonesian easily but rank Malay and Indonesian close
together. When those two lead, distinctive words (lang/id/langid_cues.json: "kerana",
"selepas", "peratus" against "karena", "setelah", "persen") add their log-odds to the
identifier's, so a Bernama story and a Kompas story come apart.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from kabar import lang

UNDETERMINED = "und"
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_PAIR = ("id", "ms")
_SAMPLE_CHARS = 1200  # two or three paragraphs decide a language; more only costs time (langid is linear in it)


class Identifier:
    """Loads the model once; `identify(text)` -> (code, scores of the leading languages)."""

    def __init__(self) -> None:
        cues = lang.load_json("id", "langid_cues.json")
        self.model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self.model.set_languages([c for c in cues["languages"] if c in self.model.labels])
        self.weight = float(cues["weight"])
        self.min_chars = int(cues["min_chars"])
        # word -> (language, weight) for single words; first word -> [(phrase, language, weight)] for phrases
        self.words: dict[str, list[tuple[str, float]]] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], str, float]]] = {}
        for code in _PAIR:
            for cue, weight in cues[code].items():
                parts = tuple(cue.split())
                if len(parts) == 1:
                    self.words.setdefault(cue, []).append((code, float(weight)))
                else:
                    self.phrases.setdefault(parts[0], []).append((parts, code, float(weight)))

    def lexical(self, text: str) -> dict[str, float]:
        """Summed cue weights per language of the pair, over the words and phrases of `text`."""
        words = [w.lower() for w in _WORD.findall(text)]
        score = dict.fromkeys(_PAIR, 0.0)
        for word, count in Counter(words).items():
            for code, weight in self.words.get(word, ()):
                score[code] += weight * count
        for i, word in enumerate(words):
            for parts, code, weight in self.phrases.get(word, ()):
                if tuple(words[i : i + len(parts)]) == parts:
                    score[code] += weight
        return score

    def identify(self, text: str) -> tuple[str, dict[str, float]]:
        sample = text[:_SAMPLE_CHARS]
        if len(_WORD.findall(sample[:400])) < 2 or len(sample.strip()) < self.min_chars:
            return UNDETERMINED, {}
        ranked = self.model.rank(sample)
        probs = {code: p for code, p in ranked[:5]}
        if ranked[0][0] in _PAIR:
            p_id, p_ms = probs.get("id", 1e-9), probs.get("ms", 1e-9)
            lex = self.lexical(sample)
            logit = math.log(max(p_ms, 1e-12) / max(p_id, 1e-12)) + self.weight * (lex["ms"] - lex["id"])
            logit = max(-50.0, min(50.0, logit))
            total = p_id + p_ms
            probs["ms"] = total / (1.0 + math.exp(-logit))
            probs["id"] = total - probs["ms"]
        best = max(probs, key=probs.__getitem__)
        return best, {k: round(v, 4) for k, v in sorted(probs.items(), key=lambda kv: -kv[1]) if v >= 1e-4}


@lru_cache(maxsize=1)
def identifier() -> Identifier:
    return Identifier()


def identify(text: str) -> tuple[str, dict[str, float]]:
    """(ISO 639-1 code or 'und', {code: probability}) for `text`."""
    return identifier().identify(text)
