"""Undated articles borrow the year of their story, so their yearless dates can be placed.

An article pasted without its date that says "29 Oktober" cannot be anchored alone; its story
siblings can say which year that is. The article's own dates still decide its estimate: an article
with no date of its own stays unanchored rather than inheriting a sibling's date.
"""

from __future__ import annotations

from datetime import date
from statistics import median_low

from kabar.model import Corpus
from kabar.nlp.times import TimeTagger


class StoryDates:
    name = "story-dates"

    def __init__(self, tagger: TimeTagger | None = None) -> None:
        self.tagger = tagger or TimeTagger()

    def __call__(self, corpus: Corpus) -> Corpus:
        by_id = {a.id: a for a in corpus.articles}
        for story in corpus.stories:
            members = [by_id[i] for i in story.articles if i in by_id]
            known = sorted(date.fromisoformat(a.published[:10]) for a in members if a.published)
            if not known:
                continue
            context = median_low(known)
            for article in members:
                if article.published is None:
                    self.tagger(article, context=context)
        return corpus
