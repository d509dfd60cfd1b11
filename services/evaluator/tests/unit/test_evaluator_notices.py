"""Every fallback reason has words for a person."""

from __future__ import annotations

import pytest

from careerflow_contracts import FALLBACK_REASONS, FallbackReason
from careerflow_evaluator.notices import fallback_notice


@pytest.mark.parametrize("reason", FALLBACK_REASONS)
def test_every_reason_gives_a_notice_coded_with_it(reason: FallbackReason) -> None:
    notice = fallback_notice("evaluation", reason, None, "an automatic estimate was used")
    assert notice.code == f"ai_{reason}"
    assert notice.message.endswith("an automatic estimate was used.")
    assert reason not in notice.message
