"""Number reading: digit conventions, number words, vague amounts."""

from __future__ import annotations

import pytest

from kabar.nlp.numbers import grammar, parse_number


@pytest.mark.parametrize(
    "text, value",
    [
        ("1.500", 1500),
        ("12.000", 12000),
        ("10.000", 10000),
        ("100.000", 100000),
        ("1.000.000", 1_000_000),
        ("1,2", 1.2),
        ("3,5", 3.5),
        ("1.234,5", 1234.5),
        ("1,500,000", 1_500_000),  # foreign grouping, unambiguous with two marks
        ("2024", 2024),
        ("3,5 juta", 3_500_000),
        ("1,2 triliun", 1.2e12),
        ("2 miliar", 2e9),
        ("2 milyar", 2e9),
        ("100 ribu", 100_000),
        ("12 rb", 12_000),
        ("empat", 4),
        ("sebelas", 11),
        ("dua belas", 12),
        ("dua belas ribu", 12_000),
        ("tiga puluh lima", 35),
        ("seratus", 100),
        ("seribu lima ratus", 1500),
        ("dua ratus lima puluh ribu", 250_000),
        ("sejuta", 1_000_000),
        ("dua juta lima ratus ribu", 2_500_000),
        ("setengah", 0.5),
        ("satu setengah juta", 1_500_000),
        ("nol", 0),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["kedua", "salah", "ratus", "dua tiga", "12.34.5", "1.5000"])
def test_not_one_number(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("belasan", 11, 19),
        ("puluhan", 10, 99),
        ("ratusan", 100, 999),
        ("ribuan", 1000, 9999),
        ("puluhan ribu", 10_000, 99_000),
        ("ratusan ribu", 100_000, 999_000),
        ("jutaan", 1e6, 9_999_999),
        ("beribu-ribu", 1000, 9999),
        ("beberapa ratus", 200, 900),
        ("beberapa ribu", 2000, 9000),
    ],
)
def test_vague_amounts_are_ranges(text: str, low: float, high: float) -> None:
    n = grammar().parse_at(text, 0)
    assert n is not None and n.kind == "vague" and n.end == len(text)
    assert (n.low, n.high) == (pytest.approx(low), pytest.approx(high))


def test_beberapa_alone_is_no_number() -> None:
    assert grammar().parse_at("beberapa orang", 0) is None


@pytest.mark.parametrize(
    "digits, value, loose",
    [("1.5", 1.5, True), ("0.750", 0.75, True), ("1,5", 1.5, False), ("007", 7, False)],
)
def test_point_decimals_are_loose(digits: str, value: float, loose: bool) -> None:
    assert grammar().parse_digits(digits) == (pytest.approx(value), loose)


def test_trailing_scale_is_kept_for_ranges() -> None:
    g = grammar()
    assert g.parse_at("12 ribu", 0).scale == 1000  # type: ignore[union-attr]
    assert g.parse_at("dua belas ribu", 0).scale == 1000  # type: ignore[union-attr]
    assert g.parse_at("seribu lima ratus", 0).scale is None  # type: ignore[union-attr]


def test_number_stops_at_line_break() -> None:
    n = grammar().parse_at("dua\nribu", 0)
    assert n is not None and n.low == 2
