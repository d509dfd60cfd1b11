"""The model's pace as a score carries it: the call's own figures, and never a figure the
contract would refuse (which would fail the whole result)."""

from __future__ import annotations

from careerflow_contracts import CallSpeed
from careerflow_evaluator.scoring import call_speed
from careerflow_llm.pace import CallFigures


def test_the_calls_figures_become_its_speed() -> None:
    figures = CallFigures(
        load_s=4.0, prompt_tokens=600, prompt_s=10.0, output_tokens=300, output_s=20.0
    )
    assert call_speed(figures) == CallSpeed(
        load_s=4.0, prompt_tokens_per_s=60.0, output_tokens_per_s=15.0
    )


def test_no_figures_no_speed() -> None:
    assert call_speed(None) is None


def test_a_figure_out_of_bounds_is_left_out_and_the_rest_kept() -> None:
    # Two thousand tokens "read" in a nanosecond, and a load of two days.
    figures = CallFigures(
        load_s=172_800.0, prompt_tokens=2_000, prompt_s=1e-9, output_tokens=300, output_s=20.0
    )
    assert call_speed(figures) == CallSpeed(output_tokens_per_s=15.0)


def test_a_call_too_short_to_tell_has_no_rates() -> None:
    figures = CallFigures(load_s=None, prompt_tokens=3, prompt_s=0.1, output_tokens=2, output_s=0.1)
    assert call_speed(figures) == CallSpeed()
