"""Run one whole CareerFlow interview from the terminal against a running system.

Uploads a resume, waits for the ten questions (showing progress), answers each one from a file
(``--answers FILE``, see ``scripts/demo_answers.txt`` for its lines) or as you type, shows each
evaluation as it arrives and the follow-up question the interviewer asks on a thin answer (never
on a strong one), answers or skips it, then prints the final report with the follow-ups asked.
Used by ``make demo``; works against ``make run`` and ``make up``.
By default it uses the sample of ``samples/``: a fictional resume, a job description and a role;
``--resume``, ``--target-role`` and ``--job-description`` (a file, or the text itself) ask for
any other job: ``make demo ROLE="ICU Registered Nurse" JD=path/to/advert.txt RESUME=cv.pdf``.

The bearer token comes from ``--token``, else ``$TOKEN``, else ``gateway token --user demo``
with the gateway's secret (``$GATEWAY_JWT_SECRET``, else ``.run/jwt-secret``, else ``.env``).
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

from careerflow_contracts.rest import QuestionView, ReportView, SessionView

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DEFAULT_RESUME = SAMPLES / "resume.pdf"
DEFAULT_JOB_FILE = SAMPLES / "job-description.txt"
DEFAULT_ROLE_FILE = SAMPLES / "target-role.txt"
SAMPLE_ANSWERS = ROOT / "scripts/demo_answers.txt"
SPINNER = "|/-\\"
STRONG_SCORE = 7
"""The score from which the interviewer never follows an answer up (the gateway's rule)."""


class DemoError(Exception):
    """A step of the interview failed; the message says which and why."""


def _say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _jwt_secret() -> str | None:
    if secret := os.environ.get("GATEWAY_JWT_SECRET"):
        return secret
    run_secret = ROOT / ".run/jwt-secret"
    if run_secret.is_file():
        return run_secret.read_text().strip()
    dotenv = ROOT / ".env"
    if dotenv.is_file():
        for line in dotenv.read_text().splitlines():
            name, _, value = line.partition("=")
            if name.strip() == "GATEWAY_JWT_SECRET" and value.strip():
                return value.strip().strip("\"'")
    return None


def _token(args: argparse.Namespace) -> str:
    if args.token:
        return str(args.token)
    if token := os.environ.get("TOKEN"):
        return token
    secret = _jwt_secret()
    gateway = shutil.which("gateway")
    if secret is None or gateway is None:
        raise DemoError(
            "no token: pass --token (make run prints one), or export GATEWAY_JWT_SECRET "
            "with the secret the gateway runs with"
        )
    env = {**os.environ, "GATEWAY_JWT_SECRET": secret, "GATEWAY_ENVIRONMENT": "development"}
    command = [gateway, "token", "--user", args.user]
    minted = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if minted.returncode != 0:
        raise DemoError(f"gateway token failed: {minted.stderr.strip()}")
    return minted.stdout.strip()


def _check(response: httpx.Response, expected: int, step: str) -> httpx.Response:
    if response.status_code == expected:
        return response
    detail = response.text[:500]
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        problem = response.json()
        detail = f"{problem.get('title')}: {problem.get('detail')}"
    if response.status_code == 401:
        detail += " (the token is not signed with the gateway's secret: pass --token)"
    raise DemoError(f"{step}: HTTP {response.status_code}: {detail}")


class Progress:
    """One status line that redraws in place on a terminal and prints changes elsewhere."""

    def __init__(self) -> None:
        self._tty = sys.stdout.isatty()
        self._spin = itertools.cycle(SPINNER)
        self._last = ""
        self._started = time.monotonic()

    def show(self, text: str) -> None:
        elapsed = time.monotonic() - self._started
        if self._tty:
            sys.stdout.write(f"\r\033[K{next(self._spin)} {text} ({elapsed:.0f} s)")
            sys.stdout.flush()
        elif text != self._last:
            _say(f"  ... {text} ({elapsed:.0f} s)")
        self._last = text

    def done(self) -> None:
        if self._tty:
            sys.stdout.write("\r\033[K")
            sys.stdout.flush()


class Interview:
    """The REST calls of one interview, with polling until a condition holds."""

    def __init__(self, client: httpx.Client, poll_s: float, timeout_s: float) -> None:
        self._client = client
        self._poll_s = poll_s
        self._timeout_s = timeout_s
        self._notices_seen: set[tuple[str, str]] = set()

    def start(self, resume: Path, job_description: str, target_role: str) -> SessionView:
        with resume.open("rb") as document:
            response = self._client.post(
                "/v1/sessions",
                files={"resume": (resume.name, document)},
                data={
                    "job_description": job_description,
                    "target_role": target_role,
                    "followups": "true",  # this client shows follow-up questions
                },
                headers={"Idempotency-Key": str(uuid.uuid4())},
            )
        return SessionView.model_validate(_check(response, 202, "upload").json())

    def session(self, session_id: uuid.UUID) -> SessionView:
        response = self._client.get(f"/v1/sessions/{session_id}")
        view = SessionView.model_validate(_check(response, 200, "session").json())
        for notice in view.notices:
            key = (notice.stage, notice.code)
            if key not in self._notices_seen:
                self._notices_seen.add(key)
                clear = "\r\033[K" if sys.stdout.isatty() else ""  # the progress line, if any
                _say(f"{clear}  note ({notice.stage}): {notice.message}")
        return view

    def wait_for(
        self,
        session_id: uuid.UUID,
        done: Callable[[SessionView], bool],
        describe: Callable[[SessionView], str],
    ) -> SessionView:
        progress = Progress()
        deadline = time.monotonic() + self._timeout_s
        try:
            while True:
                view = self.session(session_id)
                if view.status == "failed":
                    raise DemoError(f"the session failed: {[n.message for n in view.notices]}")
                if done(view):
                    return view
                if time.monotonic() > deadline:
                    raise DemoError(f"gave up after {self._timeout_s:g} s: {describe(view)}")
                progress.show(describe(view))
                time.sleep(self._poll_s)
        finally:
            progress.done()

    def answer(self, session_id: uuid.UUID, question: QuestionView, text: str) -> None:
        response = self._client.post(
            f"/v1/sessions/{session_id}/answers",
            json={"question_id": str(question.id), "text": text},
        )
        _check(response, 202, f"answer to question {question.position}")

    def skip(self, session_id: uuid.UUID, question: QuestionView) -> None:
        response = self._client.post(f"/v1/sessions/{session_id}/questions/{question.id}/skip")
        _check(response, 200, f"skip of the follow-up to question {question.position}")

    def report(self, session_id: uuid.UUID) -> ReportView:
        response = self._client.get(f"/v1/sessions/{session_id}/report")
        return ReportView.model_validate(_check(response, 200, "report").json())


def _read_text(path: Path, what: str) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise DemoError(f"cannot read the {what} {path}: {exc}") from None
    if not text:
        raise DemoError(f"the {what} {path} is empty")
    return text


_KEYED = re.compile(r"\[([^\]]+)\]\s*(.+)")


class DemoAnswers:
    """The answers of an answers file: ``[words] answer`` for a question whose text holds the
    words, ``> answer`` for the follow-ups in turn, any other line for the next question in turn
    (again from the first when they run out); ``#`` starts a comment."""

    def __init__(self, text: str) -> None:
        self.keyed: list[tuple[str, str]] = []
        self.followups: list[str] = []
        plain: list[str] = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith(">"):
                self.followups.append(line[1:].strip())
            elif keyed := _KEYED.fullmatch(line):
                self.keyed.append((keyed.group(1).strip().lower(), keyed.group(2).strip()))
            else:
                plain.append(line)
        if not plain and not self.keyed:
            raise DemoError("the answers file has no answer")
        self._plain = itertools.cycle(plain) if plain else None
        self._followups = iter(self.followups)

    def for_question(self, question: QuestionView) -> str:
        text = question.text.lower()
        for words, answer in self.keyed:
            if words in text:
                return answer
        if self._plain is None:
            return self.keyed[0][1]
        return next(self._plain)

    def for_followup(self, _question: QuestionView) -> str | None:
        """The next follow-up answer, or None (skip it) when there is none left."""
        return next(self._followups, None)


class TypedAnswers:
    """Answers typed at the terminal; an empty answer to a follow-up skips it."""

    def for_question(self, _question: QuestionView) -> str:
        while True:
            text = input("Your answer (one line): ").strip()
            if text:
                return text[:10_000]
            _say("An answer needs at least one character.")

    def for_followup(self, _question: QuestionView) -> str | None:
        text = input("Your answer to the follow-up (one line, empty to skip): ").strip()
        return text[:10_000] or None


def _answer_source(path: Path | None) -> DemoAnswers | TypedAnswers:
    if path is None and not sys.stdin.isatty():
        _say(f"(no terminal to type in: answering from {SAMPLE_ANSWERS.relative_to(ROOT)})")
        path = SAMPLE_ANSWERS
    if path is not None:
        return DemoAnswers(_read_text(path, "answers file"))
    return TypedAnswers()


def _describe_status(view: SessionView) -> str:
    return {
        "parsing": "reading the resume",
        "generating": "writing the questions",
        "ready": "questions ready",
        "in_progress": f"{view.progress.evaluated}/{view.progress.total} answers evaluated",
        "completed": "completed",
    }.get(view.status, view.status)


def _print_question(question: QuestionView, total: int) -> None:
    skill = f", {question.skill}" if question.skill else ""
    _say()
    _say(f"Question {question.position}/{total} ({question.kind}{skill}, {question.source}):")
    _say(f"  {question.text}")


def _print_report(report: ReportView) -> None:
    kinds = report.by_kind
    _say()
    _say(f"Report ({report.source})")
    _say(f"  overall score   {report.overall_score:.0f}/100")
    for kind, score in (("technical", kinds.technical), ("behavioral", kinds.behavioral)):
        _say(f"  {kind:<15} {'-' if score is None else f'{score:.0f}/100'}")
    for followup in report.followups:
        outcome = "skipped" if followup.skipped else f"{followup.score}/10"
        _say(
            f"  follow-up on question {followup.position}: {outcome}, topic "
            f"{followup.topic_score:g}/10"
        )
    match = report.skill_match
    _say(f"  skill match     {match.score:.0f}/100")
    _say(f"    matched: {', '.join(match.matched) or '-'}")
    _say(f"    missing: {', '.join(match.missing) or '-'}")
    _say(f"  summary: {report.summary}")
    for title, items in (("strengths", report.strengths), ("improvements", report.improvements)):
        if items:
            _say(f"  {title}:")
            for item in items:
                _say(f"    - {item}")


def job_description_of(args: argparse.Namespace) -> str:
    """The job description asked for: ``--job-description`` as a file when it names one, else
    as the text itself; without it, ``--job-description-file`` (the sample's by default)."""
    given: str | None = args.job_description
    if given is None:
        return _read_text(args.job_description_file, "job description")
    if "\n" not in given and len(given) < 4096 and Path(given).expanduser().is_file():
        return _read_text(Path(given).expanduser(), "job description")
    if not given.strip():
        raise DemoError("the job description is empty")
    return given


def _evaluated(view: SessionView, question_id: uuid.UUID) -> bool:
    current = next(q for q in view.questions if q.id == question_id)
    return current.answer is not None and current.answer.evaluation is not None


def _show_evaluation(
    interview: Interview, session_id: uuid.UUID, question: QuestionView
) -> SessionView:
    """Wait for the answer's evaluation and print it; the view then."""
    view = interview.wait_for(
        session_id, lambda v: _evaluated(v, question.id), lambda _v: "evaluating the answer"
    )
    done = next(q for q in view.questions if q.id == question.id)
    assert done.answer is not None and done.answer.evaluation is not None
    evaluation = done.answer.evaluation
    rubric = evaluation.rubric
    _say(
        f"  score {evaluation.score}/10 ({evaluation.source}): relevance "
        f"{rubric.relevance}, depth {rubric.depth}, structure {rubric.structure}, "
        f"specificity {rubric.specificity}"
    )
    _say(f"  feedback: {evaluation.feedback}")
    return view


def _follow_up(
    interview: Interview,
    view: SessionView,
    question: QuestionView,
    answers: DemoAnswers | TypedAnswers,
    *,
    shown: bool,
) -> SessionView:
    """The follow-up the interviewer asks on this answer, if any: answered or skipped. The
    decision is taken with the evaluation, so the view that shows the score says whether one is
    being written."""
    if question.position in view.followups_writing:
        view = interview.wait_for(
            view.id,
            lambda v: any(q.parent_id == question.id for q in v.questions),
            lambda _v: "the interviewer is writing a follow-up",
        )
    followup = next((q for q in view.questions if q.parent_id == question.id), None)
    if followup is None:
        parent = next(q for q in view.questions if q.id == question.id)
        evaluation = parent.answer.evaluation if parent.answer else None
        strong = evaluation is not None and evaluation.score >= STRONG_SCORE
        _say("  no follow-up: a strong answer" if strong else "  no follow-up")
        return view
    _say(f"  follow-up ({followup.source}): {followup.text}")
    text = answers.for_followup(followup)
    if text is None:
        interview.skip(view.id, followup)
        _say("  follow-up skipped (recorded, not scored)")
        return interview.session(view.id)
    if shown:
        _say(f"  answer: {text}")
    interview.answer(view.id, followup, text)
    return _show_evaluation(interview, view.id, followup)


def run(args: argparse.Namespace) -> None:
    answers = _answer_source(args.answers)
    shown = args.answers is not None or not sys.stdin.isatty()
    if not args.resume.is_file():
        raise DemoError(f"no resume at {args.resume}: pass --resume with a PDF or DOCX")
    job_description = job_description_of(args)
    target_role = args.target_role or _read_text(DEFAULT_ROLE_FILE, "target role")
    headers = {"Authorization": f"Bearer {_token(args)}"}
    with httpx.Client(base_url=args.url, headers=headers, timeout=30.0) as client:
        interview = Interview(client, args.poll_interval, args.timeout)
        _say(f"Uploading {args.resume.name} for the role {target_role!r} to {args.url}")
        view = interview.start(args.resume, job_description, target_role)
        _say(f"Session {view.id}")
        view = interview.wait_for(
            view.id, lambda v: v.status not in ("parsing", "generating"), _describe_status
        )
        if view.profile is not None:
            profile = view.profile
            _say(f"Resume read ({profile.source}): skills {', '.join(profile.skills) or '-'}")
        total = len(view.questions)
        _say(f"{total} questions are ready.")
        for question in sorted(view.questions, key=lambda q: q.position):
            _print_question(question, total)
            text = answers.for_question(question)
            if shown:
                _say(f"  answer: {text}")
            interview.answer(view.id, question, text)
            view = _show_evaluation(interview, view.id, question)
            view = _follow_up(interview, view, question, answers, shown=shown)
        interview.wait_for(
            view.id, lambda v: v.status == "completed", lambda _v: "writing the report"
        )
        _print_report(interview.report(view.id))


def argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("CAREERFLOW_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--token", help="a bearer token (default: $TOKEN or gateway token)")
    parser.add_argument("--user", default="demo", help="the user a minted token is for")
    parser.add_argument(
        "--resume", type=Path, default=DEFAULT_RESUME, help="a PDF or DOCX (default: the sample)"
    )
    parser.add_argument("--target-role", help="default: the one in samples/target-role.txt")
    parser.add_argument(
        "--job-description",
        help="a file holding the job description, or its text (default: --job-description-file)",
    )
    parser.add_argument(
        "--job-description-file",
        type=Path,
        default=DEFAULT_JOB_FILE,
        help="default: samples/job-description.txt",
    )
    parser.add_argument(
        "--answers", type=Path, help="a file with one answer per line (default: type them)"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait per step")
    parser.add_argument("--poll-interval", type=float, default=0.5)
    return parser


def main() -> int:
    args = argument_parser().parse_args()
    try:
        run(args)
    except DemoError as exc:
        _say(f"\ndemo: {exc}")
        return 1
    except httpx.ConnectError:
        _say(f"\ndemo: nothing answers at {args.url}: start CareerFlow with make run or make up")
        return 1
    except OSError as exc:  # a file given on the command line that cannot be read
        _say(f"\ndemo: {exc}")
        return 1
    except (KeyboardInterrupt, EOFError):
        _say("\ndemo: stopped")
        return 130
    _say("\nInterview complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
