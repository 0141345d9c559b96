"""Failure values of ingestion: one bad file, line or record never stops a batch."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class IngestError:
    """What `read_paths` yields instead of an article: which input failed and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class IngestFailure(Exception):
    """Raised by `read_bytes` (and the readers) when an input yields no article."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def to_error(self) -> IngestError:
        return IngestError(self.source, self.reason)
