"""The "laptop CPU" and "GPU" scenarios of ``make bench`` (issue 12): interviews against a model
that works at a real model's speed, measured from the client's side, each figure beside its
floor.

The model is the fake Ollama with a speed profile (``LAPTOP_CPU``, ``GPU``): it loads, reads
the prompt and writes token by token at the profile's rates, in its slots. The four services run
as processes with their default settings. Interviews run one after the other (the first finds
the model unloaded), and each is driven as a candidate would:

- **first answerable question**: from the start of the upload to the moment an answer to the
  first question shown by ``GET /v1/sessions/{id}`` is accepted (202); the view is polled every
  ``POLL_S`` and the answer is posted as soon as a question appears (a refusal is retried at the
  next poll);
- **all ten**: from the start of the upload to the first poll that shows every question;
- **evaluation**: from an answer's 202 to the first poll that shows its evaluation: the answer
  posted at the first question (it may wait behind the questions still being written), and one
  posted once the set is written and that first evaluation is in (the model may be reading the
  resume then: the answer takes it back);
- **profile**: from the start of the upload to the first poll that shows the model's profile
  (the questions are written from the basic parser's; the model reads the resume once nothing a
  candidate waits for is pending), waited for after the two evaluations;
- where the profile and each question came from (``ai`` or ``fallback``) and the notices' codes.

A floor is the model's own time for that work, computed from the profile and the prompts the
fake really received, whose tokens are counted as the fake counts them (``prompt_eval_count``:
the characters of the messages' contents over four, rounded down, at least one; ``eval_count``:
a token for every four characters of the answer or part of four): the load (unless an earlier
call loaded the model), reading the prompt, writing the answer. The first question's floor
writes the answer up to where the second question begins (the reader takes a question once the
next has begun);
the set's, the whole answer. Neither counts the resume profile's call: it is work the candidate
need not wait for, so it is shown beside them as a figure of its own (the call that completed;
the readings given up for a candidate's answer are counted).
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import tempfile
import textwrap
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from candidate import answer_text, create_session, resume_docx
from model_answers import realistic_answer
from system import RunningSystem

from careerflow_testing.fake_ollama import (
    CHARS_PER_TOKEN,
    FakeOllama,
    RecordedRequest,
    SpeedProfile,
)
from careerflow_testing.infrastructure import fresh_database

QUESTIONS = 10
POLL_S = 0.05
INTERVIEW_TIMEOUT_S = 900.0
STARTUP_TIMEOUT_S = 180.0
"""Each service's start: on a loaded machine its imports alone can take tens of seconds."""
FIRST_TARGET = 1.5
"""Issue 12's target: the first question answerable within 1.5 times its floor."""


# -- floors: the model's own time for a piece of work --------------------------------------------


