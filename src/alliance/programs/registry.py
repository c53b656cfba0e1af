"""The programs a running Alliance knows: the built-ins, overridden by a vendor's folder.

The vendor folder is passed in (the CLI and settings read ``ALLIANCE_PROGRAMS``; this
module reads no environment). A vendor file whose ``code`` matches a built-in replaces
it. Every entry keeps its source path and content hash.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from alliance.domain.errors import InvalidInput, NotFound, Problem
from alliance.programs.loader import LoadedProgram, content_hash, parse_program
from alliance.programs.schema import ProgramDefinition

BUILTIN_PACKAGE = "alliance.programs"
BUILTIN_FOLDER = "builtin"
_SUFFIXES = (".yaml", ".yml")


def builtin_programs() -> list[LoadedProgram]:
    """The definitions shipped in ``alliance/programs/builtin/*.yaml``."""
    folder = resources.files(BUILTIN_PACKAGE).joinpath(BUILTIN_FOLDER)
    loaded = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.is_file() and entry.name.endswith(_SUFFIXES):
            content = entry.read_bytes()
            definition = parse_program(content, entry.name)
            loaded.append(LoadedProgram(definition, str(entry), content_hash(content), "builtin"))
    return loaded


def program_files(folder: Path) -> list[Path]:
    """The ``*.yaml`` / ``*.yml`` files directly in ``folder``, sorted by name."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in _SUFFIXES)


def folder_programs(folder: Path, *, origin: str = "vendor") -> list[LoadedProgram]:
    """Every definition in ``folder``; raises :class:`InvalidInput` with every problem of
    every invalid file (none is skipped silently)."""
    if not folder.is_dir():
        problem = Problem(
            "expected a folder of program files, got nothing there", location=str(folder)
        )
        raise InvalidInput(f"programs folder {folder} does not exist", problems=[problem])
    loaded: list[LoadedProgram] = []
    problems: list[Problem] = []
    for path in program_files(folder):
        content = path.read_bytes()
        try:
            definition = parse_program(content, path.name)
        except InvalidInput as error:
            problems += error.problems
            continue
        loaded.append(LoadedProgram(definition, str(path), content_hash(content), origin))
    if problems:
        raise InvalidInput(f"invalid program definitions in {folder}", problems=problems)
    return loaded


class ProgramRegistry:
    """Program definitions by code."""

    def __init__(self, programs: Iterable[LoadedProgram]) -> None:
        self._programs: dict[str, LoadedProgram] = {}
        problems: list[Problem] = []
        for program in programs:
            known = self._programs.get(program.code)
            if known is not None and known.origin == program.origin:
                problems.append(
                    Problem(
                        f"expected a unique program code, got {program.code!r} again "
                        f"(also in {known.source})",
                        field="code",
                        location=program.source,
                    )
                )
            self._programs[program.code] = program  # a later origin overrides
        if problems:
            raise InvalidInput("duplicate program codes", problems=problems)

    @classmethod
    def load(cls, vendor_folder: Path | None = None) -> ProgramRegistry:
        """The built-ins, then every file of ``vendor_folder`` (overriding by code)."""
        programs = builtin_programs()
        if vendor_folder is not None:
            programs += folder_programs(vendor_folder)
        return cls(programs)

    def list(self) -> list[LoadedProgram]:
        """Every program, sorted by code."""
        return [self._programs[code] for code in sorted(self._programs)]

    def codes(self) -> builtins.list[str]:
        return sorted(self._programs)

    def entry(self, code: str) -> LoadedProgram:
        """The program ``code`` with its source and hash; :class:`NotFound` when unknown."""
        try:
            return self._programs[code]
        except KeyError:
            known = ", ".join(self.codes()) or "none"
            raise NotFound(
                f"no program with code {code!r}; known programs: {known}", field="code"
            ) from None

    def get(self, code: str) -> ProgramDefinition:
        """The definition of program ``code``; :class:`NotFound` lists the known codes."""
        return self.entry(code).definition

    def __contains__(self, code: object) -> bool:
        return code in self._programs

    def __len__(self) -> int:
        return len(self._programs)
