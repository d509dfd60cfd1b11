"""No resume text makes the reader slow, and no resume can hold the event loop.

The deterministic reader runs dozens of regular expressions over text a stranger wrote. Each
call here is bounded (``time_bound``: a few seconds, where a linear reader takes milliseconds),
over the lines of the report that found the hole ("A.a.a…a.1" as a name line sent the name
pattern into exponential backtracking), a list of known hostile strings, and Hypothesis' own.
Whole documents go through the extractor's pool, where the profile is now read, to show the
answer comes back and a reading past the time limit is labelled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careerflow_contracts import ResumeSubmitted
from careerflow_llm import OllamaClient, OllamaSettings
from careerflow_resume_parser.contact import find_email, find_name
from careerflow_resume_parser.dates import find_date_ranges
from careerflow_resume_parser.education import degree_in_line
from careerflow_resume_parser.extracted_text import ExtractionLimits
from careerflow_resume_parser.extraction_pool import Extractor
from careerflow_resume_parser.fallback import read_resume
from careerflow_resume_parser.handler import handle_resume_submitted
from careerflow_resume_parser.roles import title_in_line
from careerflow_resume_parser.sections import (
    collapse_letter_spacing,
    heading_kind,
    normalise_text,
    split_sections,
)
from careerflow_testing.hostile_text import HOSTILE_TEXTS, time_bound

TODAY = date(2026, 11, 24)
DOTTED = HOSTILE_TEXTS["dotted run"]  # "A.a.a…a.1", 61 characters
HYPHENATED = HOSTILE_TEXTS["hyphenated run"]  # "A-a-a-…-a-1"
RESUME = [
    "Jane Smith",
    "jane.smith@example.com",
    "EXPERIENCE",
    "Software Engineer, Globex Corporation",
    "Mar 2019 - Present",
    "EDUCATION",
    "B.S. in Computer Science",
    "SKILLS",
    "Python, Go, Kubernetes",
]
MAX_CHARS = ExtractionLimits().max_chars
"""The longest text extraction hands the reader."""


def test_the_reported_name_lines_are_read_within_the_bound() -> None:
    assert len(DOTTED) >= 60 and len(HYPHENATED) >= 60  # as long as the report's
    with time_bound():
        reading = read_resume("\n".join([DOTTED, HYPHENATED, *RESUME]), today=TODAY)
    profile = reading.profile
    assert profile.full_name == "Jane Smith"  # the runs hold a digit: not names
    assert profile.skills == ["Python", "Go", "Kubernetes"]
    assert profile.titles == ["Software Engineer"]


@pytest.mark.parametrize("line", [DOTTED, HYPHENATED, HOSTILE_TEXTS["long dotted run"]])
def test_find_name_refuses_a_separated_run_within_the_bound(line: str) -> None:
    with time_bound():
        assert find_name([line, line.replace("1", "b")]) is None


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Jean-Luc O'Neil", "Jean-Luc O'Neil"),
        ("J. R. R. Tolkien", "J. R. R. Tolkien"),
        ("Ann-Marie D’Souza", "Ann-Marie D’Souza"),
        ("J O R D A N  R E Y E S", "JORDAN REYES"),
        ("A" + "a" * 80, None),  # no name word is that long
        ("Jane " + "Smith" * 40, None),
    ],
)
def test_names_keep_their_separators_and_have_a_length_bound(line: str, name: str | None) -> None:
    assert find_name([line]) == name


# Every reader the fallback runs, each on its own, so a slow one is named by the failure.
READERS: dict[str, Callable[[str], object]] = {
    "read_resume": lambda text: read_resume(text, today=TODAY),
    "split_sections": split_sections,
    "heading_kind": heading_kind,
    "collapse_letter_spacing": collapse_letter_spacing,
    "find_name": lambda text: find_name(text.splitlines() or [text]),
    "find_email": find_email,
    "title_in_line": title_in_line,
    "degree_in_line": degree_in_line,
    "find_date_ranges": lambda text: find_date_ranges(text, today=TODAY),
}


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_every_reader_reads_hostile_text_within_the_bound(
    reader: Callable[[str], object], text: str
) -> None:
    with time_bound():
        reader(text[:MAX_CHARS])


_PIECES = st.sampled_from(
    [
        "A", "a", "Jane", "Smith", ".", "-", "'", "’", " ", "  ", "\n", "\t", ",", ", and ",
        "|", "•", ":", "(", ")", "@", "1", "2019", "Mar ", " - ", "Present", "B.S.", " in ",
        "EXPERIENCE", "SKILLS", "E X P", "Engineer", " at ", "Python", "Go", "é", "ß",
    ]
)  # fmt: skip
_RESUME_TEXT = st.one_of(
    st.lists(_PIECES, max_size=300).map("".join),
    st.text(max_size=3_000),
    st.builds(lambda piece, count: piece * count, _PIECES, st.integers(1, 10_000)),
    st.builds(
        lambda first, rest: "\n".join([first, *rest]),
        st.lists(_PIECES, min_size=1, max_size=80).map("".join),
        st.lists(st.text(max_size=200), max_size=30),
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_RESUME_TEXT)
def test_any_text_is_read_within_the_bound(text: str) -> None:
    with time_bound():
        profile = read_resume(text[:MAX_CHARS], today=TODAY).profile
    assert profile.source == "fallback"
    if profile.full_name is not None:
        # Letter-spaced names are closed up ("J O E" -> "JOE"): compare without whitespace.
        assert "".join(profile.full_name.split()) in "".join(normalise_text(text).split())


@pytest.fixture(scope="module")
def extractor() -> Iterator[Extractor]:
    with Extractor(workers=1, time_limit_s=20.0) as shared:
        yield shared


@pytest.mark.parametrize("document_type", ["pdf", "docx"])
async def test_a_resume_opening_with_the_reported_lines_gets_its_profile(
    extractor: Extractor,
    make_pdf: Callable[..., bytes],
    make_docx: Callable[..., bytes],
    document_type: str,
    make_submitted: Callable[..., ResumeSubmitted],
) -> None:
    lines = [DOTTED, HYPHENATED, *RESUME]
    document = make_pdf([lines]) if document_type == "pdf" else make_docx(lines)
    await extractor.warm_up()  # the bound is for the resume, not for starting the pool
    async with OllamaClient(OllamaSettings(enabled=False)) as disabled:
        with time_bound():
            result = await handle_resume_submitted(
                make_submitted(document, document_type, seconds_left=30),
                llm=disabled,
                extractor=extractor,
                today=TODAY,
            )
    payload = result.payload
    assert (payload.source, payload.fallback_reason) == ("fallback", "disabled")
    assert payload.profile.skills == ["Python", "Go", "Kubernetes"]
    assert payload.profile.titles == ["Software Engineer"]
    # Nothing about instructions (why the model did not read it is the reason's, said by the
    # gateway).
    assert payload.notices == []


async def test_the_profile_is_read_in_the_pool_with_the_text(
    extractor: Extractor, make_docx: Callable[..., bytes]
) -> None:
    read = await extractor.read(make_docx(RESUME), "docx", today=TODAY)
    assert read.extracted.status == "ok"
    assert "Globex Corporation" in read.extracted.text
    assert read.reading is not None
    assert read.reading.profile.full_name == "Jane Smith"
    assert read.reading.profile.years_experience == 7.8


async def test_a_reading_past_the_time_limit_is_labelled_and_answered(
    make_docx: Callable[..., bytes],
    slow_pdf: bytes,
    make_submitted: Callable[..., ResumeSubmitted],
) -> None:
    with Extractor(workers=1, time_limit_s=0.2) as hasty:
        read = await hasty.read(slow_pdf, "pdf", today=TODAY)
        assert (read.extracted.status, read.reading) == ("timeout", None)
        async with OllamaClient(OllamaSettings(enabled=False)) as disabled:
            result = await handle_resume_submitted(
                make_submitted(slow_pdf, "pdf", seconds_left=30),
                llm=disabled,
                extractor=hasty,
                today=TODAY,
            )
    payload = result.payload
    assert (payload.source, payload.fallback_reason) == ("fallback", "unreadable_input")
    assert [notice.code for notice in payload.notices] == ["extraction_timeout"]
    assert payload.profile.skills == [] and payload.profile.titles == []
