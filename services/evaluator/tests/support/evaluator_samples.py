"""Questions the evaluator's tests score answers to."""

from careerflow_contracts import Question

# A technical question whose answer a heuristic can check: the two points are concrete steps.
SLOW_QUERY = Question(
    position=2,
    kind="technical",
    skill="PostgreSQL",
    text="An endpoint became slow because one query now takes seconds. How do you fix it?",
    expected_points=["Run EXPLAIN ANALYZE", "Add an index on the filtered column"],
)
