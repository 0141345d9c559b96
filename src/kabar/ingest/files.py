"""Paths to files: directories recurse in name order, symlink loops and repeats are skipped."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from kabar.ingest.errors import IngestError


def _real(path: str) -> str:
    return os.path.realpath(path)


def expand(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | IngestError]:
    """Every file under `paths` once (by real path); hidden entries (".x") inside directories are skipped."""
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from _walk(path, seen_dirs, seen_files)
        elif path.is_file():
            real = _real(str(path))
            if real not in seen_files:
                seen_files.add(real)
                yield path
        elif path.exists():  # a FIFO, socket or device: never opened, since reading one can block forever
            yield IngestError(str(path), "not a regular file")
        else:
            why = "broken symbolic link" if path.is_symlink() else "no such file or directory"
            yield IngestError(str(path), why)


def _walk(root: Path, seen_dirs: set[str], seen_files: set[str]) -> Iterator[Path | IngestError]:
    """Depth-first, entries sorted by name, with an explicit stack (deep trees cannot overflow)."""
    stack = [root]
    while stack:
        directory = stack.pop()
        real = _real(str(directory))
        if real in seen_dirs:
            continue  # a symlink loop, or the same directory reached twice
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            yield IngestError(str(directory), f"cannot list directory: {exc.strerror or exc}")
            continue
        subdirs: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    subdirs.append(path)
                elif entry.is_file():
                    real_file = _real(entry.path)
                    if real_file not in seen_files:
                        seen_files.add(real_file)
                        yield path
                else:
                    yield IngestError(str(path), "broken symbolic link or not a regular file")
            except OSError as exc:
                yield IngestError(str(path), f"cannot read: {exc.strerror or exc}")
        stack.extend(reversed(subdirs))
