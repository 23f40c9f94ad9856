"""`validated`: the same validated data, and the same 400 errors, as the serializer it stands in for."""

from typing import Any

import pytest
from rest_framework import serializers

from meiduo.core.serializers import validated


class Line(serializers.Serializer):
    """Like the cart's and the order's input: bounded whole numbers, a whole-number choice, a boolean."""

    sku_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    count = serializers.IntegerField(min_value=1)
    pay_method = serializers.ChoiceField(choices=[(1, "cash"), (2, "online")])
    selected = serializers.BooleanField(default=True)
    note = serializers.BooleanField(required=False)


class Checked(serializers.Serializer):
    """A serializer with a rule of its own: always run."""

    count = serializers.IntegerField()

    def validate_count(self, value: int) -> int:
        if value % 2:
            raise serializers.ValidationError("even counts only")
        return value


class Named(serializers.Serializer):
    """A field that is not a plain number: always run."""

    name = serializers.CharField()


def answer(serializer_class: type[serializers.Serializer], data: Any) -> tuple[str, Any]:
    try:
        return "valid", validated(serializer_class, data)
    except serializers.ValidationError as error:
        return "invalid", error.detail


def serializer_answer(serializer_class: type[serializers.Serializer], data: Any) -> tuple[str, Any]:
    serializer = serializer_class(data=data)
    if serializer.is_valid():
        return "valid", dict(serializer.validated_data)
    return "invalid", serializer.errors


GOOD = {"sku_id": 7, "count": 2, "pay_method": 2}


@pytest.mark.parametrize(
    "data",
    [
        GOOD,
        {**GOOD, "selected": False, "note": True, "price": "0.01"},  # unknown fields are ignored
        {**GOOD, "sku_id": 2**63 - 1},
        {**GOOD, "sku_id": 2**63},
        {**GOOD, "sku_id": 0},
        {**GOOD, "count": "3"},  # a string the serializer turns into 3
        {**GOOD, "count": 2.0},
        {**GOOD, "count": True},
        {**GOOD, "count": None},
        {**GOOD, "pay_method": 3},
        {**GOOD, "pay_method": "2"},
        {**GOOD, "pay_method": True},
        {**GOOD, "selected": "false"},
        {**GOOD, "selected": 0},
        {**GOOD, "selected": None},
        {"sku_id": 7, "count": 2},
        {},
        [],
        "text",
        None,
    ],
)
def test_answers_like_the_serializer(data: Any) -> None:
    assert answer(Line, data) == serializer_answer(Line, data)


def test_plainly_valid_input_is_taken_without_building_the_serializer(monkeypatch: pytest.MonkeyPatch) -> None:
    validated(Line, GOOD)  # the first call learns the serializer's fields

    def built(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the serializer was built")

    monkeypatch.setattr(Line, "__init__", built)
    assert validated(Line, {**GOOD, "note": False}) == {**GOOD, "selected": True, "note": False}
    with pytest.raises(AssertionError):
        validated(Line, {**GOOD, "count": "2"})  # not plainly valid: the serializer decides


@pytest.mark.parametrize(
    ("serializer_class", "data"),
    [(Checked, {"count": 2}), (Checked, {"count": 3}), (Named, {"name": "x"}), (Named, {"name": 5})],
)
def test_serializers_with_other_rules_run_in_full(serializer_class: type[serializers.Serializer], data: Any) -> None:
    assert answer(serializer_class, data) == serializer_answer(serializer_class, data)
