"""The brief as Markdown: each sentence footnoted to its article and span."""

from __future__ import annotations

from kabar.model import Corpus
from kabar.output.html import fmt_range, in_time_order


_MD_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]", "*": "\\*", "_": "\\_", "`": "\\`"})


def md(text: str | None) -> str:
    """Article text as inert Markdown: no raw HTML, no accidental emphasis or links."""
    return (text or "").translate(_MD_SPECIAL)


def brief_markdown(corpus: Corpus) -> str:
    titles = {a.id: (a.outlet or a.title or a.source or a.id) for a in corpus.articles}
    slots = {s.id: s for s in corpus.slots}
    lines: list[str] = ["# Kabar brief", ""]
    notes: list[str] = []
    for story in corpus.stories:
        lines += [f"## {md(story.title)}", "", f"{len(story.articles)} articles.", ""]
        for sent in story.brief:
            notes.append(
                f"[^{len(notes) + 1}]: {md(titles.get(sent.cite.article, sent.cite.article))}, "
                f"article `{sent.cite.article}`, characters {sent.cite.start}–{sent.cite.end}."
            )
            lines.append(f"- {md(sent.text)}[^{len(notes)}]")
        disputed = [slots[s] for s in story.disagreements if s in slots]
        if disputed:
            lines += ["", "### What the sources disagree on", ""]
            for slot in disputed:
                lines.append(f"**{md(slot.label)}** ({slot.status})")
                lines.append("")
                for v in in_time_order(slot.variants):
                    notes.append(
                        f"[^{len(notes) + 1}]: {md(titles.get(v.cite.article, v.cite.article))}, "
                        f"article `{v.cite.article}`, characters {v.cite.start}–{v.cite.end}: “{md(v.cite.text)}”"
                    )
                    who = md(v.source_text) or "unattributed"
                    when = f", as of {v.as_of}" if v.as_of else ""
                    lines.append(
                        f"- {fmt_range(v.low, v.high, v.qualifier)}: {who} ({v.stance}{when})[^{len(notes)}]"
                    )
                for note in slot.notes:
                    lines.append(f"- _{md(note)}_")
                lines.append("")
        lines.append("")
    lines += notes
    return "\n".join(lines).rstrip() + "\n"
