"""The resume text that leaves the parser (for the model's later reading) keeps what the model
reads a resume for, and none of the candidate's contact details."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from careerflow_resume_parser.contact import without_contact_details

RESUME = """Zephyrine Quillfeather
Senior Backend Engineer | zephyrine.q@example.org | +44 20 7946 0958 | (555) 123-4567
Experience
Acme Corp, 2019-2023: built Kafka pipelines in Python; cut p99 latency by 40%.
Contact ZEPHYRINE QUILLFEATHER at work: 020.7946.0958
Education: BSc Computer Science, 2015 - 2019
"""


def test_name_emails_and_phone_numbers_are_replaced() -> None:
    text = without_contact_details(RESUME, "Zephyrine Quillfeather")
    assert "zephyrine" not in text.lower() and "quillfeather" not in text.lower()
    assert "@" not in text
    for phone in ("7946", "123-4567", "0958"):
        assert phone not in text
    assert text.count("[name]") == 2
    assert text.count("[email]") == 1
    assert text.count("[phone]") == 3


def test_what_the_model_reads_a_resume_for_stays() -> None:
    text = without_contact_details(RESUME, "Zephyrine Quillfeather")
    for kept in ("Senior Backend Engineer", "Kafka", "Python", "2019-2023", "40%", "2015 - 2019"):
        assert kept in text


def test_without_a_name_the_rest_is_still_taken_out() -> None:
    text = without_contact_details(RESUME, None)
    assert "@" not in text and "7946" not in text
    assert "Zephyrine Quillfeather" in text  # nothing found to take out


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=99999), min_size=3, max_size=4),
    st.sampled_from([" ", "-", "."]),
)
def test_any_written_phone_number_is_taken_out(groups: list[int], joint: str) -> None:
    number = joint.join(str(group) for group in groups)
    digits = sum(char.isdigit() for char in number)
    text = without_contact_details(f"Call me on {number} any day.", None)
    if 9 <= digits <= 15:
        assert text == "Call me on [phone] any day."
    else:
        assert number in text


def test_hostile_runs_of_digits_and_separators_are_left_as_they_are() -> None:
    for hostile in ("1" * 200_000, "1-" * 100_000, "(1) " * 50_000, "+1." * 70_000):
        assert without_contact_details(hostile, None).count("[phone]") <= 1
