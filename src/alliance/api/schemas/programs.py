"""Program definitions as the public reads them: a summary per program, or the whole."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from alliance.programs.loader import LoadedProgram
from alliance.programs.schema import ProgramDefinition, ProgramKind


class ProgramSummary(BaseModel):
    code: str = Field(examples=["opn"])
    name: str
    version: str
    effective_date: date
    kind: ProgramKind
    description: str
    origin: str = Field(description="'builtin', or 'vendor' for the vendor's own folder.")
    content_hash: str = Field(description="sha256 of the definition file as read.")

    @classmethod
    def of(cls, program: LoadedProgram) -> ProgramSummary:
        definition = program.definition
        return cls(
            code=definition.code,
            name=definition.name,
            version=str(definition.version),
            effective_date=definition.effective_date,
            kind=definition.kind,
            description=definition.description,
            origin=program.origin,
            content_hash=program.content_hash,
        )


class ProgramDetail(ProgramSummary):
    definition: ProgramDefinition

    @classmethod
    def of(cls, program: LoadedProgram) -> ProgramDetail:
        summary = ProgramSummary.of(program)
        return cls(**summary.model_dump(), definition=program.definition)
