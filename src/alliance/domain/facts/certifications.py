"""A certification one person of a partner holds (MCPP-10, PEX-6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alliance.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Certification:
    """``person_id`` of ``partner_id`` earned ``certification_id`` on ``earned_on``.

    ``retired_on`` is the first day it no longer counts (the person's certification
    lapsed, or the vendor retired it); ``None`` means it still counts. A certification
    counts on day ``d`` when ``earned_on <= d < retired_on``.
    """

    partner_id: str
    person_id: str
    certification_id: str
    earned_on: date
    retired_on: date | None = None

    def __post_init__(self) -> None:
        if self.retired_on is not None and self.retired_on < self.earned_on:
            raise InvalidInput(
                f"certification {self.certification_id} of {self.person_id} retires on "
                f"{self.retired_on}, before it was earned on {self.earned_on}",
                field="retired_on",
                rule="MCPP-10",
            )

    def counts_on(self, day: date) -> bool:
        return self.earned_on <= day and (self.retired_on is None or day < self.retired_on)
