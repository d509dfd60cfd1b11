"""What the handler's tests share: the resume they read, the day they read it on and the type
of their ``handle`` fixture."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from careerflow_contracts import ResumeParsed

# The day the tests' resumes are read on, so that "Mar 2019 - Present" is always 7.8 years.
TODAY = date(2026, 11, 24)

# A resume as its text layer: contact details, one job with its dates, and skills the
# deterministic reading knows (k8s and Postgres under other names).
RESUME_TEXT = """Jane Smith
jane.smith@example.com
EXPERIENCE
Software Engineer, Globex Corporation
Mar 2019 - Present
Built billing services in Python and Go on k8s.
SKILLS
Python, Go, Kubernetes, Postgres, Docker
"""

# The ``handle`` fixture: the handler with the module's extraction pool and ``TODAY`` bound,
# called as ``handle(event)`` or ``handle(event, llm=another_client)``.
HandleSubmitted = Callable[..., Awaitable[ResumeParsed]]
