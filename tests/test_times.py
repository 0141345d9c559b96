"""Time expressions normalised against the publication date, and its estimation."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from kabar.model import Article, Corpus, check_cites
from kabar.nlp.times import TimeTagger, estimate_anchor, find_times, scan

WED = dt.date(2024, 10, 30)  # a Wednesday


def one(text: str, anchor: dt.date | None = WED):
    found = find_times(text, anchor)
    assert len(found) == 1, [(t.text, t.value) for t in found]
    return found[0]


@pytest.mark.parametrize(
    "text, cited, value, granularity, relation",
    [
        # absolute
        ("pada 15 Oktober 2024 lalu", "15 Oktober 2024", "2024-10-15", "day", None),
        ("sejak tanggal 1 Oktober 2024", "sejak tanggal 1 Oktober 2024", "2024-10-01", "day", "since"),
        ("pada November 2024", "November 2024", "2024-11", "month", None),
        ("Oktober 2024", "Oktober 2024", "2024-10", "month", None),
        ("pada bulan Oktober 2024", "bulan Oktober 2024", "2024-10", "month", None),
        ("sejak Oktober 2024", "sejak Oktober 2024", "2024-10", "month", "since"),
        ("pada tahun 2024", "tahun 2024", "2024", "year", None),
        ("sejak 2014", "sejak 2014", "2014", "year", "since"),
        ("12 Des 2023", "12 Des 2023", "2023-12-12", "day", None),
        ("2024-10-28", "2024-10-28", "2024-10-28", "day", None),
        ("30.10.2024", "30.10.2024", "2024-10-30", "day", None),
        # weekday with date
        ("Senin (28/10)", "Senin (28/10)", "2024-10-28", "day", None),
        ("Kamis (24/10)", "Kamis (24/10)", "2024-10-24", "day", None),
        ("pada hari Senin (28/10) waktu Belgia", "hari Senin (28/10)", "2024-10-28", "day", None),
        ("Rabu (30/10/2024) pukul 14.30 WIB", "Rabu (30/10/2024) pukul 14.30 WIB", "2024-10-30T14:30", "time", None),
        ("Senin, 28 Oktober 2024", "Senin, 28 Oktober 2024", "2024-10-28", "day", None),
        ("Jakarta (27/3) -", "(27/3)", "2024-03-27", "day", None),
        # year from the anchor
        ("pada tanggal 29 Oktober", "tanggal 29 Oktober", "2024-10-29", "day", None),
        ("29 Oktober", "29 Oktober", "2024-10-29", "day", None),
        ("pada bulan Agustus", "bulan Agustus", "2024-08", "month", None),
        ("awal Oktober", "awal Oktober", "2024-10", "month", "early"),
        ("pertengahan Oktober", "pertengahan Oktober", "2024-10", "month", "mid"),
        ("akhir Oktober", "akhir Oktober", "2024-10", "month", "late"),
        ("akhir tahun 2024", "akhir tahun 2024", "2024", "year", "late"),
        # relative, news past tense
        ("pada hari Senin", "hari Senin", "2024-10-28", "day", None),
        ("pada hari Rabu", "hari Rabu", "2024-10-30", "day", None),  # the anchor day itself
        ("hari Minggu", "hari Minggu", "2024-10-27", "day", None),
        ("Jumat lalu", "Jumat lalu", "2024-10-25", "day", None),
        ("Senin lalu", "Senin lalu", "2024-10-28", "day", None),
        ("Rabu lalu", "Rabu lalu", "2024-10-23", "day", None),
        ("Senin depan", "Senin depan", "2024-11-04", "day", None),
        ("Minggu ini", "Minggu ini", "2024-10-28", "week", None),  # sentence-initial: the week
        ("dia datang pada Minggu lalu", "Minggu lalu", "2024-10-27", "day", None),  # mid-sentence: Sunday
        ("pekan ini", "pekan ini", "2024-10-28", "week", None),
        ("pekan lalu", "pekan lalu", "2024-10-21", "week", None),
        ("minggu ini", "minggu ini", "2024-10-28", "week", None),
        ("minggu lalu", "minggu lalu", "2024-10-21", "week", None),
        ("pekan depan", "pekan depan", "2024-11-04", "week", None),
        ("kemarin", "kemarin", "2024-10-29", "day", None),
        ("hari ini", "hari ini", "2024-10-30", "day", None),
        ("besok", "besok", "2024-10-31", "day", None),
        ("tiga hari lalu", "tiga hari lalu", "2024-10-27", "day", None),
        ("3 hari yang lalu", "3 hari yang lalu", "2024-10-27", "day", None),
        ("dua pekan lalu", "dua pekan lalu", "2024-10-14", "week", None),
        ("sepekan lalu", "sepekan lalu", "2024-10-21", "week", None),
        ("bulan lalu", "bulan lalu", "2024-09", "month", None),
        ("dua bulan lalu", "dua bulan lalu", "2024-08", "month", None),
        ("tahun lalu", "tahun lalu", "2023", "year", None),
        ("lima tahun lalu", "lima tahun lalu", "2019", "year", None),
        ("akhir pekan lalu", "akhir pekan lalu", "2024-10-21", "week", "late"),
        ("hingga hari ini", "hingga hari ini", "2024-10-30", "day", "until"),
    ],
)
def test_normalised(text: str, cited: str, value: str, granularity: str, relation: str | None) -> None:
    t = one(text)
    assert (t.text, t.value, t.granularity, t.anchored, t.relation) == (cited, value, granularity, True, relation)


def test_year_of_yearless_date_leans_to_the_past() -> None:
    assert one("29 Desember", dt.date(2025, 1, 5)).value == "2024-12-29"
    assert one("3 Januari", dt.date(2024, 12, 28)).value == "2025-01-03"
    assert one("bulan Desember", dt.date(2025, 1, 5)).value == "2024-12"


def test_day_range() -> None:
    t = one("28-30 Oktober 2024")
    assert (t.value, t.end_value) == ("2024-10-28", "2024-10-30")


@pytest.mark.parametrize(
    "text, value, granularity",
    [
        ("pada tanggal 29 Oktober", "--10-29", "day"),
        ("pada bulan Agustus", "--08", "month"),
        ("pada hari Senin", None, "day"),
        ("pekan ini", None, "week"),
        ("kemarin", None, "day"),
        ("pukul 14.30 WIB", None, "time"),
    ],
)
def test_unanchored(text: str, value: str | None, granularity: str) -> None:
    t = one(text, None)
    assert (t.value, t.granularity, t.anchored) == (value, granularity, False)


def test_absolute_dates_need_no_anchor() -> None:
    t = one("pada 15 Oktober 2024", None)
    assert (t.value, t.anchored) == ("2024-10-15", True)


@pytest.mark.parametrize(
    "text",
    [
        "hingga 2000 orang",
        "1.500 pasukan",
        "tahun 1990-an",
        "14.30",
        "Rp 2.024",
        "senin",
        "sedang salat Jumat",  # the Friday prayer
        "petenis 30 tahun ini",  # "the 30-year-old"
        "kami menunggu minggu",
    ],
)
def test_not_times(text: str) -> None:
    assert find_times(text, WED) == []


def test_digit_inside_a_name_is_no_count() -> None:
    assert [(t.text, t.value) for t in find_times("diganti oleh Telkom 4 tahun depan", WED)] == [("tahun depan", "2025")]


def test_clock_joins_the_date_before_it() -> None:
    t = one("Kamis (24/10) pukul 09.00 WIB")
    assert (t.value, t.granularity) == ("2024-10-24T09:00", "time")
    assert one("Jumat malam pukul 8 malam").value == "2024-10-25T20:00"


def _article(text: str, published: str | None = None) -> Article:
    return Article(id="a" + hashlib.sha1(text.encode()).hexdigest()[:10], text=text, language="id", published=published)


def test_estimate_from_latest_dated_evidence() -> None:
    raws = scan("Rapat pada 15 Oktober 2024. Ia menjabat sejak 1 Oktober 2024.")
    assert estimate_anchor(raws) == dt.date(2024, 10, 15)
    assert estimate_anchor(scan("Pertemuan pada November 2024 dan Oktober 2024.")) == dt.date(2024, 11, 1)
    assert estimate_anchor(scan("Pada hari Senin, 29 Oktober, ia datang.")) is None  # no year anywhere


def test_estimate_uses_weekday_to_pick_the_year() -> None:
    # 28/10 is a Monday in 2024 (not in 2023 or 2025): with "2024" elsewhere it lands in 2024
    raws = scan("Kunjungan Senin (28/10). Laporan pada bulan Oktober 2024.")
    assert estimate_anchor(raws) == dt.date(2024, 10, 28)
    # weekday evidence picks the year where it fits: Monday 28/10 is 2024, even with 2025 nearby
    assert estimate_anchor(scan("Senin (28/10) lalu, dalam tahun 2025 ini.")) == dt.date(2024, 10, 28)


def test_stage_uses_given_publication_date() -> None:
    art = TimeTagger()(_article("Pada hari Senin, Rutte menelepon.", published="2024-10-23T08:00:00+07:00"))
    assert art.published_estimated is False
    assert [(t.id, t.value) for t in art.times] == [(f"{art.id}:t1", "2024-10-21")]
    assert check_cites(Corpus(articles=[art])) == []


def test_stage_estimates_publication_date() -> None:
    art = TimeTagger()(_article("Rombongan tiba Senin (28/10). Senin lalu Rutte menelepon. Laporan bulan Oktober 2024."))
    assert (art.published, art.published_estimated) == ("2024-10-28", True)
    assert [t.value for t in art.times] == ["2024-10-28", "2024-10-21", "2024-10"]


def test_stage_leaves_unanchored_without_evidence() -> None:
    art = TimeTagger()(_article("Pada hari Senin, Rutte menelepon. Jumat lalu Yonhap melapor."))
    assert art.published is None and not art.published_estimated
    assert all(not t.anchored and t.value is None for t in art.times) and len(art.times) == 2


def test_stage_never_raises_on_odd_text() -> None:
    stage = TimeTagger()
    for text in ["", "(", "31/02/2024", "(99/99)", "Senin (", "pukul 99.99 WIB", "tahun", "1 Jan 1900", "Minggu"]:
        stage(_article(text))


SEED_EXPECTED = {
    "000": ("2024-10-15", [("tanggal 15 Oktober 2024", "2024-10-15"), ("sejak tanggal 1 Oktober 2024", "2024-10-01")]),
    "003": ("2024-10-28", [("pekan ini", "2024-10-28"), ("hari Senin (28/10)", "2024-10-28"), ("Senin lalu", "2024-10-21"),
                           ("bulan Agustus", "2024-08"), ("Hari Kamis (24/10)", "2024-10-24"), ("bulan Oktober 2024", "2024-10")]),
    "004": ("2024-11-01", [("November 2024", "2024-11"), ("sejak Oktober 2024", "2024-10"), ("Oktober 2024", "2024-10")]),
}


@pytest.mark.parametrize("seed", sorted(SEED_EXPECTED))
def test_seed_times(seeds_dir, seed: str) -> None:
    (path,) = seeds_dir.glob(f"{seed}_*.txt")
    art = TimeTagger()(_article(path.read_text(encoding="utf-8")))
    anchor, expected = SEED_EXPECTED[seed]
    assert (art.published, art.published_estimated) == (anchor, True)
    assert [(t.text, t.value) for t in art.times] == expected
    assert check_cites(Corpus(articles=[art])) == []


def test_seeds_without_year_stay_unanchored(seeds_dir) -> None:
    (path,) = seeds_dir.glob("002_*.txt")
    art = TimeTagger()(_article(path.read_text(encoding="utf-8")))
    assert [(t.text, t.value, t.anchored) for t in art.times] == [
        ("tanggal 29 Oktober", "--10-29", False), ("minggu ini", None, False), ("tanggal 25 Oktober", "--10-25", False)
    ]
