"""The program-definition schema: pydantic models over a vocabulary declared in code.

Import the root from here: ``from alliance.programs.schema import ProgramDefinition``.
"""

from alliance.programs.schema.common import DefinitionRuleError, Duration, MoneySpec, PeriodKind
from alliance.programs.schema.program import (
    ProgramDefinition,
    ProgramKind,
    parse_path,
    program_json_schema,
    value_at,
)

__all__ = [
    "DefinitionRuleError",
    "Duration",
    "MoneySpec",
    "PeriodKind",
    "ProgramDefinition",
    "ProgramKind",
    "parse_path",
    "program_json_schema",
    "value_at",
]
