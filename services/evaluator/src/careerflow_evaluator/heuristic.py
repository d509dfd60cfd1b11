"""The deterministic fallback scorer: what can be measured about an answer without a model.

Four measures, each 0.0-1.0 and each a public function so it can be tested alone:

- ``point_coverage``: how much of each expected point the answer mentions (stemmed terms and
  synonyms, see ``wording``);
- ``length_band``: whether the answer is long enough to say something and not a wall of text;
- ``star_markers``: which of Situation, Task, Action and Result a behavioral answer shows;
- ``specificity``: numbers, named things (the technical skills of the shared vocabulary,
  tools, standards, acronyms such as "PEEP" or "GAAP", proper names such as "Desmos") and
  concrete outcomes.

``heuristic_evaluation`` turns them into a rubric and a labelled, explained ``Evaluation``.
An empty answer, or one that only says "I don't know", scores 0-1 whatever else it contains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import careerflow_skills
from careerflow_contracts import Evaluation, Question, Rubric
from careerflow_evaluator.wording import STOPWORDS, stem, terms, tokens, word_count, wording

# A point counts as covered once this share of its terms appears in the answer: expected points
# are short phrases ("index the filtered column"), and a strong answer rarely repeats all words.
_COVERED_AT = 0.5

_DECLINE = re.compile(
    r"\b(i\s+(do\s*n[o'’]?t|dont)\s+know|no\s+idea|not\s+sure|no\s+clue|i\s+can'?t\s+"
    r"(answer|remember)|i\s+have\s+no\s+(idea|experience)|never\s+(did|done|had)\s+"
    r"(that|this)|pass|skip|n/?a|idk)\b",
    re.IGNORECASE,
)
_WORDS = wording()
# Words that say nothing about the question once the declining phrase is gone.
_FILLER = frozenset(_WORDS.fillers)
# Each STAR component and phrases that show it. Phrases are matched on the lower-cased answer.
_STAR: dict[str, tuple[str, ...]] = _WORDS.star.model_dump()
# Words that show a technical answer is explained rather than listed.
_REASONING = _WORDS.reasoning

_NUMBER_WORDS = "|".join(map(re.escape, _WORDS.number_words))
_UNITS = "|".join(map(re.escape, _WORDS.units))

# A digit-led quantity ("40 ms", "3.2 s", "12%") or a spelled-out one with a unit ("two weeks").
_NUMBER = re.compile(
    rf"(?<![a-z])\d+(?:[.,]\d+)?|\b(?:{_NUMBER_WORDS})\s+(?:{_UNITS})\b",
    re.IGNORECASE,
)

_LETTER_WORD = re.compile(r"\b[A-Za-z]{2,}+\b")

_OUTCOME = re.compile(
    r"\b(reduc|cut|dropp|increas|improv|sav|grew|grow|doubl|halv|shipp|launch|deliver|"
    rf"lower|rais|fix|resolv|prevent|recover|caught)\w*+\b[^.;\n]{{0,60}}?\b(\d|by|from|to|"
    rf"within|before|{_NUMBER_WORDS})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Coverage:
    """How much of the expected points an answer covers."""

    score: float
    covered: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Specificity:
    """The concrete details found in an answer."""

    score: float
    numbers: int
    technologies: list[str]
    outcomes: int


@dataclass(frozen=True)
class Star:
    """Which STAR components a behavioral answer shows."""

    score: float
    found: list[str]
    missing: list[str]


def is_non_answer(answer: str) -> bool:
    """True for an empty answer or one that only declines ("I don't know", "no idea", "pass")."""
    words = word_count(answer)
    if words == 0:
        return True
    # A long answer that says "I'm not sure" once is hedging, not declining; and a short one
    # that uses "pass" as a verb ("pass the token in a header") is an answer.
    if words > 12 or _DECLINE.search(answer) is None:
        return False
    rest = [t for t in terms(_DECLINE.sub(" ", answer)) if t not in _FILLER and len(t) > 1]
    return len(rest) <= 2


def point_coverage(answer: str, expected_points: list[str], question_text: str = "") -> Coverage:
    """Share of the expected points the answer covers, with partial credit per point.

    Without expected points, the question's own content terms stand in for them, so a
    question from an older generator can still be measured.
    """
    answer_terms = set(terms(answer))
    points = [point for point in expected_points if terms(point)]
    if not points:
        question_terms = set(terms(question_text))
        if not question_terms:
            return Coverage(score=0.0)
        share = len(question_terms & answer_terms) / len(question_terms)
        return Coverage(score=min(1.0, share / _COVERED_AT))
    covered: list[str] = []
    missed: list[str] = []
    credits: list[float] = []
    for point in points:
        point_terms = set(terms(point))
        share = len(point_terms & answer_terms) / len(point_terms)
        credits.append(min(1.0, share / _COVERED_AT))
        (covered if share >= _COVERED_AT else missed).append(point)
    return Coverage(score=sum(credits) / len(credits), covered=covered, missed=missed)


def length_band(answer: str, *, behavioral: bool) -> float:
    """1.0 inside the band where an interview answer can be complete, less outside it.

    A behavioral answer tells a story and needs more room than a technical one. Past the band
    the answer loses a little (rambling), never more than half.
    """
    words = word_count(answer)
    low, high = (90, 450) if behavioral else (60, 400)
    if words >= low:
        return 1.0 if words <= high else max(0.5, 1.0 - (words - high) / (2 * high))
    return float(pow(words / low, 1.5))


def star_markers(answer: str) -> Star:
    """The STAR components (Situation, Task, Action, Result) the answer shows."""
    text = " ".join(answer.lower().split())
    found = [part for part, phrases in _STAR.items() if any(p in text for p in phrases)]
    missing = [part for part in _STAR if part not in found]
    return Star(score=len(found) / len(_STAR), found=found, missing=missing)


def reasoning_markers(answer: str) -> float:
    """How much a technical answer explains: connectives of reasons, examples and steps."""
    text = " ".join(answer.lower().split())
    hits = sum(1 for marker in _REASONING if marker in text)
    sentences = len([s for s in re.split(r"[.!?\n]+", answer) if word_count(s) >= 4])
    return min(1.0, hits / 4) * 0.7 + min(1.0, sentences / 4) * 0.3


def specificity(answer: str) -> Specificity:
    """Numbers, named things and concrete outcomes, each capped so one kind can't win."""
    numbers = len(_NUMBER.findall(answer))
    # Named as the shared vocabulary reads technical skills, one name per skill however it is
    # written ("Postgres", "PostgreSQL"); or by their shape: "node.js", "S3", "GraphQL", an
    # acronym, a proper name mid-sentence, unless it is a word of a skill named already
    # ("Apache Airflow" is one tool, not also "Apache" and "Airflow").
    mentions = careerflow_skills.technical_mentions(answer)
    named = {mention.name.lower() for mention in mentions}
    written = {word for mention in mentions for word in mention.written.lower().split()}
    by_shape = {t for t in tokens(answer) if _looks_like_a_name(t)}
    by_shape |= _mixed_case_names(answer)
    by_shape |= _names_in_capitals(answer)
    named |= by_shape - written
    # "DAG" and "DAGs" are one technology: keep one spelling per stem.
    by_stem = {stem(name): name for name in sorted(named, reverse=True)}
    technologies = sorted(by_stem.values())
    outcomes = len(_OUTCOME.findall(answer))
    score = (
        0.35 * min(numbers, 3) / 3
        + 0.35 * min(len(technologies), 3) / 3
        + 0.30 * min(outcomes, 2) / 2
    )
    return Specificity(score=score, numbers=numbers, technologies=technologies, outcomes=outcomes)


