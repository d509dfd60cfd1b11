"""The skills a resume lists: every item of its skills section, the vocabulary's canonical and
the others as written, and nothing that is not a skill's name."""

from __future__ import annotations

import pytest

from careerflow_skills import listed_skills
from careerflow_skills.listing import MAX_ITEM_CHARS, MAX_LISTED


def test_items_the_vocabulary_lacks_follow_the_ones_it_knows() -> None:
    text = "Clinical: Ventilator management, IV therapy; k8s | Wound care\n• Sepsis screening"
    assert listed_skills(text) == [
        "Kubernetes",
        "Ventilator management",
        "IV therapy",
        "Wound care",
        "Sepsis screening",
    ]


def test_a_wrapped_item_is_one_item_and_so_is_a_known_skill_over_two_lines() -> None:
    assert listed_skills("Linux, eBPF, performance\nprofiling") == [
        "Linux",
        "eBPF",
        "performance profiling",
    ]
    assert listed_skills("Pandas, Data\nVisualization, dbt") == [
        "pandas",
        "Data Visualization",
        "dbt",
    ]
    # Two rows that each list several items are two rows.
    assert listed_skills("Ventilator management, IV therapy\nWound care, Triage") == [
        "Ventilator management",
        "IV therapy",
        "Wound care",
        "Triage",
    ]


def test_parentheses_slashes_and_conjunctions() -> None:
    assert listed_skills("Wound care (VAC therapy) training, BLS/ACLS") == [
        "Wound care training",
        "BLS",
        "ACLS",
        "VAC therapy",
    ]
    # An item naming a known skill is the vocabulary's: WCAG is Accessibility.
    assert listed_skills("Accessibility (WCAG) awareness") == ["Accessibility"]
    # Beside a known skill, "and" joins two items; alone, it may be part of one.
    assert listed_skills("Python and Xilinx Vivado, REST API design and testing") == [
        "Python",
        "REST APIs",
        "Xilinx Vivado",
    ]
    assert listed_skills("Infection prevention and control") == ["Infection prevention and control"]


@pytest.mark.parametrize(
    "text",
    [
        "Managed a team of five nurses on nights.",
        "English (Native), Spanish (C1), French (conversational)",
        "5+ years, 18 months, etc.",
        "github.com/someone, lena@example.com, www.example.org",
        "PROGRAMMING",
        "x, 12345, {skill}",
        "A sentence that is far too long to be the name of any one skill at all",
    ],
)
def test_what_is_not_a_skills_name_is_left_out(text: str) -> None:
    assert [
        skill for skill in listed_skills(text) if skill not in ("English", "Spanish", "French")
    ] == []


def test_every_item_is_bounded_and_so_is_their_number() -> None:
    text = ", ".join(f"Skill{index:04d}" for index in range(500))
    found = listed_skills(text + ", " + "y" * 300)
    assert len(found) == MAX_LISTED
    assert all(len(name) <= MAX_ITEM_CHARS for name in found)
