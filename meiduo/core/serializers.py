"""Serializers shared by every app's API: the plain `{"message": ...}` answer, and `validated` (input of the
hot POSTs checked without building their serializer when it is plainly valid)."""

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from rest_framework import serializers
from rest_framework.fields import empty


class MessageSerializer(serializers.Serializer):
    """`{"message": "OK"}` and other one-message answers."""

    message = serializers.CharField()


# Per serializer class, for each writable field: (name, kind, what it accepts, its default or `empty`, required);
# None when the serializer must always run (another kind of field, validate methods).
_Plan = list[tuple[str, str, Any, Any, bool]] | None
_plans: dict[type[serializers.Serializer], _Plan] = {}
_BOUNDS = (MinValueValidator, MaxValueValidator)


def _rule(field: serializers.Field) -> tuple[str, Any] | None:
    """(kind, what it accepts) of a field whose valid input is its own value, else None."""
    if type(field) is serializers.IntegerField and all(isinstance(check, _BOUNDS) for check in field.validators):
        return "int", (field.min_value, field.max_value)
    choices = getattr(field, "choices", {})
    if type(field) is serializers.ChoiceField and not field.validators and all(type(key) is int for key in choices):
        return "choice", frozenset(choices)
    if type(field) is serializers.BooleanField and not field.validators:
        return "bool", None
    return None


def _plan(serializer_class: type[serializers.Serializer]) -> _Plan:
    """What input of a flat serializer of whole numbers, whole-number choices and booleans is valid as it is."""
    if serializer_class in _plans:
        return _plans[serializer_class]
    serializer = serializer_class()
    plan: _Plan = []
    if type(serializer).validate is not serializers.Serializer.validate:
        plan = None
    for name, field in serializer.fields.items():
        if plan is None or field.read_only:
            continue
        rule = _rule(field)
        computed = field.default is not empty and callable(field.default)  # a default made per call
        if rule is None or computed or field.source != name or hasattr(serializer, f"validate_{name}"):
            plan = None
        else:
            plan.append((name, *rule, field.default, field.required))
    _plans[serializer_class] = plan
    return plan


def _accepted(kind: str, rule: Any, value: Any) -> bool:
    if kind == "int":
        low, high = rule
        return type(value) is int and (low is None or value >= low) and (high is None or value <= high)
    if kind == "choice":
        return type(value) is int and value in rule
    return type(value) is bool


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """`serializer_class(data=data)`'s validated data; its ValidationError (a 400) when the data is not valid.

    The hot POSTs (cart add, order) take a few whole numbers: a JSON object whose values are already exactly
    what the serializer accepts (an `int` within bounds or among the choices, a `bool`; a missing field
    takes its default) is taken as it is, without building the serializer (a tenth of its cost). Anything
    else goes through the serializer, so every error answer is still the serializer's own.
    """
    plan = _plan(serializer_class)
    if plan is not None and type(data) is dict:
        values: dict[str, Any] = {}
        for name, kind, rule, default, required in plan:
            if name in data:
                if not _accepted(kind, rule, data[name]):
                    break
                values[name] = data[name]
            elif default is not empty:
                values[name] = default
            elif required:
                break
        else:
            return values
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
