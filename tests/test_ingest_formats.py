"""Readers: HTML (trafilatura), JSON Lines, WARC / WARC.gz (warcio), gzip; chosen by content."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from kabar.ingest import IngestError, IngestFailure, read_bytes, read_paths
from kabar.model import Article

BODY = [
    "Badan Intelijen Nasional Korea Selatan mengatakan Korea Utara telah mengirim 1.500 pasukan khusus ke Rusia untuk pelatihan.",
    '"Kami memantau perkembangan ini dengan serius," kata juru bicara kementerian pertahanan di Seoul, Senin (28/10).',
    "Menurut laporan intelijen tersebut, jumlah pasukan bisa bertambah hingga 12.000 orang dalam beberapa pekan mendatang.",
]


def page(title: str = "Korut Kirim Pasukan ke Rusia", body: list[str] = BODY) -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body)
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>{title} - Kabar Harian</title>
<meta property="og:title" content="{title}">
<meta name="author" content="Budi Santoso">
<meta property="og:site_name" content="Kabar Harian">
<meta property="article:published_time" content="2024-10-28T09:15:00+07:00">
</head><body>
<nav><ul><li><a href="/">Beranda</a></li><li><a href="/internasional">Internasional</a></li></ul></nav>
<article><h1>{title}</h1>
{paragraphs}
<p>Baca Juga: Rusia Bantah Terima Pasukan Korea Utara</p>
</article>
<footer><p>Hak Cipta 2024 Kabar Harian. Seluruh hak dilindungi.</p></footer>
</body></html>"""


def split(items):
    arts = [x for x in items if isinstance(x, Article)]
    errs = [x for x in items if isinstance(x, IngestError)]
    return arts, errs


def test_html_main_text_and_metadata():
    (a,) = read_bytes(page().encode("utf-8"), "saved.txt")  # content, not the extension, decides
    assert a.format == "html"
    assert a.title == "Korut Kirim Pasukan ke Rusia"
    assert (a.author, a.outlet, a.published) == ("Budi Santoso", "Kabar Harian", "2024-10-28")
    assert a.text.split("\n\n") == BODY
    assert "Beranda" not in a.text and "Hak Cipta" not in a.text
    assert a.meta["related_headlines"] == ["Rusia Bantah Terima Pasukan Korea Utara"]
    assert a.language == "id"


def test_html_in_cp1252_with_meta_charset():
    markup = page(body=["Menteri mengatakan “krisis” itu belum usai dan pasukan tetap siaga di perbatasan utara negara itu."] * 2)
    markup = markup.replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
    (a,) = read_bytes(markup.encode("cp1252"), "p.html")
    assert "“krisis”" in a.text


def test_broken_html_falls_back_or_fails_clearly():
    words = " ".join(["pasukan Korea Utara tiba di Rusia"] * 6)
    markup = f"<html><body><div><span>{words}</span><span>{words}. Pejabat mengonfirmasi kabar itu.</span>"
    (a,) = read_bytes(markup.encode(), "broken.html")
    assert "pasukan Korea Utara" in a.text
    with pytest.raises(IngestFailure) as exc:
        read_bytes(b"<html><body><div></div><p></body>", "empty.html")
    assert exc.value.source == "empty.html" and "no main text" in exc.value.reason


def test_jsonl_one_bad_line_fails_alone(tmp_path):
    lines = [
        json.dumps({"text": "Korea Selatan mengirim delegasi ke NATO pekan ini, kata pejabat.", "url": "https://x.test/1",
                    "title": "Delegasi ke NATO", "outlet": "KONTAN.CO.ID", "published": "2024-10-28"}),
        "{not json",
        json.dumps({"url": "https://x.test/3"}),
        "",
        json.dumps({"html": page(), "outlet": "Harian Lain", "id": "rec-5"}),
        json.dumps(["a", "list"]),
    ]
    path = tmp_path / "batch.data"  # no telling extension: JSONL is recognised by its first line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    arts, errs = split(list(read_paths([path])))
    assert [a.source for a in arts] == [f"{path}:1", f"{path}:5"]
    first, second = arts
    assert (first.format, first.title, first.outlet, first.published, first.url) == (
        "jsonl", "Delegasi ke NATO", "Kontan", "2024-10-28", "https://x.test/1")
    assert second.outlet == "Harian Lain" and second.title == "Korut Kirim Pasukan ke Rusia"
    assert second.meta["id"] == "rec-5" and second.text.split("\n\n") == BODY
    assert [(e.source, e.reason.split(":")[0]) for e in errs] == [
        (f"{path}:2", "invalid JSON"),
        (f"{path}:3", "no non-empty 'text' or 'html' string field"),
        (f"{path}:6", "expected a JSON object, got list"),
    ]


