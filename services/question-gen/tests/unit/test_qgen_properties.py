"""Property: any request, however odd, gives exactly the asked set of valid, distinct questions."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qgen_checks import assert_valid_questions

from careerflow_contracts import QuestionsRequestedPayload, ResumeProfile
from careerflow_question_gen.drafts import normalised_text
from careerflow_question_gen.fallback import fallback_questions

_SKILLISH = st.sampled_from(
    ["Python", "k8s", "React", "Leadership", "English", "postgres", "Go", "C#", "{skill}", ""]
)
_TEXT = st.text(max_size=200) | st.lists(_SKILLISH, max_size=8).map(", ".join)

profiles = st.builds(
    ResumeProfile,
    skills=st.lists(st.text(max_size=60) | _SKILLISH, max_size=15),
    years_experience=st.none() | st.floats(min_value=0, max_value=70),
    titles=st.lists(st.text(max_size=30), max_size=3),
)
roles = st.text(min_size=1, max_size=200) | st.sampled_from(
    ["Backend Engineer", "Data Scientist", "Scrum Master", "iOS dev", "SRE", "Pentester"]
)
jobs = st.builds(lambda text: text or "x", _TEXT)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(role=roles, job=jobs, profile=profiles, seed=st.text(max_size=20))
def test_any_request_gives_ten_valid_distinct_questions(
    role: str, job: str, profile: ResumeProfile, seed: str
) -> None:
    payload = QuestionsRequestedPayload(target_role=role, job_description=job, profile=profile)
    assert_valid_questions(fallback_questions(payload, seed))


@settings(max_examples=40, deadline=None)
@given(count=st.integers(min_value=2, max_value=50), role=roles, profile=profiles)
def test_any_count_gives_that_many_split_in_half(
    count: int, role: str, profile: ResumeProfile
) -> None:
    payload = QuestionsRequestedPayload(
        target_role=role, job_description="Python and SQL", profile=profile, count=count
    )
    questions = fallback_questions(payload, "s")
    assert len(questions) == count
    assert [q.kind for q in questions].count("behavioral") == count // 2
    assert len({normalised_text(q.text) for q in questions}) == count
