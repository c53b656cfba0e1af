"""Files of imports: the content's SHA-256 (X-5), and a file that reaches its final place
only together with the database row that names it (X-7).

:class:`StagedFile` is written under a temporary name in the destination folder (so the
final move is an atomic rename on the same file system); :meth:`StagedFile.place` moves
it into place, and the caller then commits; if anything fails, :meth:`StagedFile.discard`
removes whichever of the two files exists. The registry row and the file therefore
appear together or not at all.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

CHUNK_BYTES = 1 << 20


def sha256_of(path: Path) -> str:
    """The SHA-256 of the file's bytes, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class StagedFile:
    """``final`` being written as ``temporary``, next to it."""

    final: Path
    temporary: Path = field(init=False)
    placed: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.final.parent.mkdir(parents=True, exist_ok=True)
        self.temporary = self.final.with_name(f".{self.final.name}.{secrets.token_hex(4)}.part")

    def place(self) -> None:
        """Move the written file into its final place (atomic on one file system)."""
        os.replace(self.temporary, self.final)
        self.placed = True

    def discard(self) -> None:
        """Remove the file, wherever it is; safe to call more than once."""
        self.temporary.unlink(missing_ok=True)
        if self.placed:
            self.final.unlink(missing_ok=True)
            self.placed = False
