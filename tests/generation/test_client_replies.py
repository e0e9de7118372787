"""Reading one JSON object out of what models really send back."""

from __future__ import annotations

import pytest

from eduteach.generation.replies import looks_like_refusal, parse_json_object


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}',
        '  \n{"a": 1}\n',
        '```json\n{"a": 1}\n```',
        'Sure! Here it is:\n{"a": 1}\nHope this helps.',
        '<think>The user wants {"b": 2}? No.</think>\n{"a": 1}',
        'Here is the object {"a": 1}',
    ],
)
def test_object_is_found(text: str) -> None:
    assert parse_json_object(text) == ({"a": 1}, None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("[1, 2]", "not a JSON array"),
        ('"just a string"', "not a JSON string"),
        ('{"a": [{"b": 1}, {"c": 2}', "not valid JSON"),
    ],
)
def test_unusable_answers_say_why(text: str, problem: str) -> None:
    parsed, error = parse_json_object(text)
    assert parsed is None
    assert error is not None
    assert problem in error


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("I'm sorry, but I can't help with that.", True),
        ("I\u2019m unable to create this content.", True),
        ("As an AI, I cannot write that.", True),
        ("Sorry, I won't do that.", True),
        ('I\'m sorry for the delay: {"a": 1}', False),
        ("Here is a lesson about sorrow.", False),
    ],
)
def test_refusal_shape(text: str, refusal: bool) -> None:
    assert looks_like_refusal(text) is refusal
