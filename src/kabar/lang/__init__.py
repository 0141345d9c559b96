"""Language knowledge as data: `lang/<code>/` holds one language's files.

Code elsewhere is language-neutral and asks for a resource by name, so adding
English means adding `lang/en/` files, not editing stages.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

SUPPORTED = ("id", "en")
DEFAULT = "id"


def _path(lang: str, name: str):  # -> Traversable
    return resources.files("kabar.lang").joinpath(lang, name)


def has(lang: str, name: str) -> bool:
    return _path(lang, name).is_file()


@lru_cache(maxsize=None)
def load_json(lang: str, name: str) -> Any:
    """A JSON resource of `lang`; falls back to the default language when `lang` lacks it."""
    p = _path(lang, name) if has(lang, name) else _path(DEFAULT, name)
    return json.loads(p.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def load_lines(lang: str, name: str) -> tuple[str, ...]:
    """A one-item-a-line resource; blank lines and `#` comments skipped."""
    p = _path(lang, name) if has(lang, name) else _path(DEFAULT, name)
    out = []
    for line in p.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return tuple(out)
