from datetime import date

import pytest

from autoalliances.model.dates import FuzzyDate, parse_bound


@pytest.mark.parametrize(
    ("text", "precision", "start", "end", "label"),
    [
        ("2025-03-26", "day", date(2025, 3, 26), date(2025, 3, 26), "26 March 2025"),
        ("2025-04", "month", date(2025, 4, 1), date(2025, 4, 30), "April 2025"),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29), "February 2024"),
        ("2025-Q3", "quarter", date(2025, 7, 1), date(2025, 9, 30), "Q3 2025"),
        ("2025-H2", "half", date(2025, 7, 1), date(2025, 12, 31), "H2 2025"),
        ("2026-spring", "season", date(2026, 3, 1), date(2026, 5, 31), "spring 2026"),
        ("2025-winter", "season", date(2025, 12, 1), date(2026, 2, 28), "winter 2025"),
        ("2025-early", "part", date(2025, 1, 1), date(2025, 4, 30), "early 2025"),
        ("2024", "year", date(2024, 1, 1), date(2024, 12, 31), "2024"),
        ("by 2026", "year", date(2026, 1, 1), date(2026, 12, 31), "by 2026"),
    ],
)
def test_parse(text: str, precision: str, start: date, end: date, label: str) -> None:
    d = FuzzyDate.parse(text)
    assert (d.precision, d.start, d.end, d.label) == (precision, start, end, label)
    assert d.to_json()["start"] == start.isoformat()


def test_unknown() -> None:
    d = FuzzyDate.parse("unknown")
    assert d.precision == "unknown" and d.start is None and not d.known
    assert d.label == "date unknown"
    assert d.to_json() == {"text": "unknown", "precision": "unknown", "start": None, "end": None, "by": False, "label": "date unknown"}


def test_spring_is_not_a_fake_day() -> None:
    spring = FuzzyDate.parse("2026-spring")
    assert spring.to_json()["text"] == "2026-spring"
    # Sorts after a day inside spring that starts earlier, before one later in the year.
    dates = [FuzzyDate.parse(x) for x in ("2026-06-01", "2026-spring", "2026-03-01", "unknown", "2025")]
    assert [d.text for d in sorted(dates, key=FuzzyDate.sort_key)] == ["2025", "2026-03-01", "2026-spring", "2026-06-01", "unknown"]


@pytest.mark.parametrize("bad", ["2025-02-30", "2025-13", "25-03-01", "March 2025", "2025-Q5", "0999", ""])
def test_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        FuzzyDate.parse(bad)


def test_overlaps_and_bounds() -> None:
    spring = FuzzyDate.parse("2026-spring")
    assert spring.overlaps(parse_bound("2026-05", end=False), None)
    assert not spring.overlaps(parse_bound("2026-06", end=False), None)
    assert spring.overlaps(None, parse_bound("2026-03-01", end=True))
    assert parse_bound("2025", end=True) == date(2025, 12, 31)
    with pytest.raises(ValueError):
        parse_bound("unknown", end=False)
