"""CareerFlow's evaluator: scores answers with a rubric and writes the final report's narrative.

The model does both when it answers usefully; otherwise a deterministic, labelled fallback does:
``heuristic`` for answers, ``report.fallback_narrative`` for the report.
"""
