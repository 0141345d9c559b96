"""Self-training for the e5 NER vote: the vote labels unlabelled news, new members learn from both.

Five thousand tagged sentences are all the gold we have, and a member trained on them alone
scores about a point under the vote of three such members. Tagging a few thousand more news
sentences with that vote ("silver" labels) and training each member on gold and silver together
lifts the members (NER UI 5-fold: 87.6 to 88.2 on average, 8,000 IndoSum sentences) but their
vote by less (88.9 to 89.2): the students agree with each other more than members trained on
gold alone. The shipped `ner-id-e5` is therefore the gold-only vote (README, Entities); this is
kept, with `bench_ner.py --systems kabar-e5-silver`, as the measured recipe to build on.

Unlabelled text comes as JSONL articles whose `paragraphs` hold tokenised sentences (IndoSum's
form) or as plain text, split and tokenised here.
"""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kabar.nlp.ner_data import TaggedSentence, sentence_key

SILVER_SENTENCES = 8000  # what NER UI's folds were measured with (README)
MIN_WORDS, MAX_WORDS = 6, 60


def read_unlabelled(paths: Iterable[str | Path]) -> list[list[str]]:
    """Every sentence of the files as its words: `.jsonl` articles with tokenised `paragraphs`,
    anything else as plain UTF-8 text."""
    from kabar.nlp.sentences import split_sentences
    from kabar.nlp.tokens import tokenize

    out: list[list[str]] = []
    for path in map(Path, paths):
        if path.suffix == ".jsonl":
            with path.open(encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        out.extend(list(s) for para in json.loads(line)["paragraphs"] for s in para)
            continue
        text = path.read_text(encoding="utf-8")
        out.extend([t.text for t in tokenize(text[s.start:s.end])] for s in split_sentences(text))
    return out


def pick_sentences(sentences: Iterable[Sequence[str]], n: int, exclude: Iterable[TaggedSentence] = (),
                   seed: int = 0) -> list[list[str]]:
    """`n` distinct sentences drawn with a fixed seed from those likely to name something (a
    capitalised word after the first) and of ordinary length; none that `exclude` holds (the
    sets a model is selected or scored on), none twice, no "Baca juga" teasers."""
    seen = {s.key() for s in exclude}
    pool: list[list[str]] = []
    for words in sentences:
        key = sentence_key(words)
        if key in seen or not MIN_WORDS <= len(words) <= MAX_WORDS or words[0].lower() == "baca":
            continue
        seen.add(key)
        if any(w[:1].isupper() for w in words[1:]):
            pool.append(list(words))
    random.Random(seed).shuffle(pool)
    return pool[:n]


def silver(teacher: Path, sentences: Sequence[Sequence[str]]) -> list[TaggedSentence]:
    """The sentences with the spans the model at `teacher` (a vote or one pipeline) predicts."""
    from kabar.eval.ner import predict_model
    from kabar.nlp.ner_model import load_model

    if load_model(Path(teacher).resolve()) is None:
        raise FileNotFoundError(f"no NER model at {teacher}")
    bare = [TaggedSentence(list(w), []) for w in sentences]
    return [TaggedSentence(s.words, list(sp)) for s, sp in zip(bare, predict_model(bare, teacher))]


def distil_vote(train: Sequence[TaggedSentence], dev: Sequence[TaggedSentence], out: str | Path, *,
                seeds: Sequence[int], unlabelled: Sequence[Sequence[str]], teacher: str | Path | None = None,
                **options: Any) -> dict[str, Any]:
    """A vote (`train_ner.train_vote`) whose members train on `train` plus `unlabelled` as
    labelled by `teacher`: a vote trained on `train` alone with the same seeds and options
    unless one is given. The e5 vectors of every sentence are computed once for all models."""
    from kabar.nlp.ner_e5 import cached_vectors
    from kabar.nlp.train_ner import train_vote

    with cached_vectors(), tempfile.TemporaryDirectory(prefix="kabar-teacher-") as tmp:
        record: dict[str, Any] = {}
        if teacher is None:
            teacher = Path(tmp) / "teacher"
            record["teacher"] = train_vote(train, dev, teacher, seeds=seeds, **options)
        else:
            record["teacher"] = str(teacher)
        labelled = silver(Path(teacher), unlabelled)
        students = train_vote([*train, *labelled], dev, out, seeds=seeds, **options)
    students["silver_sentences"] = len(labelled)
    students["silver_entities"] = sum(len(s.spans) for s in labelled)
    return {**students, **record}
