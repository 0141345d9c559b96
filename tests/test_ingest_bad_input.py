"""Bad input fails alone, with the file and a reason; the rest of the batch goes on."""

from __future__ import annotations

import gzip
import io
import os
import random

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from kabar.ingest import IngestError, IngestFailure, read_bytes, read_paths
from kabar.model import Article

TEXT = "Menteri itu mengatakan “krisis” di perbatasan belum usai, dan pasukan tetap siaga pada Senin."


def run(paths, **kw):
    items = list(read_paths(paths, **kw))
    return [x for x in items if isinstance(x, Article)], [x for x in items if isinstance(x, IngestError)]


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b" \n\t\r\n  \n", "only whitespace"),
        (b"\x00\x01\x02 binary \x00\xff\xfe" * 20, "binary content"),
        (random.Random(7).randbytes(4000).replace(b"\x00", b"\x01"), "binary content"),
        (gzip.compress(TEXT.encode())[:-12], "truncated gzip"),
        (b"\x1f\x8b\x08\x00garbage-not-deflate", "corrupt gzip"),
        (b"KOMENTAR\nBagikan\n182194484\n", "no body text left after cleaning"),
    ],
    ids=["empty", "whitespace", "nul-bytes", "random-bytes", "truncated-gzip", "corrupt-gzip", "only-boilerplate"],
)
def test_each_bad_file_fails_alone(tmp_path, data, reason):
    (tmp_path / "a_good.txt").write_text(TEXT, encoding="utf-8")
    bad = tmp_path / "b_bad.txt"
    bad.write_bytes(data)
    (tmp_path / "c_good.txt").write_text(TEXT + " Lagi.", encoding="utf-8")
    arts, errs = run([tmp_path])
    assert [a.source for a in arts] == [str(tmp_path / "a_good.txt"), str(tmp_path / "c_good.txt")]
    assert [e.source for e in errs] == [str(bad)]
    assert reason in errs[0].reason
    with pytest.raises(IngestFailure) as exc:
        read_bytes(data, "mem")
    assert exc.value.source == "mem" and reason in exc.value.reason


def test_large_file_refused_without_reading(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing read
    small = tmp_path / "small.txt"
    small.write_text(TEXT)
    arts, errs = run([big, small])
    assert len(arts) == 1 and errs[0].source == str(big)
    assert "file too large: 52,428,800 bytes" in errs[0].reason
    _, errs = run([small], max_bytes=50)
    assert "too large" in errs[0].reason
    with pytest.raises(IngestFailure):
        read_bytes(TEXT.encode(), "mem", max_bytes=10)


def test_gzip_bomb_is_bounded(tmp_path):
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a " * 5_000_000))
    _, errs = run([bomb], max_bytes=1_000_000)
    assert "size limit" in errs[0].reason


@pytest.mark.parametrize(
    "encoding, bom",
    [("cp1252", b""), ("latin-1", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
     ("utf-16-le", b""), ("utf-16-be", b"")],
)
def test_encodings_decoded(encoding, bom):
    text = TEXT if encoding != "latin-1" else TEXT.replace("“", "«").replace("”", "»") + " Café."
    (a,) = read_bytes(bom + text.encode(encoding), "mem.txt")
    assert a.text == text
    assert a.language == "id"


def test_missing_paths_broken_links_and_hidden_files(tmp_path):
    (tmp_path / "ok.txt").write_text(TEXT)
    (tmp_path / ".hidden.txt").write_bytes(b"\x00\x00")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "dangling.txt")
    arts, errs = run([tmp_path, tmp_path / "missing.txt"])
    assert [a.source for a in arts] == [str(tmp_path / "ok.txt")]
    assert sorted((os.path.basename(e.source), e.reason) for e in errs) == [
        ("dangling.txt", "broken symbolic link or not a regular file"),
        ("missing.txt", "no such file or directory"),
    ]


def test_directories_recurse_and_symlink_loops_terminate(tmp_path):
    root = tmp_path / "corpus"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "one.txt").write_text(TEXT)
    (root / "a" / "b" / "two.txt").write_text(TEXT + " Kedua.")
    os.symlink(root, root / "a" / "b" / "loop")  # a cycle back to the top
    os.symlink(root / "a", root / "again")  # the same directory by another name
    os.symlink(root / "a" / "one.txt", root / "one-link.txt")  # the same file by another name
    arts, errs = run([root, root / "a"])
    assert errs == []
    assert len(arts) == 2  # each real file once, whichever name reached it first
    assert sorted(os.path.realpath(a.source) for a in arts) == sorted(
        os.path.realpath(p) for p in (root / "a" / "one.txt", root / "a" / "b" / "two.txt"))


def _warc(records: int, compress: bool) -> bytes:
    body = f"<html><head><title>Judul Berita</title></head><body><article><p>{TEXT}</p><p>{TEXT}</p></article></body></html>"
    out = io.BytesIO()
    w = WARCWriter(out, gzip=compress)
    for n in range(records):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(f"https://k.test/{n}", "response", payload=io.BytesIO(body.encode()), http_headers=headers))
    return out.getvalue()


@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc.gz"])
@pytest.mark.parametrize("into", [0.05, 0.3, 0.6, 0.95])
def test_truncated_warc_keeps_complete_records(tmp_path, compress, into):
    """Cut anywhere inside the second record (headers, HTTP headers, body): first article kept, one error."""
    first, both = len(_warc(1, compress)), _warc(2, compress)
    path = tmp_path / "x.warc"
    path.write_bytes(both[: first + int((len(both) - first) * into)])
    arts, errs = run([path])
    assert [a.url for a in arts] == ["https://k.test/0"]
    assert len(errs) == 1 and errs[0].source.startswith(str(path)) and "WARC" in errs[0].reason
