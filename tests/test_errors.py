"""The one translator of pydantic errors: the same words for the library, the CLI and the API, each
problem naming the field (list positions in brackets) and what is allowed."""

from __future__ import annotations

from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from spasmcare.errors import Problem, problems_from_errors, problems_from_validation


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pain: Annotated[int, Field(ge=0, le=10)]
    fever: bool | Literal["unsure"] = False


class Form(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: Annotated[list[Item], Field(min_length=1, max_length=3)]
    password: str = ""
    note: Annotated[str, Field(max_length=5)] = ""


def problems(data: object) -> tuple[list[Problem], list[Problem]]:
    """The problems as the library reports them, and as the API reports the same request body."""
    with pytest.raises(ValidationError) as info:
        Form.model_validate(data)
    body = [{**e, "loc": ("body", *e["loc"])} for e in info.value.errors()]
    return problems_from_validation(info.value, Form), problems_from_errors(body, request=True)


def only(data: object) -> Problem:
    core, api = problems(data)
    (problem,) = core
    assert [p.path for p in api] == [problem.path] and api[0].message == problem.message
    return problem


def test_a_value_out_of_range_names_the_field_with_its_position_and_the_range() -> None:
    problem = only({"items": [{"pain": 1}, {"pain": 11}]})
    assert problem == Problem("items[1].pain", "11 is out of range", "0 to 10")


def test_a_value_matching_no_member_of_a_union_is_one_problem_naming_everything_allowed() -> None:
    problem = only({"items": [{"pain": 1, "fever": "maybe"}]})
    assert problem == Problem(
        "items[0].fever", "'maybe' is not an allowed value", "true, false or 'unsure'"
    )


def test_an_unknown_field_names_the_fields_allowed_there() -> None:
    problem = only({"items": [{"pain": 1, "colour": "red"}]})
    assert problem == Problem("items[0].colour", "unknown field 'colour'", "pain, fever")


def test_a_list_of_the_wrong_length_says_how_many_items_are_allowed() -> None:
    problem = only({"items": []})
    assert problem == Problem(
        "items", "has the wrong number of items", "at least 1 and at most 3 items"
    )


def test_text_too_long_says_how_many_characters_are_allowed() -> None:
    problem = only({"items": [{"pain": 1}], "note": "x" * 100})
    assert problem.path == "note" and problem.allowed == "at most 5 characters"
    assert problem.message.endswith("... has the wrong length"), "long values are shortened"


def test_a_missing_field_is_required_and_a_password_is_never_echoed() -> None:
    assert only({}) == Problem("items", "is required", None)
    problem = only({"items": [{"pain": 1}], "password": 123456789})
    assert "123456789" not in str(problem) and "the password" in problem.message


def test_a_path_prefix_joins_with_a_dot_or_a_bracket() -> None:
    with pytest.raises(ValidationError) as info:
        Item.model_validate({"pain": -1})
    (problem,) = problems_from_validation(info.value, Item, "episodes[3]")
    assert problem == Problem("episodes[3].pain", "-1 is out of range", "0 to 10")
