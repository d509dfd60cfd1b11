"""The deterministic reader: sections, date ranges, titles, degrees, name, email and skills."""

from __future__ import annotations

from datetime import date

import pytest

from careerflow_resume_parser.contact import find_email, find_name
from careerflow_resume_parser.dates import find_date_ranges, years_of_experience
from careerflow_resume_parser.education import degree_in_line
from careerflow_resume_parser.fallback import read_resume
from careerflow_resume_parser.roles import title_in_line
from careerflow_resume_parser.sections import heading_kind, split_sections

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("Mar 2019 – Present", 93),
        ("Sep. 2025 – Apr. 2026", 8),
        ("March 2019 to June 2020", 16),
        ("03/2022 - Present", 57),
        ("2020 – 2022", 36),
        ("2019-2021", 36),
        ("Jan '18 - Current", 107),
        ("(Mar 2021 - Present)", 69),
        ("June 2020 — Sept 2020", 4),
    ],
)
def test_date_ranges(text: str, months: int) -> None:
    (found,) = find_date_ranges(f"Engineer at Acme, {text}, Springfield", today=TODAY)
    assert found.months == months


@pytest.mark.parametrize(
    "text", ["call 555-0123 or 312-555-0199", "2030 - Present", "GPA 3.7/4.0", "v1.2-3.4"]
)
def test_not_date_ranges(text: str) -> None:
    assert find_date_ranges(text, today=TODAY) == []


def test_years_of_experience_counts_overlaps_once() -> None:
    text = "Jan 2020 - Dec 2021\nJun 2021 - Dec 2022\nJan 2024 - Dec 2024"
    assert years_of_experience(find_date_ranges(text, today=TODAY)) == 4.0
    assert years_of_experience([]) is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("EXPERIENCE", "experience"),
        ("Professional Experience:", "experience"),
        ("E X P E R I E N C E", "experience"),
        ("▶ Work History", "experience"),
        ("Technical Skills", "skills"),
        ("Top Skills", "skills"),
        ("Programs / Skills / Software", "skills"),
        ("Core Competencies", "skills"),
        ("EDUCATION", "education"),
        ("Personal Projects", "projects"),
        ("Highlights", "summary"),
        ("Awards & Honors", "other"),
        ("Languages: Python, Go", None),
        ("Led the payments platform migration", None),
        ("Senior Software Engineer", None),
        ("2019 Experience", None),
    ],
)
def test_heading_kinds(line: str, kind: str | None) -> None:
    assert heading_kind(line) == kind


def test_a_heading_broken_over_two_lines() -> None:
    sections = split_sections("Jo Doe\nTechnical\nSkills\nJava\nSpring\nBoot\nExperience\nX")
    assert [section.kind for section in sections] == ["header", "skills", "experience"]
    assert sections[1].lines == ["Java", "Spring", "Boot"]


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("Acme Corp — Senior Software Engineer", "Senior Software Engineer"),
        ("Founder & CEO · Meridian Labs, Chicago, IL · Executive Team", "Founder & CEO"),
        (
            "Senior QA Engineer, Northwind Systems, Portland, OR (Mar 2021 - Present)",
            "Senior QA Engineer",
        ),
        (" • Staff Engineer, Globex Systems LLC", "Staff Engineer"),
        ("Software Engineer · 2022 – Present", "Software Engineer"),
        ("• Mentored four engineers through the platform on-call rotation", None),
        ("Globex Corporation", None),
    ],
)
def test_titles(line: str, title: str | None) -> None:
    assert title_in_line(line) == title


@pytest.mark.parametrize(
    ("line", "degree"),
    [
        ("B.S. Computer Science · 2020", "B.S. Computer Science"),
        ("B.S. in Computer Science Sep. 2024 – Jun. 2027", "B.S. in Computer Science"),
        ("B.S. in Computer Science, Ridgemont State University", "B.S. in Computer Science"),
        ("Master of Science in Computer Science", "Master of Science in Computer Science"),
        ("MEng in Computer Science", "MEng in Computer Science"),
        ("Ph.D. in Physics (2019)", "Ph.D. in Physics"),
        ("Cambridge, MA", None),
        ("Boston, MA 02115", None),
        ("State University | 2018 - 2022", None),
    ],
)
def test_degrees(line: str, degree: str | None) -> None:
    assert degree_in_line(line) == degree


def test_name_and_email() -> None:
    header = [
        "Last Updated on 3rd June 2026",
        "J O R D A N  R E Y E S",
        "jordan.reyes@example.com | (312) 555-0123",
    ]
    assert find_name(header) == "JORDAN REYES"
    assert find_name(["Backend Engineer · Distributed Systems", "Anna Wiśniewska"]) == (
        "Anna Wiśniewska"
    )
    assert find_name(["RESUME", "Etta"]) == "Etta"
    assert find_email("x | anna.w+cv@mail.example.co.uk | y") == "anna.w+cv@mail.example.co.uk"
    assert find_email("no address here") is None


TWO_COLUMN_RESUME = """Jane Smith
Backend Engineer · Distributed Systems
CONTACT
• jane.smith@example.com
SKILLS
• Go, Rust, Python
• k8s, Postgres
• Leadership
EDUCATION
Springfield State University
B.S. Computer Science, 2017
EXPERIENCE
Acme Corp — Senior Software Engineer
Jan 2022 – Present · Springfield, IL
• Led migration of three services to Kubernetes and Terraform.
Globex Corporation — Software Engineer
Mar 2019 – Dec 2021 · Remote
"""


def test_a_whole_resume() -> None:
    reading = read_resume(TWO_COLUMN_RESUME, today=TODAY)
    profile = reading.profile
    assert profile.full_name == "Jane Smith"
    assert profile.email == "jane.smith@example.com"
    # Only the skills section: Terraform is in a bullet, not in the list.
    assert profile.skills == ["Go", "Rust", "Python", "Kubernetes", "PostgreSQL", "Leadership"]
    assert reading.roles == ("Senior Software Engineer", "Software Engineer")
    assert profile.education == ["B.S. Computer Science"]
    assert profile.years_experience == 7.8  # Mar 2019 to Nov 2026, 93 months
    assert profile.source == "fallback"


def test_interest_rows_of_a_skills_section_are_not_skills() -> None:
    text = "Ann Lee\nSkills\nLanguages: Python, Go\nInterests: Tennis, Unix history, Chess"
    assert read_resume(text).profile.skills == ["Python", "Go"]


def test_without_a_skills_section_skills_come_from_experience() -> None:
    text = "Ann Lee\nExperience\nData Engineer, Acme (2019 - 2021)\nBuilt Airflow and Spark jobs."
    profile = read_resume(text, today=TODAY).profile
    assert profile.skills == ["Apache Airflow", "Apache Spark"]
    assert profile.titles == ["Data Engineer"]
    assert profile.years_experience == 3.0
