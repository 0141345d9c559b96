"""Writing the analysis to disk: kabar.json, brief.md and report.html, each written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from kabar.crossdoc.timeline import build as build_timeline
from kabar.model import Corpus


def atomic_write(path: Path, text: str) -> None:
    """Write via a temp file and rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def kabar_json(corpus: Corpus) -> dict:
    """The contract shape plus the derived timeline (readers may ignore it)."""
    data = corpus.to_json()
    data["timeline"] = [asdict(e) for e in build_timeline(corpus)]
    return data


def write_outputs(corpus: Corpus, out_dir: Path) -> dict[str, Path]:
    """kabar.json, brief.md and report.html in `out_dir`; returns what was written."""
    from kabar.output.markdown import brief_markdown
    from kabar.output.report import render_report

    out_dir = Path(out_dir)
    paths = {"json": out_dir / "kabar.json", "markdown": out_dir / "brief.md", "report": out_dir / "report.html"}
    atomic_write(paths["json"], json.dumps(kabar_json(corpus), ensure_ascii=False, indent=1))
    atomic_write(paths["markdown"], brief_markdown(corpus))
    atomic_write(paths["report"], render_report(corpus))
    return paths
