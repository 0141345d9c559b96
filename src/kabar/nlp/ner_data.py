"""Readers for token-per-line NER datasets, and the tag/span conversions training and scoring share.

The Indonesian NER sets name the same three types differently (PERSON/PER,
PLACE/LOCATION/LOC, ORGANISATION/ORGANIZATION/ORG) and come as TSV
(`token<TAB>tag`) or CoNLL (`token POS tag`, CRLF line ends), tagged BIO or
BILOU. Everything is normalised here to token spans with PER/ORG/LOC labels so
the trainer and the scorer see one shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

LABELS = ("PER", "ORG", "LOC")

DEFAULT_LABEL_MAP: dict[str, str] = {
    "PER": "PER",
    "PERSON": "PER",
    "ORG": "ORG",
    "ORGANIZATION": "ORG",
    "ORGANISATION": "ORG",
    "LOC": "LOC",
    "LOCATION": "LOC",
    "PLACE": "LOC",
}

Span = tuple[int, int, str]  # token start, token end (exclusive), label


@dataclass
class TaggedSentence:
    """One sentence: its tokens and the entity spans over them (token offsets)."""

    words: list[str]
    spans: list[Span]

    def key(self) -> str:
        """Tokenisation-independent identity, so the same sentence in two sets is found as one."""
        return sentence_key(self.words)


def sentence_key(words: Iterable[str]) -> str:
    """Lowercased letters and digits only: survives different tokenisation and spacing of one sentence."""
    return re.sub(r"[\W_]+", "", "".join(words).lower())


def map_label(label: str, label_map: Mapping[str, str] | None) -> str | None:
    """The PER/ORG/LOC name of a dataset's label; None drops the type.

    With an explicit `label_map`, labels it lacks are dropped; without one the
    default map applies and unknown labels are kept under their own name.
    """
    if label_map is None:
        return DEFAULT_LABEL_MAP.get(label.upper(), label)
    return label_map.get(label, label_map.get(label.upper()))


def tags_to_spans(tags: list[str]) -> list[Span]:
    """Token spans from BIO, IOB1 or BILOU tags (prefix `B-`, `I-`, `L-`/`E-`, `U-`/`S-`).

    An `I-` that does not continue an entity of its type starts one, as
    conlleval does, so sloppy files still give sensible spans.
    """
    spans: list[Span] = []
    start, label = -1, ""

    def close(end: int) -> None:
        nonlocal start, label
        if start >= 0:
            spans.append((start, end, label))
        start, label = -1, ""

    for i, tag in enumerate(tags):
        if tag in ("O", "", "_", "-"):
            close(i)
            continue
        prefix, _, typ = tag.partition("-")
        if not typ:  # a bare type name: treat as inside
            prefix, typ = "I", tag
        prefix = prefix.upper()
        if prefix in ("B", "U", "S") or typ != label:
            close(i)
            start, label = i, typ
        if prefix in ("U", "S", "L", "E"):
            close(i + 1)
    close(len(tags))
    return spans


def spans_to_biluo(n: int, spans: Iterable[Span]) -> list[str]:
    """BILOU tags for `n` tokens; the inverse of `tags_to_spans`."""
    tags = ["O"] * n
    for s, e, label in spans:
        if e - s == 1:
            tags[s] = f"U-{label}"
            continue
        tags[s] = f"B-{label}"
        for i in range(s + 1, e - 1):
            tags[i] = f"I-{label}"
        tags[e - 1] = f"L-{label}"
    return tags


def _map_tag(tag: str, label_map: Mapping[str, str] | None) -> str:
    """The tag with its type mapped (before spans are cut, so I-ORGANIZATION continues B-ORGANISATION)."""
    if tag in ("O", "", "_", "-"):
        return tag
    prefix, sep, typ = tag.partition("-")
    if not sep:  # IO files tag with the bare type
        return map_label(tag, label_map) or "O"
    mapped = map_label(typ, label_map)
    return f"{prefix}-{mapped}" if mapped else "O"


def _split(line: str, fmt: str) -> tuple[str, str]:
    """Token and tag of one line: TSV keeps spaces inside a token; CoNLL has the tag last."""
    if fmt == "tsv":
        cols = line.split("\t")
        return cols[0], cols[-1].strip() if len(cols) > 1 else "O"
    cols = line.split()
    return cols[0], cols[-1] if len(cols) > 1 else "O"


def detect_format(path: str | Path) -> str:
    """'tsv' when the first data line has a tab, else 'conll'."""
    with open(path, encoding="utf-8", newline=None) as f:
        for line in f:
            if line.strip():
                return "tsv" if "\t" in line else "conll"
    return "tsv"


def read_ner(
    path: str | Path, fmt: str | None = None, label_map: Mapping[str, str] | None = None
) -> list[TaggedSentence]:
    """Sentences of a token-per-line NER file (blank line between sentences; CRLF or LF).

    `fmt` is "tsv", "conll" or None (detect). Tag types go through `map_label`;
    a type that maps to None becomes O.
    """
    fmt = fmt or detect_format(path)
    if fmt not in ("tsv", "conll"):
        raise ValueError(f"unknown NER format {fmt!r} (tsv or conll)")
    out: list[TaggedSentence] = []
    words: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if words:
            out.append(TaggedSentence(list(words), tags_to_spans(tags)))
        words.clear()
        tags.clear()

    # newline=None turns CRLF into LF, so a stray \r never sticks to a tag
    with open(path, encoding="utf-8-sig", newline=None) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("-DOCSTART-"):
                flush()
                continue
            word, tag = _split(line, fmt)
            words.append(word)
            tags.append(_map_tag(tag, label_map))
    flush()
    return out


def dedupe(train: list[TaggedSentence], *against: Iterable[TaggedSentence]) -> list[TaggedSentence]:
    """`train` without sentences that occur in any evaluation set, and without its own repeats."""
    seen = {s.key() for group in against for s in group}
    out = []
    for s in train:
        k = s.key()
        if k and k not in seen:
            seen.add(k)
            out.append(s)
    return out
