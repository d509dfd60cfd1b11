"""What the gateway's commands and reads refuse, as exceptions of the domain (no HTTP here).

The session commands, the views and the account functions raise these; ``problems.py`` maps
each class to its ``application/problem+json`` answer (status and ``type``) in one table, and
the exception's message is the problem's ``detail``, in words a client may read. Code that is
not a route catches them by name (the event stream ends when its session is gone).

The hierarchy::

    GatewayError                    a rule of the interview refused what was asked
    ├── NotFound                    no such thing, or not the caller's (both look the same)
    │   ├── SessionNotFound
    │   └── QuestionNotFound
    ├── Conflict                    the session, question or account is not in a state that
    │   │                           allows it
    │   ├── SessionNotReady         answering before the session has questions, or after it
    │   │   │                       ended
    │   │   └── QuestionNotWrittenYet   an unknown question while the set is being written
    │   ├── AlreadyAnswered
    │   ├── FollowupSkipped         answering a follow-up the candidate skipped
    │   ├── NotAFollowup            skipping a question of the set
    │   ├── CannotRegenerate        asking for the questions again once answering began
    │   ├── ReportNotReady          the whole report before its words are written
    │   └── EmailTaken              signing up with an email that has an account
    ├── SignInFailed                a wrong email or a wrong password (the same either way)
    └── InvalidValue                a value the client sent that cannot be read (its field
                                    and why)
"""

from __future__ import annotations

from careerflow_gateway.status import GENERATING


class GatewayError(Exception):
    """A rule of the interview refused what was asked; the message says why."""


class NotFound(GatewayError):
    """No such thing, or another user's: the two are not told apart."""


class SessionNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("no such session")


class QuestionNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("no such question in this session")


class Conflict(GatewayError):
    """The state of the session, the question or the account does not allow it now."""


class SessionNotReady(Conflict):
    """Answering while the session is in ``status``, which takes no answer."""

    def __init__(self, status: str, message: str | None = None) -> None:
        super().__init__(message or f"the session is {status}, not ready")
        self.status = status


class QuestionNotWrittenYet(SessionNotReady):
    """A question the session does not hold while its set is still being written."""

    def __init__(self) -> None:
        super().__init__(GENERATING, "the session's questions are still being written")


class AlreadyAnswered(Conflict):
    def __init__(self) -> None:
        super().__init__("this question has already been answered")


class FollowupSkipped(Conflict):
    def __init__(self) -> None:
        super().__init__("this follow-up question was skipped")


class NotAFollowup(Conflict):
    def __init__(self) -> None:
        super().__init__("only a follow-up question can be skipped; answer this one")


class CannotRegenerate(Conflict):
    def __init__(self, status: str) -> None:
        super().__init__(
            f"the session is {status}: questions can be asked again only before answering begins"
        )
        self.status = status


class ReportNotReady(Conflict):
    """The whole report asked for before it is; ``numbers_shown`` when its numbers are in the
    session view already."""

    def __init__(self, status: str, *, numbers_shown: bool) -> None:
        message = f"the session is {status}, not completed"
        if numbers_shown:
            message += (
                "; the report's numbers are in the session view (report_numbers) while its "
                "words are written"
            )
        super().__init__(message)
        self.status = status


class EmailTaken(Conflict):
    def __init__(self) -> None:
        super().__init__("an account with this email exists: sign in instead")


class SignInFailed(GatewayError):
    def __init__(self) -> None:
        super().__init__("the email or the password is not right")


class InvalidValue(GatewayError):
    """A value the client sent (``field``) that cannot be read, and ``reason`` why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
