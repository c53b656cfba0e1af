"""Pydantic's validation errors, told as "expected …, got …" at a file's line (X-7).

Each error of a :class:`pydantic.ValidationError` becomes one or more
:class:`~alliance.domain.errors.Problem` with the field's path, the message and
``location="opn.yaml:32"``. Unknown keys list the allowed ones (and the closest match);
cross-field errors (:class:`DefinitionRuleError`) expand into one problem per field.
"""

from __future__ import annotations

import difflib
import re
import types
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import Node

from alliance.domain.errors import Problem
from alliance.programs.schema.common import DefinitionRuleError, Loc, format_loc
from alliance.programs.yaml_source import locate

_PATTERNS = {
    r"^[a-z][a-z0-9_]*$": "a snake_case id (lower-case letters, digits, underscores)",
    r"^[a-z][a-z0-9_-]*$": "a short lower-case code such as 'opn'",
    r"^[A-Z]{3}$": "a 3-letter currency code such as USD",
    r"^[A-Z]{2}$": "a 2-letter country code such as FR",
    r"^[A-Z]+-\d+[a-z]?$": "a rule id such as OPN-4",
}
_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "decimal_type": "a number",
    "decimal_parsing": "a number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "date_type": "a date such as 2026-01-31",
    "date_parsing": "a date such as 2026-01-31",
    "date_from_datetime_parsing": "a date such as 2026-01-31",
    "date_from_datetime_inexact": "a date without a time",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "decimal_not_finite": "a finite number",
}
_BOUNDS = {"greater_than": ">", "greater_than_equal": "≥", "less_than": "<", "less_than_equal": "≤"}


def problems_from(
    error: ValidationError, root: Node | None, name: str, model: type[BaseModel]
) -> list[Problem]:
    """One problem per located issue in ``error``, sorted by line."""
    located: list[tuple[int, Problem]] = []
    errors = error.errors()
    for details in errors:
        if details["type"] == "too_short" and _has_item_errors(details, errors):
            continue  # the list is short only because some of its items are invalid
        for loc, message in _issues(details, model):
            line, shown = locate(root, loc)
            problem = Problem(message, field=format_loc(shown) or None, location=f"{name}:{line}")
            located.append((line, problem))
    located.sort(key=lambda pair: pair[0])
    return [problem for _, problem in located]


def _has_item_errors(details: ErrorDetails, errors: list[ErrorDetails]) -> bool:
    loc = tuple(details["loc"])
    return any(len(e["loc"]) > len(loc) and tuple(e["loc"][: len(loc)]) == loc for e in errors)


def _issues(details: ErrorDetails, model: type[BaseModel]) -> list[tuple[Loc, str]]:
    loc: Loc = tuple(details["loc"])
    cause = details.get("ctx", {}).get("error")
    if isinstance(cause, DefinitionRuleError):
        return [((*loc, *sub), message) for sub, message in cause.issues]
    return [(loc, message_for(details, model))]


def message_for(details: ErrorDetails, model: type[BaseModel]) -> str:
    """The "expected …, got …" sentence for one pydantic error."""
    kind = details["type"]
    ctx: dict[str, Any] = dict(details.get("ctx", {}))
    loc = tuple(details["loc"])
    got = describe(details["input"])
    last = loc[-1] if loc else ""
    if kind == "missing":
        return f"expected required field {last!r}, got nothing"
    if kind == "extra_forbidden":
        return _unknown_field(model, loc)
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "?"))
        return f"expected one of {expected}, got {got}{_did_you_mean(details['input'], expected)}"
    if kind == "union_tag_invalid":
        expected = str(ctx.get("expected_tags", "?"))
        tag = ctx.get("tag")
        return f"expected kind to be one of {expected}, got {tag!r}{_did_you_mean(tag, expected)}"
    if kind == "union_tag_not_found":
        return f"expected a 'kind' field saying which kind this is, got {got}"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        return f"expected {_PATTERNS.get(pattern, f'text matching {pattern}')}, got {got}"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {got}"
    if kind in _BOUNDS:
        bound = next(iter(ctx.values()), "?")
        return f"expected a number {_BOUNDS[kind]} {bound}, got {got}"
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')} item(s), got {ctx.get('actual_length')}"
    if kind == "too_long":
        return f"expected at most {ctx.get('max_length')} item(s), got {ctx.get('actual_length')}"
    if kind == "string_too_short":
        return f"expected at least {ctx.get('min_length')} character(s), got {got}"
    if kind == "string_too_long":
        return f"expected at most {ctx.get('max_length')} character(s), got {got}"
    if kind == "value_error":
        return str(ctx.get("error", details["msg"]))
    return f"{details['msg']}; got {got}"


def _did_you_mean(value: object, expected: str) -> str:
    choices = re.findall(r"'([^']*)'", expected)
    hint = difflib.get_close_matches(str(value), choices, n=1) if isinstance(value, str) else []
    return f" (did you mean {hint[0]!r}?)" if hint else ""


def describe(value: object) -> str:
    """A short, human rendering of an input value for an error message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int | date):
        return str(value)
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def _unknown_field(model: type[BaseModel], loc: Loc) -> str:
    key = str(loc[-1]) if loc else "?"
    allowed = allowed_keys(model, loc[:-1])
    if not allowed:
        return f"expected no field {key!r} here, got an unknown field"
    hint = difflib.get_close_matches(key, allowed, n=1)
    suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
    return f"expected one of {', '.join(allowed)}, got unknown field {key!r}{suggestion}"


def allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names (YAML spelling) of the model found at ``loc`` below ``model``."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    target = _model_class(current, None)
    if target is None:
        return []
    return [info.alias or name for name, info in target.model_fields.items()]


def _step(annotation: Any, part: str | int) -> Any:
    annotation = _unwrap(annotation)
    origin = get_origin(annotation)
    if isinstance(part, int) and origin in (tuple, list):
        return get_args(annotation)[0]
    if isinstance(part, str) and origin is dict:
        return get_args(annotation)[1]
    target = _model_class(annotation, part)
    if target is None:
        return None
    if part in target.model_fields:
        return target.model_fields[part].annotation
    for info in target.model_fields.values():
        if info.alias == part:
            return info.annotation
    return target  # a discriminator tag: stay on the chosen member


def _unwrap(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _model_class(annotation: Any, tag: str | int | None) -> type[BaseModel] | None:
    """The model class ``annotation`` stands for; in a union, the member ``tag`` selects."""
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, types.UnionType):
        members = [_model_class(arg, None) for arg in get_args(annotation)]
        models = [m for m in members if m is not None]
        for member in models:
            kind = member.model_fields.get("kind")
            literal = kind is not None and get_origin(kind.annotation) is Literal
            if literal and kind is not None and tag in get_args(kind.annotation):
                return member
        return models[0] if len(models) == 1 else None
    return None
