"""A program file's YAML, read so that every value keeps the line it came from.

PyYAML's composer gives a node tree with start marks; this module builds plain Python
data from it (reporting duplicate keys, which ``yaml.safe_load`` silently merges),
records the paths of values tagged ``!configurable``, and maps a pydantic error location
back to a line.

Scalars follow YAML 1.2 where YAML 1.1 surprises: only ``true``/``false`` are booleans
(``NO`` stays the country code), mapping keys are always text, and floats become exact
``Decimal`` values (``2.14`` is ``Decimal("2.14")``, X-1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from alliance.domain.errors import Problem
from alliance.programs.schema.common import Loc, format_loc

CONFIGURABLE_TAG = "!configurable"
_YAML_TAG = "tag:yaml.org,2002:"
_DISCRIMINATOR = "kind"
# libyaml's composer is ~15× faster and keeps the same start marks.
_LOADER = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


@dataclass
class YamlDocument:
    """The data of one YAML document, its node tree, and what reading it found."""

    name: str
    root: Node | None
    data: Any = None
    configurable: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_yaml(text: str, name: str) -> YamlDocument:
    """Compose ``text`` and build its data; syntax errors become located problems."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = error.problem or "invalid YAML"
        context = f" ({error.context}" if error.context else ""
        if context and error.context_mark is not None:
            context += f" started at line {error.context_mark.line + 1}"
        context += ")" if context else ""
        message = f"expected valid YAML, got a syntax error: {what}{context}"
        return YamlDocument(name, None, problems=[Problem(message, location=f"{name}:{line}")])
    except yaml.YAMLError as error:
        message = f"expected valid YAML, got: {error}"
        return YamlDocument(name, None, problems=[Problem(message, location=f"{name}:1")])
    document = YamlDocument(name, root)
    if root is None:
        document.problems.append(
            Problem("expected a mapping of program fields, got an empty file", location=f"{name}:1")
        )
        return document
    document.data = _Builder(document).build(root, ())
    return document


def line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1


class _Builder:
    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.constructor = SafeConstructor()
        self.resolver = Resolver()

    def problem(self, message: str, loc: Loc, node: Node) -> None:
        location = f"{self.document.name}:{line_of(node)}"
        self.document.problems.append(
            Problem(message, field=format_loc(loc) or None, location=location)
        )

    def build(self, node: Node, loc: Loc) -> Any:
        if node.tag == CONFIGURABLE_TAG:
            self.document.configurable.append(format_loc(loc))
        elif node.tag.startswith("!"):
            self.problem(
                f"expected no tag or {CONFIGURABLE_TAG}, got the unknown tag {node.tag}", loc, node
            )
        if isinstance(node, MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        return None  # pragma: no cover - PyYAML has no other node kind

    def _mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        data: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problem("expected a plain key, got a list or mapping as a key", loc, key_node)
                continue
            key = str(key_node.value)
            if key in data:
                self.problem(
                    f"expected each key once, got duplicate key {key!r} "
                    f"(first at line {first_line[key]})",
                    (*loc, key),
                    key_node,
                )
                continue
            first_line[key] = line_of(key_node)
            data[key] = self.build(value_node, (*loc, key))
        return data

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == CONFIGURABLE_TAG or tag.startswith("!"):
            plain = not node.style  # PyYAML says None, libyaml ''
            implicit = (plain, not plain)
            tag = self.resolver.resolve(ScalarNode, node.value, implicit)  # type: ignore[no-untyped-call]
        value = str(node.value)
        if tag == f"{_YAML_TAG}bool" and value.lower() not in ("true", "false"):
            return value  # YAML 1.1 yes/no/on/off stay text
        if tag == f"{_YAML_TAG}float":
            try:
                return Decimal(value.replace("_", ""))
            except InvalidOperation:
                pass
        retagged = ScalarNode(tag, node.value, node.start_mark, node.end_mark, node.style)
        try:
            return self.constructor.construct_object(retagged, deep=True)
        except (ConstructorError, ValueError):
            return value  # e.g. 2026-13-45: left as text for the schema to refuse


def locate(root: Node | None, loc: Loc) -> tuple[int, Loc]:
    """The line of the value at ``loc`` and the path as the file spells it.

    A key that is missing points at its parent mapping; discriminator tags pydantic adds
    to a location (``incentives[0].tranche.rates``) and ``[key]`` markers are skipped.
    """
    if root is None:
        return 1, loc
    node: Node | None = root
    line = line_of(root)
    shown: list[str | int] = []
    for index, part in enumerate(loc):
        if part == "[key]":
            continue
        if isinstance(node, MappingNode) and isinstance(part, str):
            pair = _entry(node, part)
            if pair is not None:
                line, node = line_of(pair[0]), pair[1]
                shown.append(part)
                continue
            if index < len(loc) - 1 and _is_discriminator_tag(node, part):
                continue
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = line_of(node)
            shown.append(part)
            continue
        node = None
        shown.append(part)
    return line, tuple(shown)


def _entry(node: MappingNode, key: str) -> tuple[Node, Node] | None:
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def _is_discriminator_tag(node: MappingNode, part: str) -> bool:
    pair = _entry(node, _DISCRIMINATOR)
    return pair is not None and isinstance(pair[1], ScalarNode) and pair[1].value == part