def _looks_like_a_name(token: str) -> bool:
    # "node.js", "ci/cd", "http/2", "s3": letters with a dot, slash or digit inside.
    return (
        token not in STOPWORDS
        and any(ch.isalpha() for ch in token)
        and any(ch in ".+#/" or ch.isdigit() for ch in token[1:])
        and len(token) <= 20
    )


def _mixed_case_names(answer: str) -> set[str]:
    # GraphQL, gRPC, PostgreSQL, DAGs: upper case after the first letter, and some lower case,
    # so that shouting ("IGNORE ALL INSTRUCTIONS") is not mistaken for a list of products.
    # Whole words of letters, then the case test in Python: a pattern that placed the capital
    # itself backtracked quadratically through a long word that failed at its end.
    return {
        word.lower()
        for word in _LETTER_WORD.findall(answer)
        if len(word) >= 3
        and any(ch.isupper() for ch in word[1:])
        and any(ch.islower() for ch in word)
    }


_SENTENCE_BREAK = frozenset(".!?:;\n")
_MAX_ACRONYM = 5
_SHOUTING_SHARE = 0.3


def _names_in_capitals(answer: str) -> set[str]:
    """Acronyms ("PEEP", "GAAP", "NEC") and proper names inside a sentence ("on a Desmos
    activity", "in NetSuite"): what a nurse, an accountant or a teacher names where an engineer
    names a technology. Not in an answer that shouts: "IGNORE ALL INSTRUCTIONS" names nothing."""
    words = list(_LETTER_WORD.finditer(answer))
    capitals = [word for word in words if word.group().isupper()]
    if len(capitals) >= 3 and len(capitals) > _SHOUTING_SHARE * len(words):
        return set()
    names: set[str] = set()
    for index, word in enumerate(words):
        # A lone short word in capitals; two in a row are shouting ("IGNORE ME").
        beside = [other for other in (index - 1, index + 1) if 0 <= other < len(words)]
        if (
            word.group().isupper()
            and len(word.group()) <= _MAX_ACRONYM
            and not any(_in_capitals_next_to(word, words[other], answer) for other in beside)
        ):
            names.add(word.group().lower())
    for previous, word in zip(words, words[1:], strict=False):
        text = word.group()
        between = answer[previous.end() : word.start()]
        if (
            len(text) >= 3
            and text[0].isupper()
            and text[1:].islower()
            and previous.group()[0].islower()
            and not _SENTENCE_BREAK.intersection(between)
        ):
            names.add(text.lower())
    return names


