"""Which answers get a follow-up, and how a topic is scored with one.

The decision is a pure function of the evaluated answer and the interview's follow-ups so far;
the property test plays whole interviews through it (answers in any order, evaluations
delivered twice, follow-ups' own answers among them) and checks the two limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from careerflow_contracts import AnswerGaps
from careerflow_gateway.followups import (
    STRONG_AT,
    EvaluatedAnswer,
    InterviewFollowups,
    followup_reason,
)
from careerflow_gateway.report import ScoredAnswer, score_answers, topic_score

MISSED = AnswerGaps(missed_points=["readiness probes"])
VAGUE = AnswerGaps(vague=True)
NOTHING = AnswerGaps(non_answer=True, vague=True, missed_points=["readiness probes"])
COMPLETE = AnswerGaps()
ROOM = InterviewFollowups(asked=0, limit=3)


def test_a_thin_answer_gets_a_follow_up_for_what_it_lacks_first() -> None:
    assert followup_reason(EvaluatedAnswer(score=0, gaps=NOTHING), ROOM) == "non_answer"
    assert followup_reason(EvaluatedAnswer(score=4, gaps=MISSED), ROOM) == "missed_points"
    both = AnswerGaps(missed_points=["readiness probes"], vague=True)
    assert followup_reason(EvaluatedAnswer(score=4, gaps=both), ROOM) == "missed_points"
    assert followup_reason(EvaluatedAnswer(score=STRONG_AT - 1, gaps=VAGUE), ROOM) == "vague"


def test_a_strong_answer_never_gets_one_whatever_it_left_out() -> None:
    for gaps in (MISSED, VAGUE, NOTHING):
        assert followup_reason(EvaluatedAnswer(score=STRONG_AT, gaps=gaps), ROOM) is None
        assert followup_reason(EvaluatedAnswer(score=10, gaps=gaps), ROOM) is None


def test_an_answer_that_lacks_nothing_gets_none() -> None:
    assert followup_reason(EvaluatedAnswer(score=5, gaps=COMPLETE), ROOM) is None


def test_without_gaps_nothing_says_what_to_ask_about() -> None:
    # An evaluator of an earlier release sends no gaps.
    assert followup_reason(EvaluatedAnswer(score=0, gaps=None), ROOM) is None


def test_no_follow_up_on_a_follow_up_twice_on_a_question_or_past_the_limit() -> None:
    thin = EvaluatedAnswer(score=2, gaps=MISSED)
    assert followup_reason(EvaluatedAnswer(score=2, gaps=MISSED, is_followup=True), ROOM) is None
    assert (
        followup_reason(thin, InterviewFollowups(asked=1, limit=3, question_has_one=True)) is None
    )
    assert followup_reason(thin, InterviewFollowups(asked=3, limit=3)) is None
    assert followup_reason(thin, InterviewFollowups(asked=2, limit=3)) == "missed_points"
    # A session whose client did not ask for follow-ups has a limit of 0.
    assert followup_reason(thin, InterviewFollowups(asked=0, limit=0)) is None


def test_a_topic_is_scored_from_its_answer_and_follow_up_together() -> None:
    assert topic_score(3, 9) == 6.0
    assert topic_score(4, 7) == 5.5
    # Never below the first answer: being asked a follow-up costs nothing.
    assert topic_score(6, 2) == 6.0
    # A skip is no answer, not a zero.
    assert topic_score(3, None) == 3.0


def test_the_report_numbers_count_topics() -> None:
    overall, by_kind = score_answers(
        [
            ScoredAnswer(kind="technical", score=topic_score(3, 9)),
            ScoredAnswer(kind="technical", score=topic_score(8, None)),
            ScoredAnswer(kind="behavioral", score=topic_score(5, None)),
        ]
    )
    assert overall == round((6.0 + 8 + 5) / 3 * 10, 1)
    assert by_kind.technical == 70.0 and by_kind.behavioral == 50.0


# --- the limits, whatever the answers ----------------------------------------------------------


@dataclass
class Interview:
    """The gateway's bookkeeping of one interview's follow-ups, as ``ask_followup_if_due``
    keeps it: which questions have one, how many were asked."""

    limit: int
    followed: set[int] = field(default_factory=set)

    def evaluated(self, position: int, answer: EvaluatedAnswer) -> None:
        state = InterviewFollowups(
            asked=len(self.followed), limit=self.limit, question_has_one=position in self.followed
        )
        if followup_reason(answer, state) is not None:
            # One row per question: a second follow-up on it would break the primary key.
            assert position not in self.followed
            self.followed.add(position)


gaps = st.builds(
    AnswerGaps,
    missed_points=st.lists(st.sampled_from(["a", "b", "c"]), max_size=3),
    vague=st.booleans(),
    non_answer=st.booleans(),
)
evaluations = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=10),  # the question's position
        st.builds(
            EvaluatedAnswer,
            score=st.integers(min_value=0, max_value=10),
            gaps=st.none() | gaps,
            is_followup=st.booleans(),
        ),
    ),
    max_size=40,  # ten questions, ten follow-ups, each evaluation perhaps delivered twice
)


@settings(max_examples=300, deadline=None)
@given(limit=st.integers(min_value=0, max_value=12), evaluations=evaluations)
def test_no_interview_gets_more_follow_ups_than_its_limit_or_two_on_a_question(
    limit: int, evaluations: list[tuple[int, EvaluatedAnswer]]
) -> None:
    interview = Interview(limit)
    for position, answer in evaluations:
        interview.evaluated(position, answer)
    assert len(interview.followed) <= limit
    # And every follow-up asked is on an answer that is not strong and lacks something.
    for position in interview.followed:
        asked_on = [answer for p, answer in evaluations if p == position and not answer.is_followup]
        assert any(a.score < STRONG_AT and a.gaps is not None for a in asked_on)
