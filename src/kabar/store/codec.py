"""Model objects to table rows and back.

Findings and cross-article objects are kept whole as JSON (`doc`) so the store
never lags behind the model; the extra columns exist only so SQL can filter.
Article fields without a column go to `extra` for the same reason.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from kabar.model import Article, Claim, Mention, Quantity, Quote, TimeExpr, from_dict
from kabar.store.schema import FINDING_COLUMNS

ARTICLE_COLUMNS = ("id", "source", "outlet", "title", "author", "published", "language", "url", "format")
_JSON_COLUMNS = ("wire_credits", "meta")
# Article fields stored in child tables rather than in the article row.
CHILD_FIELDS = ("removed", "sentences", "paragraphs", "mentions", "quotes", "quantities", "times", "claims")


def _jsonable(obj: Any) -> Any:
    """`json.dumps` fallback: dataclasses (a Cite in `related_headlines`, say) as dicts."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_jsonable)


def article_row(article: Article) -> dict[str, Any]:
    """The `articles` row of an article, without its child rows.

    Built field by field rather than with `asdict`, which would copy every
    finding only to throw them away: this runs for every article on each save.
    """
    rest = {f.name: getattr(article, f.name) for f in dataclasses.fields(article) if f.name not in CHILD_FIELDS}
    row = {c: rest.pop(c) for c in ARTICLE_COLUMNS}
    row.update({c: dumps(rest.pop(c)) for c in _JSON_COLUMNS})
    row["text"] = rest.pop("text")
    row["content_hash"] = article.content_hash
    row["extra"] = dumps(rest)
    return row


def article_from_row(row: Any) -> Article:
    """An article (no children yet) from an `articles` row (sqlite3.Row).

    Only `extra` goes through the generic `from_dict`; the columns already hold
    plain values of the right types, and skipping the conversion halves the cost.
    """
    article = from_dict(Article, {"id": row["id"], "text": row["text"], **json.loads(row["extra"])})
    for c in ARTICLE_COLUMNS:
        setattr(article, c, row[c])
    for c in _JSON_COLUMNS:
        setattr(article, c, json.loads(row[c]))
    return article


FINDING_CLASSES: dict[str, type] = {
    "mentions": Mention,
    "quotes": Quote,
    "quantities": Quantity,
    "times": TimeExpr,
    "claims": Claim,
}


# Tables of an article's children and the primary-key order their rows are written and read in.
CHILD_TABLES: dict[str, str] = {"removed": "seq", "sentences": "kind, seq", **{t: "seq" for t in FINDING_COLUMNS}}


def child_rows(article: Article) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of every child table of `article`, in table column order and primary-key order."""
    rows: dict[str, list[tuple[Any, ...]]] = {
        "removed": [(article.id, i, r.text, r.reason, r.line) for i, r in enumerate(article.removed)],
        "sentences": [
            (article.id, kind, i, s.start, s.end)
            for kind, spans in (("paragraph", article.paragraphs), ("sentence", article.sentences))
            for i, s in enumerate(spans)
        ],
    }
    for table in FINDING_COLUMNS:
        rows[table] = [finding_row(table, article.id, i, obj) for i, obj in enumerate(getattr(article, table))]
    return rows


def finding_row(table: str, article_id: str, seq: int, obj: Any) -> tuple[Any, ...]:
    """(article_id, seq, id, start, end, *indexed attributes, doc) for a finding table."""
    span = obj if isinstance(obj, Mention) else obj.cite
    indexed = tuple(getattr(obj, c) for c in FINDING_COLUMNS[table])
    return (article_id, seq, obj.id, span.start, span.end, *indexed, dumps(obj))


def finding_from_doc(table: str, doc: str) -> Any:
    return from_dict(FINDING_CLASSES[table], json.loads(doc))