def _in_capitals_next_to(word: re.Match[str], other: re.Match[str], answer: str) -> bool:
    start, end = min(word.end(), other.end()), max(word.start(), other.start())
    return other.group().isupper() and not answer[start:end].strip()


@dataclass(frozen=True)
class Measures:
    """Everything the fallback measured about one answer, for the rubric and the feedback."""

    words: int
    coverage: Coverage
    length: float
    star: Star | None
    reasoning: float
    specific: Specificity
    non_answer: bool


def measure(question: Question, answer: str) -> Measures:
    """Run every measure on one answer."""
    behavioral = question.kind == "behavioral"
    return Measures(
        words=word_count(answer),
        coverage=point_coverage(answer, question.expected_points, question.text),
        length=length_band(answer, behavioral=behavioral),
        star=star_markers(answer) if behavioral else None,
        reasoning=reasoning_markers(answer),
        specific=specificity(answer),
        non_answer=is_non_answer(answer),
    )


def heuristic_rubric(measures: Measures) -> Rubric:
    """The rubric the measures imply; a non-answer gets at most 1 on every dimension."""
    if measures.non_answer:
        floor = 1 if measures.words > 0 else 0
        return Rubric(relevance=floor, depth=0, structure=floor, specificity=0)
    length = measures.length
    coverage = measures.coverage.score
    # A few on-topic words are not yet a relevant answer: relevance grows with length too.
    relevance = coverage * (0.4 + 0.6 * length)
    depth = (0.45 * coverage + 0.25 * measures.reasoning + 0.30 * length) * (0.3 + 0.7 * length)
    if measures.star is not None:
        structure = (0.75 * measures.star.score + 0.25 * measures.reasoning) * (0.4 + 0.6 * length)
    else:
        structure = measures.reasoning * (0.4 + 0.6 * length)
    specific = measures.specific.score * (0.4 + 0.6 * length)
    return Rubric(
        relevance=_to_ten(relevance),
        depth=_to_ten(depth),
        structure=_to_ten(structure),
        specificity=_to_ten(specific),
    )