def prompt_tokens(body: Mapping[str, Any]) -> int:
    """The prompt's tokens as the fake counts them for ``prompt_eval_count``."""
    messages = body.get("messages") or []
    text = "".join(str(m.get("content", "")) for m in messages if isinstance(m, Mapping))
    return max(1, len(text) // CHARS_PER_TOKEN)


def answer_tokens(text: str) -> int:
    """The tokens of an answer as the fake writes them (its ``eval_count``)."""
    return max(1, math.ceil(len(text) / CHARS_PER_TOKEN))


def work_s(profile: SpeedProfile, *, loaded: bool, prompt: int, output: int) -> float:
    """Seconds the model itself needs: the load unless ``loaded``, reading ``prompt`` tokens,
    writing ``output`` tokens."""
    load = 0.0 if loaded else profile.load_s
    return load + prompt / profile.prompt_tokens_per_s + output / profile.output_tokens_per_s


def first_item_end(answer: str, field_name: str) -> int:
    """The characters of ``answer`` (a JSON object) up to the first character of the second item
    of its array ``field_name``: what a streaming reader must have seen to take the first item
    (it takes an item once the next has begun). The whole answer if there is no second item."""
    if len(json.loads(answer)[field_name]) < 2:
        return len(answer)
    position = answer.index("[", answer.index(json.dumps(field_name))) + 1
    _first, position = json.JSONDecoder().raw_decode(answer, _skip(answer, position, " \n"))
    return _skip(answer, position, " \n,") + 1


def _skip(text: str, position: int, characters: str) -> int:
    while text[position] in characters:
        position += 1
    return position


def model_answer(body: Mapping[str, Any]) -> str:
    """The text the fake writes for this request: the responder's answer as JSON."""
    return json.dumps(realistic_answer(dict(body)))


def _properties(request: RecordedRequest) -> set[str]:
    schema = request.output_schema
    return set(schema.get("properties", {})) if isinstance(schema, dict) else set()


@dataclass
class Floors:
    """The model's own seconds for each piece of one interview's work (None: no such call)."""

    profile_s: float | None = None
    profile_calls: int = 0
    first_question_s: float | None = None
    all_questions_s: float | None = None
    evaluations_s: list[float | None] = field(default_factory=list)


def floors_of(
    profile: SpeedProfile,
    calls: Sequence[RecordedRequest],
    *,
    cold: bool,
    window: tuple[float, float],
    answers_at: Sequence[float],
) -> Floors:
    """The floors of one interview from the chat calls the fake received (all of them, oldest
    first: an earlier call means the model was loaded). ``window`` is the interview's span
    (wall clock), ``answers_at`` when each answer was accepted. The first question's floor
    includes the load when the interview began with the model unloaded (``cold``)."""
    begin, end = window
    mine = [c for c in calls if begin <= c.received_at <= end]

    def whole_call(call: RecordedRequest) -> float:
        """The model's time for a whole call: loaded unless no call came before it."""
        body = call.body or {}
        loaded = any(c.received_at < call.received_at for c in calls)
        output = answer_tokens(model_answer(body))
        return work_s(profile, loaded=loaded, prompt=prompt_tokens(body), output=output)

    floors = Floors()
    profiles = [c for c in mine if "skills" in _properties(c)]
    floors.profile_calls = len(profiles)
    if profiles:
        # The last one is the reading that went to its end; the others were given up.
        floors.profile_s = whole_call(profiles[-1])
    questions = [c for c in mine if "questions" in _properties(c)]
    if questions:
        body = questions[0].body or {}
        answer = model_answer(body)
        prompt = prompt_tokens(body)
        first = answer_tokens(answer[: first_item_end(answer, "questions")])
        floors.first_question_s = work_s(profile, loaded=not cold, prompt=prompt, output=first)
        floors.all_questions_s = work_s(
            profile, loaded=not cold, prompt=prompt, output=answer_tokens(answer)
        )
    evaluations = [c for c in mine if "rubric" in _properties(c)]
    for accepted in answers_at:
        # The first evaluation call after the answer was accepted is the one for it.
        found = next((c for c in evaluations if c.received_at >= accepted), None)
        if found is not None:
            evaluations.remove(found)
        floors.evaluations_s.append(None if found is None else whole_call(found))
    return floors


# -- one interview, as the candidate sees it ---------------------------------------------------


@dataclass
class Interview:
    """One interview's figures: seconds from the start of the upload (None: never seen)."""

    cold: bool
    first_shown_s: float | None = None
    first_answerable_s: float | None = None
    refused_probes: int = 0
    all_questions_s: float | None = None
    evaluations_s: list[float | None] = field(default_factory=list)
    """From each answer's 202 to its evaluation: the answer at the first question, then one
    posted after the set."""
    evaluation_sources: list[str] = field(default_factory=list)
    """Where each of those evaluations came from (``ai``, ``fallback``), in the same order."""
    answers_at: list[float] = field(default_factory=list)
    """Wall-clock time each accepted answer was posted (to find its evaluation call in the
    fake)."""
    window: tuple[float, float] = (0.0, 0.0)
    questions: int = 0
    from_model: int = 0
    profile_source: str | None = None
    profile_s: float | None = None
    """From the start of the upload to the first poll showing the model's profile."""
    notices: list[str] = field(default_factory=list)
    status: str = ""
    floors: Floors = field(default_factory=Floors)


async def _view(client: httpx.AsyncClient, session_id: str) -> dict[str, Any]:
    response = await client.get(f"/v1/sessions/{session_id}")
    response.raise_for_status()
    view: dict[str, Any] = response.json()
    return view


def _evaluation(view: Mapping[str, Any], question_id: str) -> Mapping[str, Any] | None:
    for question in view["questions"]:
        if question["id"] == question_id:
            answer = question.get("answer") or {}
            evaluation: Mapping[str, Any] | None = answer.get("evaluation")
            return evaluation
    return None


async def drive_interview(client: httpx.AsyncClient, index: int, *, cold: bool) -> Interview:
    """Upload a resume and play the candidate until two answers are evaluated; see the module
    docstring for what is timed."""
    figures = Interview(cold=cold)
    # The candidate has the file before the upload starts: making it is not the system's time
    # (python-docx takes a tenth of a second and more on a loaded machine).
    document = resume_docx(f"Bench {index}")
    wall_began = time.time()
    began = time.monotonic()
    session_id = str((await create_session(client, document))["id"])
    pending: dict[str, float] = {}  # question id -> when its answer was accepted (monotonic)
    answered: list[str] = []

    async def answer(question: Mapping[str, Any]) -> bool:
        # Wall time before the post: the evaluation call cannot reach the fake before it.
        posted_at = time.time()
        response = await client.post(
            f"/v1/sessions/{session_id}/answers",
            json={"question_id": question["id"], "text": answer_text(dict(question))},
        )
        if response.status_code != 202:
            return False
        pending[question["id"]] = time.monotonic()
        figures.answers_at.append(posted_at)
        answered.append(question["id"])
        return True

    view: dict[str, Any] = {}
    async with asyncio.timeout(INTERVIEW_TIMEOUT_S):
        while True:
            view = await _view(client, session_id)
            now = time.monotonic() - began
            questions = sorted(view["questions"], key=lambda q: q["position"])
            if view["status"] == "failed":
                break
            if questions and figures.first_shown_s is None:
                figures.first_shown_s = now
            if questions and not answered:
                if await answer(questions[0]):
                    figures.first_answerable_s = time.monotonic() - began
                else:
                    figures.refused_probes += 1
            if len(questions) >= QUESTIONS and figures.all_questions_s is None:
                figures.all_questions_s = now
            for question_id, accepted in list(pending.items()):
                evaluation = _evaluation(view, question_id)
                if evaluation is not None:
                    figures.evaluations_s.append(time.monotonic() - accepted)
                    figures.evaluation_sources.append(str(evaluation["source"]))
                    del pending[question_id]
            if (
                figures.all_questions_s is not None
                and len(answered) == 1
                and not pending
                and len(questions) > 1
            ):
                await answer(questions[1])
            if (view.get("profile") or {}).get("source") == "ai" and figures.profile_s is None:
                figures.profile_s = now
            reading = any(a["stage"] == "resume" for a in view.get("activity", []))
            if len(answered) == 2 and not pending and not reading:
                break  # both answers scored, and the model has had its turn at the resume
            await asyncio.sleep(POLL_S)
    figures.window = (wall_began, time.time())
    figures.status = view.get("status", "")
    figures.questions = len(view.get("questions", []))
    figures.from_model = sum(1 for q in view.get("questions", []) if q["source"] == "ai")
    figures.profile_source = (view.get("profile") or {}).get("source")
    figures.notices = [f"{n['code']} ({n['stage']})" for n in view.get("notices", [])]
    return figures


# -- one scenario ------------------------------------------------------------------------------


@dataclass
class SpeedScenario:
    """A scenario's interviews, with the machine's load around them."""

    title: str
    profile: SpeedProfile
    interviews: list[Interview] = field(default_factory=list)
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    errors: list[str] = field(default_factory=list)


async def run_speed_scenario(
    title: str,
    profile: SpeedProfile,
    *,
    interviews: int,
    amqp_url: str,
    postgres_url: str,
    log: Callable[[str], None],
) -> SpeedScenario:
    """``interviews`` interviews, one after the other, against the fake Ollama at ``profile``'s
    speed, the services with their default settings; then each one's floors."""
    scenario = SpeedScenario(title, profile)
    scenario.load_before = _load_average()
    with FakeOllama(profile=profile) as fake:
        fake.set_responder(realistic_answer)
        async with fresh_database(postgres_url, "cf_bench") as database_url:
            log_dir = Path(tempfile.mkdtemp(prefix="careerflow-bench-speed-"))
            log(f"bench: {title}: the services' logs are in {log_dir}")
            system = RunningSystem(
                amqp_url=amqp_url,
                database_url=database_url,
                ollama_url=fake.url,
                log_dir=log_dir,
            )
            try:
                await system.start(ready_timeout_s=STARTUP_TIMEOUT_S)
                # Generous: on a loaded machine a single request can take seconds.
                async with system.client(timeout_s=60.0) as client:
                    for index in range(interviews):
                        cold = not fake.chat_requests()
                        log(f"bench: {title}, interview {index + 1} of {interviews}")
                        try:
                            scenario.interviews.append(
                                await drive_interview(client, index, cold=cold)
                            )
                        except TimeoutError:
                            scenario.errors.append(
                                f"interview {index + 1} not done within {INTERVIEW_TIMEOUT_S:g} s"
                            )
                            break
            finally:
                await system.stop()
        calls = fake.chat_requests()
    for number, interview in enumerate(scenario.interviews, start=1):
        if interview.status == "failed":
            scenario.errors.append(f"interview {number}'s session failed")
        interview.floors = floors_of(
            profile,
            calls,
            cold=interview.cold,
            window=interview.window,
            answers_at=interview.answers_at,
        )
    scenario.load_after = _load_average()
    return scenario


def _load_average() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:  # a platform without it
        return (math.nan, math.nan, math.nan)


# -- the report --------------------------------------------------------------------------------


def _against(measured: float | None, floor: float | None, source: str | None = None) -> str:
    """A figure beside its floor: ``12.3 s (floor 9.8 s, 1.26x)``, with where the result came
    from when that is not the same for every figure (``14.6 s, fallback (floor ...)``)."""
    if measured is None:
        return "not seen"
    figure = f"{measured:.1f} s" if source is None else f"{measured:.1f} s, {source}"
    if floor is None or floor <= 0:
        return f"{figure} (no model call, no floor)"
    return f"{figure} (floor {floor:.1f} s, {measured / floor:.2f}x)"


def _within(measured: float | None, floor: float | None, factor: float) -> bool:
    return measured is not None and floor is not None and measured <= factor * floor


def target_checks(scenario: SpeedScenario) -> list[tuple[str, bool]]:
    """Issue 12's targets for this profile, each with whether every interview met it."""
    interviews = scenario.interviews
    first_ok = bool(interviews) and all(
        _within(i.first_answerable_s, i.floors.first_question_s, FIRST_TARGET) for i in interviews
    )
    first = f"first question answerable within {FIRST_TARGET:g}x its floor"
    if scenario.profile.name == "laptop-cpu":
        return [
            (
                "the profile from the model",
                bool(interviews) and all(i.profile_source == "ai" for i in interviews),
            ),
            (
                f"at least {QUESTIONS - 1} of {QUESTIONS} questions from the model",
                bool(interviews) and all(i.from_model >= QUESTIONS - 1 for i in interviews),
            ),
            (
                "no ai_timeout",
                bool(interviews)
                and not any(n.startswith("ai_timeout") for i in interviews for n in i.notices),
            ),
            (first, first_ok),
        ]
    return [
        (
            f"{QUESTIONS} of {QUESTIONS} questions from the model",
            bool(interviews) and all(i.from_model == QUESTIONS for i in interviews),
        ),
        (first, first_ok),
    ]


def _load(values: tuple[float, float, float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def render_speed_section(scenario: SpeedScenario, *, made_by: str, measured_on: str) -> str:
    """The Markdown section of one scenario (without the markers around it)."""
    p = scenario.profile
    rows = []
    for number, i in enumerate(scenario.interviews, start=1):
        evaluations = i.evaluations_s + [None] * (2 - len(i.evaluations_s))
        evaluated_by: list[str | None] = [*i.evaluation_sources, None, None]
        floors = i.floors.evaluations_s + [None] * (2 - len(i.floors.evaluations_s))
        rows.append(
            f"| {number} ({'unloaded' if i.cold else 'loaded'}) "
            f"| {_against(i.first_answerable_s, i.floors.first_question_s)} "
            f"| {_against(i.all_questions_s, i.floors.all_questions_s)} "
            f"| {_against(evaluations[0], floors[0], evaluated_by[0])} "
            f"| {_against(evaluations[1], floors[1], evaluated_by[1])} |"
        )
    sources = [
        f"| {number} | {i.profile_source or 'none'} "
        f"| {'not seen' if i.profile_s is None else f'{i.profile_s:.1f} s'} "
        f"| {'n/a' if i.floors.profile_s is None else f'{i.floors.profile_s:.1f} s'} "
        f"({i.floors.profile_calls}) "
        f"| {i.from_model}/{i.questions} "
        f"| {', '.join(i.notices) or 'none'} "
        f"| {'not seen' if i.first_shown_s is None else f'{i.first_shown_s:.1f} s'} "
        f"({i.refused_probes}) |"
        for number, i in enumerate(scenario.interviews, start=1)
    ]
    targets = [
        f"- {what}: **{'met' if ok else 'not met'}**" for what, ok in target_checks(scenario)
    ]
    errors = [f"**Not finished:** {error}." for error in scenario.errors]
    count = len(scenario.interviews)
    paragraphs = [
        f"Made by `{made_by}` on {measured_on}.",
        f"Load average (1 / 5 / 15 min) at the start {_load(scenario.load_before)}, at the end "
        f"{_load(scenario.load_after)}: the machine is shared, and a load above its core count "
        "slows every figure below but not the floors.",
        f"The fake Ollama at the `{p.name}` profile: it loads in {p.load_s:g} s, reads "
        f"{p.prompt_tokens_per_s:g} tokens/s and writes {p.output_tokens_per_s:g} tokens/s, "
        f"{p.parallel} call{'s' if p.parallel > 1 else ''} at a time. The services run with "
        f"their default settings. {count} interview{'s' if count != 1 else ''}, one after the "
        "other (the first finds the model unloaded): each takes as long as the model needs, so "
        "these are single runs, not percentiles.",
        "Each figure is timed from the client's side (see scripts/bench_model_speed.py): from "
        "the start of the upload to the first answer accepted (202) and to the view showing "
        f"all {QUESTIONS} questions; from an answer's 202 to the view showing its evaluation "
        "(`ai`: the model's, `fallback`: the default scoring). "
        "Its floor is the model's own time for that work at this profile, for the prompts the "
        "fake received: the load if the model was unloaded, reading the prompt, writing the "
        "answer (for the first question, up to where the second begins). The resume profile's "
        "call is in no floor: the questions are written from the basic parser's reading, and "
        "the model reads the resume when nothing a candidate waits for is pending. Below, when "
        "the model's profile was shown (from the start of the upload), the model's own time for "
        "the reading that went to its end, and how many readings were asked for (one given up "
        "for each answer that came while the model read).",
        *errors,
    ]
    text = "\n\n".join(_wrap(paragraph) for paragraph in paragraphs)
    return f"""## {scenario.title}

{text}

| interview (model) | first answerable question | all {QUESTIONS} questions \
| evaluation of the answer posted at the first question \
| evaluation of an answer posted after the set |
|---|---|---|---|---|
{chr(10).join(rows)}

| interview | profile from | the model's profile shown | its call's own time (readings) \
| questions from the model | notices | first question shown (refused answers) |
|---|---|---|---|---|---|---|
{chr(10).join(sources)}

Targets of issue 12 (reported, not asserted):

{chr(10).join(targets)}
"""


def _wrap(paragraph: str) -> str:
    return textwrap.fill(paragraph, width=100, break_long_words=False, break_on_hyphens=False)
