"""Resumes of any occupation: every item of a skills section is a skill, known to the vocabulary
or not, from the text and through the whole path from a PDF or DOCX document."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from careerflow_contracts import ResumeSubmitted, ResumeSubmittedPayload, utc_now
from careerflow_llm import OllamaClient, OllamaSettings
from careerflow_resume_parser.extraction_pool import Extractor
from careerflow_resume_parser.fallback import fallback_profile
from careerflow_resume_parser.handler import handle_resume_submitted
from careerflow_testing.occupations import OCCUPATIONS, Occupation, occupation


def _missing(expected: tuple[str, ...], skills: list[str]) -> list[str]:
    have = {skill.casefold() for skill in skills}
    return [skill for skill in expected if skill.casefold() not in have]


@pytest.mark.parametrize("job", OCCUPATIONS, ids=lambda job: job.id)
def test_every_item_of_the_skills_section_is_a_skill(job: Occupation) -> None:
    skills = fallback_profile(job.resume).skills
    assert _missing(job.resume_skills, skills) == []
    # Nothing from outside the skills section: the certifications and the experience are not
    # skills of the list.
    assert len(skills) == len(job.resume_skills)


def test_skills_the_vocabulary_lacks_are_kept_beside_the_ones_it_knows() -> None:
    text = (
        "Lena Park\nlena@example.com\nEXPERIENCE\nFPGA Engineer, Acme, 2019 - Present\n"
        "TECHNICAL SKILLS\nModelSim, PSpice, Xilinx Vivado, Verilog, VHDL\n"
        "Tools: Python and Cadence Allegro | BLS/ACLS\n"
    )
    assert fallback_profile(text).skills == [
        "Verilog",
        "VHDL",
        "Python",
        "ModelSim",
        "PSpice",
        "Xilinx Vivado",
        "Cadence Allegro",
        "BLS",
        "ACLS",
    ]


@pytest.mark.parametrize(
    "row",
    [
        "Managed a team of five nurses on nights.",
        "Languages: English (native), Spanish (fluent)",
        "5+ years, etc.",
        "github.com/someone | lena@example.com | https://example.org/cv",
    ],
)
def test_sentences_levels_and_addresses_in_a_skills_section_are_not_skills(row: str) -> None:
    skills = fallback_profile(f"Lena Park\nSKILLS\n{row}\n").skills
    assert skills in ([], ["English", "Spanish"])


def _event(document: bytes, document_type: str) -> ResumeSubmitted:
    import base64

    return ResumeSubmitted(
        session_id=uuid.uuid4(),
        deadline=utc_now(),
        payload=ResumeSubmittedPayload(
            document_type=document_type,  # type: ignore[arg-type]
            filename=f"resume.{document_type}",
            document=base64.b64encode(document).decode(),
        ),
    )


@pytest.mark.parametrize(
    ("job_id", "document_type"),
    [("nurse", "docx"), ("teacher", "docx"), ("accountant", "pdf"), ("sales", "pdf")],
)
async def test_a_document_of_any_occupation_gives_its_listed_skills(
    extractor: Extractor,
    make_pdf: Callable[..., bytes],
    make_docx: Callable[..., bytes],
    job_id: str,
    document_type: str,
) -> None:
    job = occupation(job_id)
    lines = job.resume.splitlines()
    document = make_docx(lines) if document_type == "docx" else make_pdf([lines])
    async with OllamaClient(OllamaSettings(enabled=False)) as disabled:
        result = await handle_resume_submitted(
            _event(document, document_type), llm=disabled, extractor=extractor
        )
    payload = result.payload
    assert (payload.source, payload.fallback_reason) == ("fallback", "disabled")
    assert _missing(job.resume_skills, payload.profile.skills) == []