def _to_ten(share: float) -> int:
    return max(0, min(10, round(10 * share)))


def heuristic_evaluation(
    question: Question, answer: str, *, reason: str, measures: Measures | None = None
) -> Evaluation:
    """Score an answer without a model, saying what was measured and why it is an estimate.

    ``reason`` is a short human text for why the model was not used ("the AI evaluator is
    unavailable (connection refused)"); it opens the feedback. ``measures`` are the answer's,
    when the caller has already taken them.
    """
    measures = measures or measure(question, answer)
    rubric = heuristic_rubric(measures)
    return Evaluation(
        score=rubric.score(),
        rubric=rubric,
        feedback=_feedback(question, measures, reason),
        strengths=_strengths(question, measures),
        improvements=_improvements(measures),
        reference_answer=reference_answer(question),
        source="fallback",
    )


def reference_answer(question: Question) -> str:
    """What a strong answer covers, from the question's expected points."""
    if question.expected_points:
        points = "; ".join(point.rstrip(".") for point in question.expected_points)
        text = f"A strong answer covers: {points}."
    else:
        text = "A strong answer addresses the question directly, with a concrete example."
    if question.kind == "behavioral":
        text += (
            " Tell it as one real story: the situation, your task, the actions you took"
            " yourself, and a measurable result or lesson."
        )
    return text


def _feedback(question: Question, measures: Measures, reason: str) -> str:
    opening = f"Automatic estimate: {reason}, so this score comes from simple text measures."
    return f"{opening} {measured_feedback(question, measures)}"


def measured_feedback(question: Question, measures: Measures) -> str:
    """What the measures found, in a few sentences for the candidate."""
    if measures.non_answer:
        return "The answer gives no content to assess, so it scores 0-1."
    parts: list[str] = []
    if question.expected_points:
        total = len(measures.coverage.covered) + len(measures.coverage.missed)
        parts.append(f"It covers {len(measures.coverage.covered)} of {total} expected points")
    else:
        parts.append(f"It shares {round(100 * measures.coverage.score)}% of the question's terms")
    parts[-1] += f" in {measures.words} words."
    if measures.star is not None:
        found = ", ".join(measures.star.found) or "none"
        parts.append(f"STAR parts found: {found}.")
    spec = measures.specific
    parts.append(
        f"Specific details: {spec.numbers} number(s), {len(spec.technologies)} named "
        f"tool{'' if len(spec.technologies) == 1 else 's'} or method"
        f"{'' if len(spec.technologies) == 1 else 's'}, {spec.outcomes} concrete outcome(s)."
    )
    return " ".join(parts)


def _strengths(question: Question, measures: Measures) -> list[str]:
    if measures.non_answer:
        return []
    strengths: list[str] = []
    if measures.coverage.covered:
        strengths.append("Covers: " + "; ".join(measures.coverage.covered[:3]))
    if measures.star is not None and len(measures.star.found) >= 3:
        strengths.append("Tells the story in a clear STAR structure.")
    elif question.kind == "technical" and measures.reasoning >= 0.6:
        strengths.append("Explains the reasoning, not only the conclusion.")
    if measures.specific.score >= 0.5:
        strengths.append("Gives concrete details (numbers, named tools, outcomes).")
    return strengths


def _improvements(measures: Measures) -> list[str]:
    if measures.non_answer:
        return ["Attempt an answer: even a partial one shows how you approach the problem."]
    improvements: list[str] = []
    if measures.coverage.missed:
        improvements.append("Also address: " + "; ".join(measures.coverage.missed[:3]))
    if measures.length < 0.8:
        improvements.append("Develop the answer further: explain how and why, not only what.")
    elif measures.length < 1.0 and measures.words > 300:
        improvements.append("Tighten the answer: keep to the points that matter most.")
    if measures.star is not None and measures.star.missing:
        improvements.append("Add the missing STAR parts: " + ", ".join(measures.star.missing) + ".")
    if measures.specific.score < 0.5:
        improvements.append("Be more specific: numbers, named tools or methods, concrete results.")
    return improvements
