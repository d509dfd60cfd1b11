"""Any job, not only software (issue 17), through the running system with the model down: a
nurse who uploads her resume for an ICU nurse's job is asked about nursing, her clinical skills
are read off her resume, and the report's skill match is about the job's own requirements."""

from __future__ import annotations

import io

import docx
import pytest
from candidate import answer_every_question
from system import RunningSystem, wait_for_status

from careerflow_question_gen.software_terms import software_terms_in
from careerflow_skills import job_skills
from careerflow_testing.occupations import Occupation, occupation

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.broker,
    pytest.mark.database,
    pytest.mark.slow,
    pytest.mark.asyncio(loop_scope="session"),
]

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _resume_docx(job: Occupation) -> bytes:
    document = docx.Document()
    for line in job.resume.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


async def test_with_the_model_down_a_nurse_is_asked_about_nursing(
    model_down_system: RunningSystem, user: str
) -> None:
    nurse = occupation("nurse")
    async with model_down_system.client(user) as client:
        response = await client.post(
            "/v1/sessions",
            files={"resume": ("resume.docx", _resume_docx(nurse), DOCX_TYPE)},
            data={"job_description": nurse.job_description, "target_role": nurse.target_role},
        )
        assert response.status_code == 202, response.text
        session_id = response.json()["id"]
        ready = await wait_for_status(client, session_id, {"ready", "failed"}, timeout_s=30)
        assert ready["status"] == "ready", ready

        skills = {skill.casefold() for skill in ready["profile"]["skills"]}
        assert {skill.casefold() for skill in nurse.resume_skills} <= skills
        questions = ready["questions"]
        assert len(questions) == 10
        assert {question["source"] for question in questions} == {"fallback"}
        wording = " ".join(question["text"] for question in questions)
        assert software_terms_in(wording) == frozenset()
        requirements = {skill.casefold() for skill in job_skills(nurse.job_description)}
        technical = [question for question in questions if question["kind"] == "technical"]
        assert sum((q["skill"] or "").casefold() in requirements for q in technical) >= 4

        await answer_every_question(client, ready)
        done = await wait_for_status(client, session_id, {"completed", "failed"}, timeout_s=45)
    assert done["status"] == "completed", done
    match = done["report"]["skill_match"]
    assert "ventilator management and arterial line monitoring" in match["matched"]
    assert match["score"] > 0
