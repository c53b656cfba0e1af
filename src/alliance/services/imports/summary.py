"""What an import of rows did: added, updated, unchanged (X-5: a re-import changes nothing)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportSummary:
    """``added`` new rows, ``updated`` changed ones, ``unchanged`` the same as stored;
    ``organizations`` customer organisations created on the way."""

    file_name: str
    what: str
    added: int
    updated: int
    unchanged: int
    organizations: int = 0

    @property
    def summary(self) -> str:
        created = f", {self.organizations} organisation(s) created" if self.organizations else ""
        return (
            f"{self.file_name}: {self.added} {self.what} added, {self.updated} updated, "
            f"{self.unchanged} unchanged{created}"
        )
