"""Load a program definition from a YAML file, or say precisely what is wrong with it.

Every problem names the file and line, the field, and what was expected (X-7)::

    opn.yaml:32: membership.levels[2].fee.amount: expected a number, got 'lots'

:func:`load_program` raises :class:`~alliance.domain.errors.InvalidInput` carrying every
problem at once; :func:`validate_program_file` returns them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from alliance.domain.errors import InvalidInput, Problem
from alliance.programs.schema import ProgramDefinition
from alliance.programs.validation_errors import problems_from
from alliance.programs.yaml_source import read_yaml


@dataclass(frozen=True)
class LoadedProgram:
    """A valid definition with where it came from and a hash of the exact text read, so
    outcomes can record which version of which file produced them."""

    definition: ProgramDefinition
    source: str
    content_hash: str
    origin: str = "file"  # "builtin", "vendor" or "file"

    @property
    def code(self) -> str:
        return self.definition.code


def content_hash(content: bytes) -> str:
    """``sha256:<hex>`` of a file's bytes."""
    return "sha256:" + hashlib.sha256(content).hexdigest()


def check_program_text(text: str, name: str) -> tuple[ProgramDefinition | None, list[Problem]]:
    """Parse and validate one file's text; ``name`` is how locations spell the file."""
    document = read_yaml(text, name)
    if document.root is None:
        return None, document.problems
    if not isinstance(document.data, dict):
        got = "a list" if isinstance(document.data, list) else repr(document.data)
        message = f"expected a mapping of program fields at the top of the file, got {got}"
        return None, [*document.problems, Problem(message, location=f"{name}:1")]
    data = dict(document.data)
    listed = data.get("configurable", [])
    if document.configurable and isinstance(listed, list):  # else the schema refuses it
        data["configurable"] = [*listed, *document.configurable]
    try:
        definition = ProgramDefinition.model_validate(data)
    except ValidationError as error:
        located = problems_from(error, document.root, name, ProgramDefinition)
        return None, [*document.problems, *located]
    if document.problems:
        return None, document.problems
    return definition, []


def parse_program(content: bytes, name: str) -> ProgramDefinition:
    """Validate ``content`` (a file's bytes) or raise :class:`InvalidInput` with every problem."""
    definition, problems = check_program_text(_decode(content, name), name)
    if definition is None:
        raise InvalidInput(
            f"{name} is not a valid program definition: {len(problems)} problem(s)",
            problems=problems,
        )
    return definition


def read_program(path: Path, *, origin: str = "file") -> LoadedProgram:
    """Load ``path`` and keep its location and content hash."""
    content = _read_bytes(path)
    definition = parse_program(content, path.name)
    return LoadedProgram(definition, str(path), content_hash(content), origin)


def load_program(path: Path | str) -> ProgramDefinition:
    """The definition in ``path``; raises :class:`InvalidInput` listing every problem."""
    return read_program(Path(path)).definition


def validate_program_file(path: Path | str) -> list[Problem]:
    """Every problem in ``path`` (an empty list when the definition is valid)."""
    try:
        load_program(path)
    except InvalidInput as error:
        return error.problems or [Problem(error.message, location=Path(path).name)]
    return []


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        problem = Problem("expected a program file, got no such file", location=str(path))
        raise InvalidInput(f"{path}: no such file", problems=[problem]) from None
    except IsADirectoryError:
        problem = Problem("expected a program file, got a directory", location=str(path))
        raise InvalidInput(f"{path} is a directory", problems=[problem]) from None
    except OSError as error:
        problem = Problem(f"expected a readable file, got {error.strerror}", location=str(path))
        raise InvalidInput(f"{path} cannot be read", problems=[problem]) from None


def _decode(content: bytes, name: str) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        problem = Problem("expected UTF-8 text, got undecodable bytes", location=f"{name}:{line}")
        raise InvalidInput(f"{name} is not UTF-8 text", problems=[problem]) from None