def test_read_bytes_reports_partial_failures():
    data = (json.dumps({"text": "Pasukan Korea Utara tiba di Kursk, kata pejabat Ukraina."}) + "\n{bad\n").encode()
    errors: list[IngestError] = []
    arts = read_bytes(data, "mem.jsonl", errors=errors)
    assert len(arts) == 1 and [e.source for e in errors] == ["mem.jsonl:2"]


def test_json_array_file(tmp_path):
    path = tmp_path / "articles.json"
    path.write_text(json.dumps([{"text": "Pasukan Korea Utara tiba di Kursk, kata pejabat Ukraina pada Senin."}], indent=2))
    (a,) = list(read_paths([path]))
    assert a.source == f"{path}[0]" and a.format == "jsonl"


def write_warc(path, records, compress: bool) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=compress)
        for url, ctype, body, status in records:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))


WARC_RECORDS = [
    ("https://kabar.test/a", "text/html; charset=utf-8", page("Korut Kirim Pasukan").encode(), "200 OK"),
    ("https://kabar.test/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64), "200 OK"),
    ("https://kabar.test/moved", "text/html", b"", "301 Moved Permanently"),
    ("https://kabar.test/b", "text/html; charset=windows-1252",
     page("Seoul Kirim Utusan", ["Utusan Seoul akan membahas “kerja sama” militer Rusia dan Korea Utara di markas NATO pekan ini."] * 2).encode("cp1252"),
     "200 OK"),
]


@pytest.mark.parametrize("compress", [False, True])
def test_warc_html_responses_become_articles(tmp_path, compress):
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.bin")
    write_warc(path, WARC_RECORDS, compress)
    arts, errs = split(list(read_paths([path])))
    assert errs == []
    assert [a.url for a in arts] == ["https://kabar.test/a", "https://kabar.test/b"]
    assert all(a.format == "warc" for a in arts)
    assert arts[0].title == "Korut Kirim Pasukan" and arts[0].source == f"{path}#https://kabar.test/a"
    assert "“kerja sama”" in arts[1].text
    assert read_bytes(path.read_bytes(), "mem.warc")[1].url == "https://kabar.test/b"


def test_truncated_warc_gz_keeps_what_it_read(tmp_path):
    full = tmp_path / "full.warc.gz"
    write_warc(full, [WARC_RECORDS[0], WARC_RECORDS[3]], compress=True)
    data = full.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 200])
    arts, errs = split(list(read_paths([cut])))
    assert [a.url for a in arts] == ["https://kabar.test/a"]
    assert len(errs) == 1 and errs[0].source.startswith(str(cut))


def test_gzip_text_and_sniffing(tmp_path):
    text = "Pasukan Korea Utara tiba di Kursk, kata pejabat Ukraina pada Senin.\n"
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(text.encode()))
    (tmp_path / "b.html").write_text("Pasukan Korea Utara tiba di Kursk. Tidak ada <tag> di sini, hanya teks biasa.")
    arts, errs = split(list(read_paths([tmp_path])))
    assert errs == []
    assert [(a.format, a.text) for a in arts] == [("text", text.strip()), ("text", arts[1].text)]
    assert arts[1].text.startswith("Pasukan Korea Utara tiba")


def test_jsonl_line_longer_than_the_sniffed_head_is_jsonl():
    """One long JSON line (as Spark hands each line over) is still read as JSON Lines."""
    import json as _json

    from kabar.ingest import read_bytes

    line = _json.dumps({"text": "Kalimat berita yang panjang sekali. " * 400, "outlet": "Contoh"}).encode()
    (article,) = read_bytes(line, "input.jsonl:7")
    assert article.format == "jsonl" and article.outlet == "Contoh"
