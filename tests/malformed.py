"""The malformed-input corpus: every way a news file arrives broken, built on demand.

Shared by tests/test_hardening_inputs.py and benchmarks/bench_hardening.py. Files are
written into a folder the caller owns (a pytest tmp dir), never committed. Each `Case`
says what reading its file must give: how many articles, how many failures, and a phrase
every failure reason contains, so a test can hold each file to its own outcome.

Also here: `article_text(i)`, a deterministic, distinct Indonesian news text per `i`, for
clean baselines and the crash-safety batch.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024

_PLACES = ("Jakarta", "Surabaya", "Medan", "Makassar", "Bandung", "Semarang", "Palembang", "Denpasar", "Kupang",
           "Ambon")
_WHO = ("Menteri Dalam Negeri", "Kepala BNPB", "Gubernur", "Kapolda", "Wali Kota",
        "Juru bicara Kementerian Kesehatan")
_NAMES = ("Budi Santoso", "Siti Rahmawati", "Agus Wibowo", "Dewi Lestari", "Rudi Hartono", "Maya Sari",
          "Hendra Gunawan")
_EVENTS = ("banjir", "kebakaran", "tanah longsor", "gempa bumi", "kecelakaan bus", "angin puting beliung")
_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember")
_FILLER = (
    "Petugas gabungan masih berada di lokasi untuk membantu warga yang terdampak.",
    "Pemerintah daerah telah menyiapkan posko pengungsian dan dapur umum bagi para korban.",
    "Warga diminta tetap waspada karena cuaca ekstrem diperkirakan berlangsung hingga akhir pekan.",
    "Bantuan logistik berupa beras, air bersih dan selimut mulai disalurkan sejak pagi tadi.",
    "Aparat kepolisian juga mengatur lalu lintas di sekitar lokasi kejadian agar tidak terjadi kemacetan.",
    "Hingga berita ini diturunkan, penyebab pasti kejadian tersebut masih dalam penyelidikan.",
)


def article_text(i: int) -> str:
    """A plausible Indonesian news report, distinct for every `i` (its numbers derive from `i`)."""
    rng = random.Random(i)
    place, event = rng.choice(_PLACES), rng.choice(_EVENTS)
    who, name = rng.choice(_WHO), rng.choice(_NAMES)
    day, month, year = 1 + i % 28, _MONTHS[i % 12], 2020 + i % 5
    dead, hurt, houses = 2 + i % 17, 10 + i, 100 + 7 * i
    paras = [
        f"{event.capitalize()} melanda sejumlah kecamatan di {place} pada Senin ({day} {month} {year}), "
        f"menewaskan {dead} orang dan melukai {hurt} warga lainnya.",
        f"{who} {name} mengatakan sedikitnya {houses} rumah rusak berat. "
        f"\u201cKami terus mendata kerugian dan memastikan semua warga mendapat bantuan,\u201d kata {name.split()[0]} "
        f"kepada wartawan di {place}.",
        f"Menurut data sementara, kerugian ditaksir mencapai Rp {1 + i % 9},{i % 10} miliar. "
        + " ".join(rng.sample(_FILLER, 3)),
        f"Laporan nomor {1000 + i} mencatat bahwa evakuasi berlangsung selama {3 + i % 5} jam. "
        + " ".join(rng.sample(_FILLER, 2)),
    ]
    return "\n\n".join(paras)


@dataclass(frozen=True)
class Case:
    """One input and what reading it must give."""

    name: str  # path relative to the corpus root
    kind: str  # the family it tests, for the benchmark's table
    articles: int | None  # articles it must yield; None: one article or one failure, either is fine
    failures: int  # IngestErrors it must yield, each naming this file (ignored when articles is None)
    reason: str = ""  # a phrase every failure reason contains
    contains: str = ""  # a phrase its article's text contains (decoded right)
    top_level: bool = True  # False for files only reachable by walking a folder (loop targets)


def _write(root: Path, name: str, data: bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _repeat_to(text: str, size: int) -> bytes:
    """`text` repeated (numbered, so it is not one run of identical lines) up to `size` bytes."""
    out = io.BytesIO()
    n = 0
    while out.tell() < size:
        out.write(f"{n}. {text}\n".encode())
        n += 1
    return out.getvalue()[:size]


def _warc(records: int, compress: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    w = WARCWriter(out, gzip=compress)
    for n in range(records):
        body = "".join(f"<p>{p}</p>" for p in article_text(900 + n).split("\n\n"))
        page = f"<html><head><title>Berita {n}</title></head><body><article>{body}</article></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(f"https://kabar.test/{n}", "response",
                                            payload=io.BytesIO(page.encode()), http_headers=headers))
    return out.getvalue()


def _nested_divs(depth: int) -> bytes:
    inner = "".join(f"<p>{p}</p>" for p in article_text(77).split("\n\n"))
    return f"<html><body>{'<div>' * depth}{inner}{'</div>' * depth}</body></html>".encode()


def _broken_html() -> bytes:
    """Unclosed and stray tags, no </head>, a script holding markup, an unclosed comment."""
    paras = article_text(78).split("\n\n")
    return ("<html><head><title>Judul <b>rusak</b></title><meta name=x content=a><body><div class=x><p>"
            + paras[0] + "<p>" + paras[1] + "<table><tr><td>" + paras[2] + "</span></i></div></div></div><p>"
            + paras[3] + "<script>var x = '</p>';</script></td></tr><!-- tak ditutup").encode()


def _jsonl() -> tuple[bytes, int, int]:
    """Two good lines among bad ones: (data, good, bad)."""
    deep = "[" * 100_000 + "]" * 100_000  # nesting past the JSON parser's recursion limit
    lines = [
        json.dumps({"text": article_text(80), "title": "Baris pertama"}),
        '{"text": "kurang kurung kurawal"',
        json.dumps([article_text(81)]),
        json.dumps({"title": "tanpa teks", "url": "https://kabar.test/x"}),
        json.dumps({"text": 12345}),
        deep,
        json.dumps({"text": "   "}),
        json.dumps({"text": article_text(82), "published": "bukan tanggal"}),
    ]
    return "\n".join(lines).encode(), 2, 6


def _utf8_with_bad_bytes() -> bytes:
    data = bytearray(article_text(83).encode("utf-8"))
    for pos in (40, 200, 420):
        data[pos:pos] = b"\xff"  # stray bytes no UTF-8 sequence can start with
    return bytes(data)


MIXED_LATIN1 = "Caf\u00e9 \u00abMerdeka\u00bb di pusat kota ikut ditutup sejak pagi."


def _mixed_encodings() -> bytes:
    """A UTF-8 report (curly quotes and all) with a Latin-1 paragraph pasted into it."""
    paras = article_text(84).split("\n\n")
    head, tail = "\n\n".join(paras[:2]) + "\n\n", "\n\n" + "\n\n".join(paras[2:])
    return head.encode() + MIXED_LATIN1.encode("latin-1") + tail.encode()


def build_corpus(root: Path, *, big: bool = True) -> list[Case]:
    """Write the malformed corpus under `root`; `big` adds the 50 MB files and the 5 MB single line (slow to clean)."""
    root.mkdir(parents=True, exist_ok=True)
    text = article_text(70)
    cases: list[Case] = []

    def add(name: str, data: bytes, kind: str, articles: int | None, failures: int, reason: str = "",
            contains: str = "") -> None:
        _write(root, name, data)
        cases.append(Case(name, kind, articles, failures, reason, contains))

    # empty and near-empty
    add("empty.txt", b"", "empty", 0, 1, "empty file")
    add("whitespace.txt", " \n\t\r\n   \n\u3000".encode(), "empty", 0, 1, "only whitespace")
    add("empty.txt.gz", gzip.compress(b""), "empty", 0, 1, "empty file")
    add("boilerplate-only.txt", "Baca juga: Berita lain\nKOMENTAR\nBagikan\n".encode(), "empty", 0, 1, "no body text")
    # binary
    add("random.bin", random.Random(1).randbytes(64 * 1024), "binary", 0, 1, "binary content")
    add("nul-bytes.txt", text.encode().replace(b" ", b" \x00", 20), "binary", 0, 1, "binary content")
    add("png-as-txt.txt", b"\x89PNG\r\n\x1a\n" + random.Random(2).randbytes(4096), "binary", 0, 1, "binary content")
    # size
    if big:
        add("big-50mb.txt", _repeat_to(text.replace("\n\n", " "), 50 * MB), "size", 0, 1, "too large")
        add("big-50mb.txt.gz", gzip.compress(_repeat_to(text.replace("\n\n", " "), 50 * MB), 1), "size", 0, 1,
            "size limit")
        add("one-line-5mb.txt", _repeat_to(text.replace("\n", " "), 5 * MB).replace(b"\n", b" "), "size", 1, 0)
    # encodings: each must decode to the right characters, not merely to some text
    quote = "\u201cKami terus mendata"
    add("latin-1.txt", (text + " Caf\u00e9 \u00abbaru\u00bb.").replace("\u201c", '"').replace("\u201d", '"')
        .encode("latin-1"), "encoding", 1, 0, contains="Caf\u00e9 \u00abbaru\u00bb.")
    add("cp1252.txt", text.encode("cp1252"), "encoding", 1, 0, contains=quote)
    add("utf-16-bom.txt", text.encode("utf-16"), "encoding", 1, 0, contains=quote)
    add("utf-16-le-nobom.txt", text.encode("utf-16-le"), "encoding", 1, 0, contains=quote)
    add("utf-16-be-nobom.txt", text.encode("utf-16-be"), "encoding", 1, 0, contains=quote)
    add("utf-8-bad-bytes.txt", _utf8_with_bad_bytes(), "encoding", 1, 0, contains=quote)
    add("mixed-utf8-latin1.txt", _mixed_encodings(), "encoding", 1, 0, contains=MIXED_LATIN1)
    add("utf-16-cut-mid-character.txt", text.encode("utf-16-le")[:-1], "encoding", 1, 0, contains=quote)
    add("few-control-chars.txt", text.replace(". ", ".\x07 ", 2).encode(), "encoding", 1, 0, contains=quote)
    add("crlf-and-cr.txt", text.replace("\n", "\r\n").encode()[:400] + text.replace("\n", "\r").encode()[400:],
        "encoding", 1, 0, contains=quote)
    add("berita caf\u00e9 #1 (salinan).txt", article_text(71).encode(), "encoding", 1, 0)
    # HTML
    add("broken.html", _broken_html(), "html", 1, 0)
    add("nested-200-div.html", _nested_divs(200), "html", 1, 0)
    add("nested-10000-div.html", _nested_divs(10_000), "html", None, 0)  # past libxml2's depth limit
    add("script-only.html", b"<html><head><script>var a = 1;</script></head><body><script>b()</script></body></html>",
        "html", 0, 1, "no main text")
    add("unclosed-comment.html", b"<html><body><!-- " + text.encode() + b"</body></html>", "html", 0, 1, "no main text")
    # WARC and gzip
    two = _warc(2, compress=False)
    two_gz = _warc(2, compress=True)
    add("truncated.warc", two[: len(two) - 300], "warc", 1, 1, "WARC")
    add("truncated.warc.gz", two_gz[: len(two_gz) - 300], "warc", 1, 1, "WARC")
    add("corrupt.warc", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: banyak\r\n\r\n"
        + random.Random(3).randbytes(2000), "warc", 0, 1, "WARC")
    add("corrupt.warc.gz", two_gz[:40] + random.Random(4).randbytes(len(two_gz) - 40), "warc", 0, 1, "gzip")
    add("truncated.txt.gz", gzip.compress(text.encode())[:-20], "gzip", 0, 1, "truncated gzip")
    add("corrupt.txt.gz", b"\x1f\x8b\x08\x00" + random.Random(5).randbytes(500), "gzip", 0, 1, "corrupt gzip")
    # JSON
    jl, good, bad = _jsonl()
    add("bad-lines.jsonl", jl, "json", good, bad, "")
    add("array.json", json.dumps([{"text": article_text(85)}, ["bukan objek"], {"html": ""}]).encode(), "json", 1, 2)
    add("not-json.json", b'{"text": "tak selesai', "json", 0, 1, "invalid JSON")
    # folders: a symlink loop, the same folder twice, a FIFO and an unreadable file
    loop = root / "loop"
    _write(loop / "inner", "dalam-lingkaran.txt", article_text(86).encode())
    os.symlink(loop, loop / "inner" / "back-to-top")
    os.symlink(loop / "inner", loop / "inner-again")
    cases.append(Case("loop/inner/dalam-lingkaran.txt", "folder", 1, 0, top_level=False))
    os.mkfifo(loop / "pipe.fifo")  # never opened: reading a FIFO nobody writes to blocks forever
    cases.append(Case("loop/pipe.fifo", "folder", 0, 1, "not a regular file", top_level=False))
    os.mkfifo(root / "direct.fifo")
    cases.append(Case("direct.fifo", "folder", 0, 1, "not a regular file"))
    locked = _write(root, "unreadable.txt", article_text(87).encode())
    locked.chmod(0)
    readable = os.access(locked, os.R_OK)  # root reads it anyway
    cases.append(Case("unreadable.txt", "folder", int(readable), int(not readable), "" if readable else "cannot read"))
    return cases


def top_level_paths(root: Path, cases: list[Case]) -> list[Path]:
    """What a user would pass on the command line: each top-level file, plus the loop folder."""
    return [root / c.name for c in cases if c.top_level] + [root / "loop"]


FURNITURE_LINES = 6  # lines of page furniture pasted_text adds, each one a `removed` row once cleaned


def pasted_text(i: int) -> str:
    """article_text(i) as copied from a news page: breadcrumb, teaser, byline, share buttons, tags."""
    paras = article_text(i).split("\n\n")
    return "\n\n".join(["Nasional > Peristiwa", paras[0], f"Baca juga: Warga {i} kembali mengungsi", *paras[1:],
                        "Editor: Rina Marlina", "Bagikan", "KOMENTAR", "#bencana #banjir"])


def write_articles(root: Path, n: int) -> list[Path]:
    """`n` well-formed article files (pasted_text(0..n-1)) under `root`, 50 per subfolder."""
    return [_write(root, f"{i // 50:03d}/berita-{i:05d}.txt", pasted_text(i).encode()) for i in range(n)]


def owner(source: str, root: Path, cases: list[Case]) -> Case | None:
    """The case whose file `source` names: its path, or `path:line`, `path#url`, `path[i]` for one item in it."""
    for name in (source, os.path.realpath(source)):
        for c in cases:
            path = str(root / c.name)
            if name == path or (name.startswith(path) and name[len(path)] in ":#["):
                return c
    return None


@dataclass
class CliRun:
    code: int  # exit status; negative when killed by that signal
    stderr: str
    maxrss_mb: float  # the child's own peak resident memory


def run_kabar(args: list[str], timeout: float = 300.0) -> CliRun:
    """The real command line, `kabar ARGS`, in a subprocess; a hang is killed after `timeout` s.

    Peak memory comes from os.wait4, the child's own rusage (what RUSAGE_CHILDREN would fold
    into the maximum over every child this process ever waited for); Linux reports it in KiB.
    """
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "kabar.cli", *args], stdout=subprocess.DEVNULL, stderr=err)
        watchdog = threading.Timer(timeout, proc.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            watchdog.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return CliRun(proc.returncode, err.read().decode("utf-8", "replace"), usage.ru_maxrss / 1024)
