"""The deterministic profile: what the parser reads off a resume without a model.

- skills: every item of the skills sections, the vocabulary's skills canonical and the others
  as written ("Ventilator management"), rows labelled "Interests" or "Hobbies" left out; a
  resume without a skills section gets the vocabulary's skills its summary, experience and
  projects name (free text: only what the vocabulary knows, with its guards);
- years of experience: the date ranges of the experience sections, overlaps counted once
  (without an experience section: every range outside education);
- titles: one per experience line that names a role; degrees: one per education line;
- name and email: from the top of the resume.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from careerflow_contracts import ResumeProfile
from careerflow_resume_parser.contact import find_email, find_name
from careerflow_resume_parser.dates import find_date_ranges, years_of_experience
from careerflow_resume_parser.education import find_degrees
from careerflow_resume_parser.roles import find_titles
from careerflow_resume_parser.sections import Section, SectionKind, split_sections
from careerflow_skills import find_skills, listed_skills

# Within one line (the spaces of one row never reach into the next), each run taken once.
_NOT_SKILL_ROWS = re.compile(
    r"^[^\S\n]*+[•·*-]?+[^\S\n]*+(?:interests|hobbies|activities|personal)\b[^:\n]*+:.*$",
    re.IGNORECASE | re.MULTILINE,
)
_SUMMARY_CHARS = 400


@dataclass(frozen=True)
class ResumeReading:
    """The fallback profile and the details behind it (kept for quality measurement)."""

    profile: ResumeProfile
    roles: tuple[str, ...]
    degrees: tuple[str, ...]
    section_kinds: tuple[SectionKind, ...]


def read_resume(text: str, *, today: date | None = None) -> ResumeReading:
    """Read a profile from resume text with rules only."""
    sections = split_sections(text)
    kinds = {section.kind for section in sections}
    experience = _lines(sections, {"experience"})
    if not experience:
        # A resume without an experience heading: roles and dates sit in the header or in an
        # unnamed part; education and the rest are still left out.
        experience = _lines(sections, {"header", "summary", "projects"})
    education = _lines(sections, {"education"}) or _lines(sections, {"header", "other"})
    titles = find_titles(experience)
    degrees = find_degrees(education)
    ranges = find_date_ranges("\n".join(experience), today=today)

    if "skills" in kinds:
        skills = listed_skills(_NOT_SKILL_ROWS.sub("", "\n".join(_lines(sections, {"skills"}))))
    else:
        skills = find_skills(
            "\n".join(_lines(sections, {"summary", "experience", "projects", "header"}))
        )
    header = _lines(sections, {"header"})
    all_lines = [line for section in sections for line in section.lines]
    profile = ResumeProfile(
        skills=skills,
        years_experience=years_of_experience(ranges),
        titles=list(dict.fromkeys(titles)),
        education=list(dict.fromkeys(degrees)),
        summary=_summary(sections),
        full_name=find_name(header) or find_name(all_lines[:6]),
        email=find_email(text),
        source="fallback",
    )
    return ResumeReading(
        profile=profile,
        roles=tuple(titles),
        degrees=tuple(degrees),
        section_kinds=tuple(section.kind for section in sections),
    )


def fallback_profile(text: str, *, today: date | None = None) -> ResumeProfile:
    """The deterministic profile of a resume's text."""
    return read_resume(text, today=today).profile


def _lines(sections: list[Section], kinds: set[SectionKind]) -> list[str]:
    return [line for section in sections if section.kind in kinds for line in section.lines]


def _summary(sections: list[Section]) -> str | None:
    for section in sections:
        if section.kind == "summary" and section.lines:
            text = " ".join(" ".join(section.lines).split())
            return text[:_SUMMARY_CHARS]
    return None
