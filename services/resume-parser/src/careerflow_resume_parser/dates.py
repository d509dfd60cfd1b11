"""Date ranges in resumes and the years of experience they add up to.

Understood: "Mar 2019 – Present", "Sep. 2025 – Apr. 2026", "March 2019 to June 2020",
"03/2022 - Present", "2020 – 2022", "2019-2021", "Jan '18 - Current". A range with only years
runs from January of the first to December of the last. Overlapping ranges count once, and
nothing counts past today. The pattern is linear: its whitespace runs are possessive, so a month
followed by a page of spaces is scanned once, not once per way of splitting the spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_POINT = (
    rf"(?:(?P<{{p}}month>{_MONTH})\s*+,?+\s*+(?P<{{p}}myear>(?:19|20)\d{{{{2}}}}|'\d{{{{2}}}})"
    r"|(?P<{p}num>0?[1-9]|1[0-2])\s*+/\s*+(?P<{p}nyear>(?:19|20)\d{{2}})"
    r"|(?P<{p}year>(?:19|20)\d{{2}}))"
)
_ONGOING = r"(?P<ongoing>present|current(?:ly)?|now|today|ongoing|date)"
DATE_RANGE = re.compile(
    r"(?<![\w/])"
    + _POINT.format(p="s")
    + r"\s*+(?:-|–|—|−|to|until|till|through|thru)\s*+(?:"
    + _POINT.format(p="e")
    + "|"
    + _ONGOING
    + r")(?![\w/])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateRange:
    """A span of months, both ends included, as written at ``start_index`` in the text."""

    start: date
    end: date
    ongoing: bool
    start_index: int
    end_index: int

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


def _point(match: re.Match[str], prefix: str, *, is_end: bool) -> date | None:
    groups = match.groupdict()
    if groups.get(f"{prefix}month"):
        month = _MONTHS[groups[f"{prefix}month"][:3].casefold()]
        year_text = groups[f"{prefix}myear"]
        year = 2000 + int(year_text[1:]) if year_text.startswith("'") else int(year_text)
        return date(year, month, 1)
    if groups.get(f"{prefix}num"):
        return date(int(groups[f"{prefix}nyear"]), int(groups[f"{prefix}num"]), 1)
    if groups.get(f"{prefix}year"):
        return date(int(groups[f"{prefix}year"]), 12 if is_end else 1, 1)
    return None


def find_date_ranges(text: str, *, today: date | None = None) -> list[DateRange]:
    """Every plausible date range in ``text``, in order; ends past today are cut to today."""
    today = today or date.today()
    this_month = date(today.year, today.month, 1)
    ranges: list[DateRange] = []
    for match in DATE_RANGE.finditer(text):
        start = _point(match, "s", is_end=False)
        ongoing = bool(match.group("ongoing"))
        end = this_month if ongoing else _point(match, "e", is_end=True)
        if start is None or end is None or start > this_month or end < start:
            continue
        if start.year < 1950:
            continue
        ranges.append(DateRange(start, min(end, this_month), ongoing, match.start(), match.end()))
    return ranges


def years_of_experience(ranges: list[DateRange]) -> float | None:
    """Total years covered by ``ranges``, overlaps counted once; ``None`` without ranges."""
    if not ranges:
        return None
    spans = sorted((_month_index(item.start), _month_index(item.end)) for item in ranges)
    total = 0
    current_start, current_end = spans[0]
    for start, end in spans[1:]:
        if start <= current_end + 1:
            current_end = max(current_end, end)
        else:
            total += current_end - current_start + 1
            current_start, current_end = start, end
    total += current_end - current_start + 1
    return min(70.0, round(total / 12, 1))


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1
