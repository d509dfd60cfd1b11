"""CareerFlow's question generator: interview questions for a resume, a job and a role.

handle_questions_requested(event, *, llm)   questions.requested -> questions.generated
fallback_questions(payload, seed)           the deterministic set, from the banks
question_seed(session_id, generation)       the seed of a session's questions
detect_role_family(target_role)             "backend", "data", ..., "generic"
"""

from careerflow_question_gen.fallback import fallback_questions, question_seed
from careerflow_question_gen.handler import handle_questions_requested
from careerflow_question_gen.roles import RoleFamily, detect_role_family

__all__ = [
    "RoleFamily",
    "detect_role_family",
    "fallback_questions",
    "handle_questions_requested",
    "question_seed",
]
