"""The fallback's word lists are data (wording.json), validated as they are read."""

import pytest
from pydantic import ValidationError

from careerflow_evaluator.heuristic import star_markers
from careerflow_evaluator.wording import Wording, terms, wording


def test_the_lists_refuse_capitals_repeats_and_lonely_synonyms() -> None:
    data = wording().model_dump()
    capital = {**data, "reasoning": [*data["reasoning"], "For Example"]}
    with pytest.raises(ValidationError, match="lower case"):
        Wording.model_validate(capital)
    repeated = {**data, "stopwords": [*data["stopwords"], "the"]}
    with pytest.raises(ValidationError, match="listed twice"):
        Wording.model_validate(repeated)
    lonely = {**data, "synonyms": [*data["synonyms"], ["cache"]]}
    with pytest.raises(ValidationError, match="at least 2"):
        Wording.model_validate(lonely)
    phrase_as_word = {**data, "fillers": [*data["fillers"], "you know"]}
    with pytest.raises(ValidationError, match="not one lower-case word"):
        Wording.model_validate(phrase_as_word)
    no_result = {
        **data,
        "star": {key: data["star"][key] for key in ("situation", "task", "action")},
    }
    with pytest.raises(ValidationError, match="result"):
        Wording.model_validate(no_result)


def test_the_packaged_lists_are_the_ones_the_heuristic_reads() -> None:
    # One synonym group and one STAR phrase of each part, straight from the file.
    first_group = wording().synonyms[0]
    assert {terms(member)[0] for member in first_group if " " not in member} == {
        terms(first_group[0])[0]
    }
    story = " ".join(phrases[0] for phrases in wording().star.model_dump().values())
    assert star_markers(story).found == ["situation", "task", "action", "result"]
